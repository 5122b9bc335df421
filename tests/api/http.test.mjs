// HTTP behaviour: security headers on every reply, the access log, proxy headers, and a
// graceful shutdown that finishes requests in flight and leaves a database that opens again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ADMIN_PW, AUDITOR_PW, sleep, startServer } from './lib/server.mjs';

let srv, admin;

before(async () => {
  srv = await startServer({ flags: ['--body_limit', '65536'] });
  admin = await srv.admin();
});

after(async () => {
  if (srv) await srv.stopClean();
});

function assertSecurityHeaders(res, what) {
  const h = res.headers;
  const csp = h.get('content-security-policy') || '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP ${csp}`);
  assert.match(csp, /default-src 'self'/, `${what}: CSP ${csp}`);
  assert.match(csp, /object-src 'none'/, `${what}: CSP ${csp}`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  assert.equal(h.get('x-frame-options'), 'DENY', what);
  assert.equal(h.get('referrer-policy'), 'no-referrer', what);
  assert.equal(h.get('cache-control'), 'no-store', what);
  assert.equal(h.get('strict-transport-security'), null, `${what}: HSTS on plain http`);
}

describe('security headers', () => {
  test('are on every kind of reply', async () => {
    const anon = srv.client();
    const cases = [
      ['healthz', await anon.get('/healthz'), 200],
      ['home page', await anon.get('/'), 200],
      ['login ok', await srv.client().login('admin', ADMIN_PW), 200],
      ['login failed', await srv.client().login('admin', 'Wrong#Pass1'), 401],
      ['me', await admin.get('/api/v1/me'), 200],
      ['unauthenticated', await anon.get('/api/v1/me'), 401],
      ['no route', await anon.get('/api/nope'), 404],
      ['no file', await anon.get('/nope.txt'), 404],
      ['a page of the UI', await anon.get('/problems/5'), 200],
      ['wrong method', await admin.put('/api/v1/units', {}), 405],
      ['bad json', await admin.req('POST', '/api/v1/units', { body: '{', type: 'application/json' }), 400],
      ['wrong type', await admin.req('POST', '/api/v1/units', { body: '{}', type: 'text/plain' }), 415],
      ['too large', await admin.req('POST', '/api/v1/units', { body: 'x'.repeat(70000), type: 'application/json' }), 413],
      ['csrf', await admin.post('/api/v1/units', {}, { csrf: false }), 403],
      ['forbidden', await admin.get('/api/v1/audit'), 403],
      ['not found', await admin.get('/api/v1/units/999999'), 404],
    ];
    for (const [what, res, status] of cases) {
      assert.equal(res.status, status, `${what}: ${res.text}`);
      assertSecurityHeaders(res, what);
    }
  });

  test('the home page is HTML in Chinese; a HEAD request has no body', async () => {
    const home = await srv.client().get('/');
    assert.match(home.headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.match(home.text, /lang="zh-CN"/);
    const head = await fetch(`${srv.url}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assertSecurityHeaders({ headers: head.headers }, 'HEAD');
  });
});

describe('access log', () => {
  test("one line per request with method, path, status, time and the user's login", async () => {
    const mark = `/api/v1/units/${1}`;
    await admin.get(mark);
    await srv.client().get('/api/v1/me');
    await srv.client().login('admin', 'Wrong#Pass1');
    await admin.get('/api/v1/nope');
    await sleep(100);
    const log = srv.stderr();
    assert.match(log, /ACCESS GET \/api\/v1\/units\/1 200 \d+(\.\d+)?ms admin\n/);
    assert.match(log, /ACCESS GET \/api\/v1\/me 401 \d+(\.\d+)?ms -\n/);
    assert.match(log, /ACCESS POST \/api\/v1\/session 401 \d+(\.\d+)?ms -\n/);
    assert.match(log, /ACCESS POST \/api\/v1\/session 200 \d+(\.\d+)?ms admin\n/);
    assert.match(log, /ACCESS GET \/api\/v1\/nope 404 \d+(\.\d+)?ms -\n/);
    const line = log.split('\n').find((l) => l.includes('ACCESS GET /api/v1/units/1 200'));
    assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ACCESS /, line);
  });

  test('the log never holds passwords, session ids, CSRF tokens or query secrets', async () => {
    const c = await srv.admin();
    await c.get('/api/v1/users?q=secretquery');
    await sleep(100);
    const log = srv.stderr();
    assert.ok(!log.includes(ADMIN_PW), 'password in the log');
    assert.ok(!log.includes(c.session), 'session id in the log');
    assert.ok(!log.includes(c.csrf), 'CSRF token in the log');
    assert.ok(!log.includes('secretquery'), 'query string in the log');
  });
});

describe('behind a reverse proxy', () => {
  let proxied;

  before(async () => {
    proxied = await startServer({ flags: ['--trust_proxy', 'true'] });
  });

  after(async () => {
    if (proxied) await proxied.stopClean();
  });

  test('without trust_proxy, X-Forwarded-Proto and -For are ignored', async () => {
    const c = srv.client();
    const res = await c.req('POST', '/api/v1/session', {
      json: { login: 'auditor', password: AUDITOR_PW },
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '10.9.8.7' },
    });
    assert.equal(res.status, 200);
    const sc = res.setCookies.find((s) => s.startsWith('duban_session='));
    assert.ok(!/;\s*Secure/i.test(sc), sc);
    assert.equal(res.headers.get('strict-transport-security'), null);
    c.csrf = res.body.csrf_token;
    const log = await c.ok('/api/v1/audit?action=login.success&actor=auditor&limit=1');
    assert.equal(log.items[0].detail.ip, '127.0.0.1');
  });

  test('with trust_proxy, https from the proxy gives a Secure cookie and HSTS, and the client IP', async () => {
    const c = proxied.client();
    const res = await c.req('POST', '/api/v1/session', {
      json: { login: 'auditor', password: AUDITOR_PW },
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '10.9.8.7' },
    });
    assert.equal(res.status, 200, res.text);
    const sc = res.setCookies.find((s) => s.startsWith('duban_session='));
    assert.match(sc, /;\s*Secure/i);
    assert.match(res.headers.get('strict-transport-security') || '', /max-age=\d+/);
    const log = await c.ok('/api/v1/audit?action=login.success&actor=auditor&limit=1');
    assert.equal(log.items[0].detail.ip, '10.9.8.7');
  });

  test('with trust_proxy, only the address the proxy appended counts; junk is ignored', async () => {
    const ipOf = async (xff) => {
      const c = proxied.client();
      const res = await c.req('POST', '/api/v1/session', {
        json: { login: 'auditor', password: AUDITOR_PW },
        headers: { 'X-Forwarded-For': xff },
      });
      assert.equal(res.status, 200, res.text);
      c.csrf = res.body.csrf_token;
      const log = await c.ok('/api/v1/audit?action=login.success&actor=auditor&limit=1');
      return log.items[0].detail.ip;
    };
    // A client can put anything in front; the proxy's own entry is the last one.
    assert.equal(await ipOf('6.6.6.6, 10.9.8.7'), '10.9.8.7');
    assert.equal(await ipOf('<script>alert(1)</script>'), '127.0.0.1');
    assert.equal(await ipOf('10.1.1.1, not-an-address'), '127.0.0.1');
  });
});

/** Sends a login over a raw socket; resolves the raw reply once the server closes or answers. */
function rawLogin(port, login, password) {
  const body = JSON.stringify({ login, password });
  const req =
    `POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const sock = net.connect(port, '127.0.0.1');
  const sent = new Promise((resolve, reject) => {
    sock.on('error', reject);
    sock.on('connect', () => sock.write(req, resolve));
  });
  const reply = new Promise((resolve, reject) => {
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
  return { sent, reply };
}

describe('graceful shutdown', () => {
  test('a login in flight at SIGTERM still gets its 200, and the server exits 0', async () => {
    const s = await startServer();
    const { sent, reply } = rawLogin(s.port, 'admin', ADMIN_PW);
    await sent;
    await sleep(30); // the request is being handled (argon2 takes ~100 ms or more)
    const code = s.stop();
    const text = await reply;
    assert.match(text, /^HTTP\/1\.1 200 /, `reply: ${text}\nstderr: ${s.stderr()}`);
    assert.match(text, /Set-Cookie: duban_session=/i);
    assert.match(text, /"csrf_token"/);
    assert.equal(await code, 0, s.stderr());
    assert.match(s.stderr(), /received SIGTERM/);
    assert.match(s.stderr(), /stopped cleanly/);
    // The signal came while the login was in flight, and the login finished before the stop.
    const log = s.stderr();
    const [sig, done, stopped] = ['received SIGTERM', 'ACCESS POST /api/v1/session 200', 'stopped cleanly'].map(
      (x) => log.indexOf(x),
    );
    assert.ok(sig >= 0 && sig < done && done < stopped, `order in the log:\n${log}`);

    // The database opens again, logins work and the audit chain is intact.
    const again = await startServer({ dir: s.dir });
    try {
      const c = await again.login('admin', ADMIN_PW);
      assert.equal((await c.get('/api/v1/me')).status, 200);
      const aud = await again.auditor();
      const v = await aud.ok('/api/v1/audit/verify');
      assert.equal(v.ok, true, JSON.stringify(v));
      const logins = await aud.ok('/api/v1/audit?action=login.success&actor=admin');
      assert.ok(logins.items.length >= 2, 'the login made during shutdown was committed');
    } finally {
      await again.stopClean();
    }
  });

  test('SIGINT stops the server cleanly too', async () => {
    const s = await startServer();
    s.proc.kill('SIGINT');
    assert.equal(await s.exited, 0, s.stderr());
    assert.match(s.stderr(), /received SIGINT/);
    await s.stop();
  });
});
