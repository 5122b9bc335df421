// Bad input: every malformed request is refused with the right code and field, in the one error
// shape with a Chinese message, and writes nothing (units, users and audit records are counted
// before and after).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { addUnit, assertError, snapshot, startServer, uid } from './lib/server.mjs';

const LIMIT = 65536;
let srv, admin, auditor, existing, start;

before(async () => {
  srv = await startServer({ flags: ['--body_limit', String(LIMIT)] });
  [admin, auditor] = await Promise.all([srv.admin(), srv.auditor()]);
  existing = await addUnit(admin, { code: uid('ex'), name: '已有单位' });
  start = await snapshot(admin, auditor);
});

after(async () => {
  if (srv) await srv.stopClean();
});

const unit = (over = {}) => ({ code: uid('u'), name: '新单位', kind: 'township', parent_id: 1, ...over });
const postUnitRaw = (body, type = 'application/json') => admin.req('POST', '/api/v1/units', { body, type });

/** Sends a raw request with node:http (for chunked bodies); resolves {status, headers, text}. */
function rawRequest(method, url, { headers = {}, chunks = [] } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(srv.url + url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let body = null;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, headers: new Headers(res.headers), text, body });
      });
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('malformed bodies', () => {
  test('invalid JSON is 400 bad_json', async () => {
    for (const body of ['{"code": "x",', '{code: 1}', "{'a':1}", 'nul', '{"a":1}}', '\u00ff\u00fe']) {
      assertError(await postUnitRaw(body), 400, 'bad_json', null);
    }
  });

  test('invalid UTF-8 is 400 bad_json', async () => {
    const bad = Buffer.concat([Buffer.from('{"code":"x","name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    assertError(await postUnitRaw(bad), 400, 'bad_json');
  });

  test('a body that is not an object is 400 bad_json', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null', 'true', '[]']) {
      assertError(await postUnitRaw(body), 400, 'bad_json', null);
    }
  });

  test('an empty body is 400 bad_json', async () => {
    assertError(await postUnitRaw(''), 400, 'bad_json');
    assertError(await admin.req('POST', '/api/v1/units'), 400, 'bad_json');
  });

  test('duplicate keys are refused', async () => {
    const body = '{"code":"dupkey1","name":"甲","name":"乙","kind":"township","parent_id":1}';
    assertError(await postUnitRaw(body), 400, 'bad_json');
  });

  test('very deep nesting is refused, not a crash', async () => {
    assertError(await postUnitRaw('['.repeat(60000) + ']'.repeat(10)), 400, 'bad_json');
    assertError(await postUnitRaw('{"a":'.repeat(10000) + '1' + '}'.repeat(10000)), 400);
  });
});

describe('field errors name the field', () => {
  test('wrong types are 400 field_type', async () => {
    assertError(await admin.post('/api/v1/units', unit({ parent_id: '1' })), 400, 'field_type', 'parent_id');
    assertError(await admin.post('/api/v1/units', unit({ parent_id: 1.5 })), 400, 'field_type', 'parent_id');
    assertError(await admin.post('/api/v1/units', unit({ parent_id: true })), 400, 'field_type', 'parent_id');
    assertError(await admin.post('/api/v1/units', unit({ parent_id: null })), 400, 'field_type', 'parent_id');
    assertError(await admin.post('/api/v1/units', unit({ code: 12 })), 400, 'field_type', 'code');
    assertError(await admin.post('/api/v1/units', unit({ name: ['a'] })), 400, 'field_type', 'name');
    assertError(await admin.post('/api/v1/units', unit({ kind: { k: 1 } })), 400, 'field_type', 'kind');
  });

  test('missing or empty required fields are 400 field_required', async () => {
    for (const f of ['code', 'name', 'kind', 'parent_id']) {
      const u = unit();
      delete u[f];
      assertError(await admin.post('/api/v1/units', u), 400, 'field_required', f);
    }
    assertError(await admin.post('/api/v1/units', unit({ name: '' })), 400, 'field_required', 'name');
    assertError(await admin.post('/api/v1/units', unit({ code: '' })), 400, 'field_required', 'code');
  });

  test('unknown fields are 400 field_unknown', async () => {
    assertError(await admin.post('/api/v1/units', unit({ color: 'red' })), 400, 'field_unknown', 'color');
    assertError(await admin.post('/api/v1/units', unit({ id: 5 })), 400, 'field_unknown', 'id');
    assertError(await admin.patch(`/api/v1/units/${existing.id}`, { name: '甲', parent_id: 1 }), 400, 'field_unknown', 'parent_id');
  });

  test('too long values are 400 field_too_long (counted in characters)', async () => {
    assertError(await admin.post('/api/v1/units', unit({ name: '县'.repeat(61) })), 400, 'field_too_long', 'name');
    assertError(await admin.post('/api/v1/units', unit({ name: 'a'.repeat(61) })), 400, 'field_too_long', 'name');
    assertError(await admin.post('/api/v1/units', unit({ code: 'c'.repeat(33) })), 400, 'field_too_long', 'code');
    assertError(await admin.patch(`/api/v1/units/${existing.id}`, { name: '县'.repeat(61) }), 400, 'field_too_long', 'name');
  });

  test('invalid values are 400 field_invalid', async () => {
    assertError(await admin.post('/api/v1/units', unit({ kind: 'planet' })), 400, 'field_invalid', 'kind');
    assertError(await admin.post('/api/v1/units', unit({ kind: 'County' })), 400, 'field_invalid', 'kind');
    assertError(await admin.post('/api/v1/units', unit({ code: 'has space' })), 400, 'field_invalid', 'code');
    assertError(await admin.post('/api/v1/units', unit({ code: '中文代码' })), 400, 'field_invalid', 'code');
    assertError(await admin.post('/api/v1/units', unit({ name: 'a\u0001b' })), 400, 'field_invalid', 'name');
    assertError(await admin.post('/api/v1/units', unit({ name: 'a\nb' })), 400, 'field_invalid', 'name');
    // jansson itself refuses \u0000 (bad_json); either way it never reaches the store.
    const nul = assertError(await admin.post('/api/v1/units', unit({ name: 'a\u0000b' })), 400);
    assert.ok(['bad_json', 'field_invalid'].includes(nul.code), nul.code);
    assertError(await admin.post('/api/v1/units', unit({ parent_id: 0 })), 400, 'field_invalid', 'parent_id');
    assertError(await admin.post('/api/v1/units', unit({ parent_id: -3 })), 400, 'field_invalid', 'parent_id');
    assertError(await admin.post('/api/v1/units', unit({ parent_id: 999999 })), 400, 'field_invalid', 'parent_id');
    // Past int64: jansson refuses the number (bad_json); either way a 400, nothing written.
    const big = assertError(await admin.post('/api/v1/units', unit({ parent_id: 99999999999999999999 })), 400);
    assert.ok(['bad_json', 'field_invalid', 'field_type'].includes(big.code), big.code);
  });

  test('a duplicate code is 409 duplicate on code', async () => {
    assertError(await admin.post('/api/v1/units', unit({ code: existing.code })), 409, 'duplicate', 'code');
    assertError(await admin.post('/api/v1/units', unit({ code: 'county' })), 409, 'duplicate', 'code');
  });

  test('user fields', async () => {
    const user = (over = {}) => ({ login: uid('in'), name: '某人', unit_id: 1, ...over });
    assertError(await admin.post('/api/v1/users', user({ unit_id: '1' })), 400, 'field_type', 'unit_id');
    assertError(await admin.post('/api/v1/users', user({ login: 'has space' })), 400, 'field_invalid', 'login');
    assertError(await admin.post('/api/v1/users', user({ login: 'l'.repeat(33) })), 400, 'field_too_long', 'login');
    assertError(await admin.post('/api/v1/users', user({ name: '名'.repeat(41) })), 400, 'field_too_long', 'name');
    assertError(await admin.post('/api/v1/users', user({ unit_id: 999999 })), 400, 'field_invalid', 'unit_id');
    assertError(await admin.post('/api/v1/users', user({ login: 'admin' })), 409, 'duplicate', 'login');
    assertError(await admin.post('/api/v1/users', user({ password: 'weak' })), 400, 'password_weak', 'password');
    const login = uid('pw');
    assertError(
      await admin.post('/api/v1/users', user({ login, password: `X#1${login}` })),
      400,
      'password_weak',
      'password',
    );
    assertError(await admin.post('/api/v1/users', user({ role: 'sysadmin' })), 400, 'field_unknown', 'role');
  });

  test('login and password bodies', async () => {
    const c = srv.client();
    assertError(await c.post('/api/v1/session', {}), 400, 'field_required', 'login');
    assertError(await c.post('/api/v1/session', { login: 'admin' }), 400, 'field_required', 'password');
    assertError(await c.post('/api/v1/session', { login: 'admin', password: 5 }), 400, 'field_type', 'password');
    assertError(await c.req('POST', '/api/v1/session', { body: 'login=admin', type: 'application/x-www-form-urlencoded' }), 415);
    assertError(await admin.put('/api/v1/me/password', { old_password: 'x' }), 400, 'field_required', 'new_password');
  });

  test('bad path ids and query parameters', async () => {
    assertError(await admin.get('/api/v1/units/abc'), 404, 'not_found');
    assertError(await admin.get('/api/v1/units/0'), 404, 'not_found');
    assertError(await admin.get('/api/v1/units/-1'), 404, 'not_found');
    assertError(await admin.get('/api/v1/units/99999999999999999999999'), 404, 'not_found');
    assertError(await admin.patch('/api/v1/units/999999', { name: '无' }), 404, 'not_found');
    assertError(await admin.get('/api/v1/users?limit=0'), 400, 'bad_query', 'limit');
    assertError(await admin.get('/api/v1/users?limit=abc'), 400, 'bad_query', 'limit');
    assertError(await admin.get('/api/v1/users?limit=501'), 400, 'bad_query', 'limit');
    assertError(await admin.get('/api/v1/users?unit_id=999999'), 400, 'bad_query', 'unit_id');
    assertError(await admin.get('/api/v1/units?parent_id=x'), 400, 'bad_query', 'parent_id');
    assertError(await auditor.get('/api/v1/audit?limit=-1'), 400, 'bad_query', 'limit');
  });

  test('query arguments mean the same in every list (http/query.c)', async () => {
    for (const v of ['1', 'true', '0', 'false', ''])
      assert.equal((await admin.get(`/api/v1/notifications?unread=${v}`)).status, 200, `unread=${v}`);
    assertError(await admin.get('/api/v1/notifications?unread=yes'), 400, 'bad_query', 'unread');
    assert.equal((await admin.get('/api/v1/users?limit=&unit_id=&q=%20')).status, 200);
    assertError(await admin.get('/api/v1/users?limit=%2B5'), 400, 'bad_query', 'limit');
    assertError(await admin.get('/api/v1/users?unit_id=0'), 400, 'bad_query', 'unit_id');
    assertError(await admin.get('/api/v1/users?q=a%01b'), 400, 'bad_query', 'q');
    assertError(await auditor.get(`/api/v1/audit?actor=${'甲'.repeat(201)}`), 400, 'bad_query', 'actor');
  });
});

describe('transport errors', () => {
  test('a body over body_limit is 413 (with Content-Length)', async () => {
    const body = JSON.stringify(unit({ name: 'x'.repeat(LIMIT + 10) }));
    const res = await postUnitRaw(body);
    assertError(res, 413, 'payload_too_large');
  });

  test('a body over body_limit is 413 (chunked, no Content-Length)', async () => {
    const chunk = 'x'.repeat(8192);
    const chunks = ['{"code":"chunky","name":"'];
    for (let n = 0; n < LIMIT + 8192; n += chunk.length) chunks.push(chunk);
    chunks.push('","kind":"township","parent_id":1}');
    const res = await rawRequest('POST', '/api/v1/units', {
      headers: {
        'Content-Type': 'application/json',
        Cookie: `duban_session=${admin.session}`,
        'X-CSRF-Token': admin.csrf,
      },
      chunks,
    });
    assertError(res, 413, 'payload_too_large');
  });

  test('a small chunked body is accepted (the chunked path works)', async () => {
    const code = uid('ch');
    const res = await rawRequest('POST', '/api/v1/units', {
      headers: {
        'Content-Type': 'application/json',
        Cookie: `duban_session=${admin.session}`,
        'X-CSRF-Token': admin.csrf,
      },
      chunks: [`{"code":"${code}",`, '"name":"分块","kind":"township",', '"parent_id":1}'],
    });
    assert.equal(res.status, 201, res.text);
    start = await snapshot(admin, auditor); // this one wrote, on purpose
  });

  test('a body far over the limit is cut off without harm', async () => {
    const body = JSON.stringify(unit({ name: 'x'.repeat(LIMIT * 20) }));
    let status;
    try {
      status = (await postUnitRaw(body)).status;
    } catch {
      status = 'connection closed'; // the server may close before the client finished sending
    }
    assert.ok(status === 413 || status === 'connection closed', `got ${status}`);
    assert.equal((await admin.get('/api/v1/me')).status, 200, 'the server keeps serving');
  });

  test('a body that is not JSON by Content-Type is 415', async () => {
    const body = JSON.stringify(unit());
    assertError(await postUnitRaw(body, 'text/plain'), 415, 'unsupported_media_type');
    assertError(await postUnitRaw(body, 'application/jsonp'), 415, 'unsupported_media_type');
    assertError(await postUnitRaw(body, 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
    assertError(await postUnitRaw(body, 'multipart/form-data; boundary=x'), 415, 'unsupported_media_type');
    assertError(await admin.req('POST', '/api/v1/units', { body: Buffer.from(body) }), 415, 'unsupported_media_type');
  });

  test('an unknown route is 404 route_not_found', async () => {
    for (const url of ['/api/v1/nope', '/api/v2/units', '/api/v1/units/1/extra', '/api/v1/units/', '/api', '/favicon.ico']) {
      assertError(await admin.get(url), 404, 'route_not_found');
    }
    assertError(await srv.client().get('/api/v1/secret-admin'), 404, 'route_not_found');
  });

  test('a wrong method is 405 with an Allow header', async () => {
    let res = await admin.put('/api/v1/units', unit());
    assertError(res, 405, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), 'GET, POST');
    res = await admin.del('/api/v1/units/1');
    assertError(res, 405, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), 'GET, PATCH');
    res = await admin.put('/api/v1/session', {});
    assertError(res, 405, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), 'GET, POST, DELETE');
  });

  test('nothing above wrote anything (units, users, audit records)', async () => {
    const now = await snapshot(admin, auditor);
    assert.deepEqual(now, start);
  });
});

describe('good input still works', () => {
  test('a 60-character Chinese name and JSON with charset are accepted', async () => {
    const name = '县'.repeat(60);
    const res = await admin.req('POST', '/api/v1/units', {
      json: unit({ name }),
      type: 'application/json; charset=utf-8',
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.name, name);
    const got = await admin.ok(`/api/v1/units/${res.body.id}`);
    assert.equal(got.name, name);
  });

  test('null for an optional field means "not given"', async () => {
    // a version given as null is a missing one, not a bad type; and it is required (finding 9)
    assertError(await admin.patch(`/api/v1/units/${existing.id}`, { name: '已有单位改', version: null }), 428, 'version_required', 'version');
  });
});
