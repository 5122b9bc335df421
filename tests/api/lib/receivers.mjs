// Loopback stand-ins for the platforms duban sends to, started by the tests: a 钉钉 group robot
// (checks access_token, the timestamp+sign HMAC-SHA256 signature, the markdown payload, the
// keyword rule and 20 messages a minute), a 企业微信 group robot (the webhook key, the markdown
// payload, 20 a minute) and a small SMTP server (EHLO, STARTTLS or TLS from the start with a
// certificate made for the test, AUTH PLAIN, MAIL/RCPT/DATA). Each keeps
// what it accepted, with the X-Duban-Message-Id / Message-ID the receivers dedupe on, and what it
// refused with the platform's error code. A robot can be told to fail (errcode) or to stall.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

function readBody(req) {
  return new Promise((resolve) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (s += d));
    req.on('end', () => resolve(s));
  });
}

/**
 * A robot receiver. kind 'dingtalk' or 'wecom'. robots: {token: {secret, keyword}} for 钉钉
 * (secret may be empty: no signature required), {key: {}} for 企业微信. rate: messages a minute.
 */
export async function robotReceiver(kind, robots, { rate = 20 } = {}) {
  const r = {
    kind,
    robots,
    accepted: [], // {robot, id, body, at}
    refused: [], // {robot, errcode, errmsg}
    fail: new Map(), // robot -> {errcode, errmsg}: refuse every message
    stall: new Map(), // robot -> ms to wait before answering
    inflight: 0,
    requests: 0,
  };
  const answer = (res, errcode, errmsg) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errcode, errmsg }));
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const text = await readBody(req);
    r.requests++;
    const robot = kind === 'dingtalk' ? url.searchParams.get('access_token') : url.searchParams.get('key');
    const refuse = (errcode, errmsg) => {
      r.refused.push({ robot, errcode, errmsg });
      answer(res, errcode, errmsg);
    };
    const want = robots[robot];
    const path = kind === 'dingtalk' ? '/robot/send' : '/cgi-bin/webhook/send';
    if (req.method !== 'POST' || url.pathname !== path) return refuse(404, 'no such path');
    if (!want) return refuse(kind === 'dingtalk' ? 300001 : 93000, 'token is not exist');
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return refuse(40035, 'invalid json');
    }
    if (kind === 'dingtalk' && want.secret) {
      const ts = url.searchParams.get('timestamp');
      const sign = url.searchParams.get('sign');
      const expect = crypto.createHmac('sha256', want.secret).update(`${ts}\n${want.secret}`).digest('base64');
      if (!ts || !/^\d{13}$/.test(ts) || sign !== expect) return refuse(310000, 'sign not match');
    }
    if (body.msgtype !== 'markdown') return refuse(40035, 'msgtype must be markdown');
    const content = kind === 'dingtalk' ? body.markdown?.text : body.markdown?.content;
    if (typeof content !== 'string' || !content) return refuse(40035, 'markdown content missing');
    if (kind === 'dingtalk' && (typeof body.markdown.title !== 'string' || !body.markdown.title))
      return refuse(40035, 'markdown title missing');
    if (kind === 'dingtalk' && want.keyword && !content.includes(want.keyword))
      return refuse(310000, 'keywords not in content');
    const now = Date.now();
    const recent = r.accepted.filter((m) => m.robot === robot && now - m.at < 60000).length;
    if (recent >= rate) return refuse(kind === 'dingtalk' ? 130101 : 45009, 'send too fast, exceed 20 times per minute');
    const f = r.fail.get(robot);
    if (f) return refuse(f.errcode, f.errmsg);
    const ms = r.stall.get(robot);
    if (ms) {
      r.inflight++;
      await new Promise((ok) => setTimeout(ok, ms));
      r.inflight--;
    }
    r.accepted.push({ robot, id: req.headers['x-duban-message-id'], body, content, at: now });
    if (!res.destroyed) answer(res, 0, 'ok');
  });
  r.port = await listen(server);
  r.url = `http://127.0.0.1:${r.port}${kind === 'dingtalk' ? '/robot/send' : '/cgi-bin/webhook/send'}`;
  r.close = () => new Promise((ok) => server.close(ok)) && server.closeAllConnections?.();
  r.of = (robot) => r.accepted.filter((m) => m.robot === robot);
  /** Message ids accepted more than once. */
  r.duplicates = () => {
    const seen = new Map();
    for (const m of r.accepted) seen.set(m.id, (seen.get(m.id) || 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  };
  return r;
}

/**
 * A certificate for 127.0.0.1, self-signed, made with the openssl command in a fresh temporary
 * directory: {key, cert} (PEM text) and caFile, the path duban's smtp_ca setting points at.
 */
export function testCert() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cert-'));
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', caFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { stdio: 'ignore' });
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(caFile, 'utf8'), caFile };
}

/**
 * A small SMTP server: users {login: password}; keeps {from, to, data, id, subject, tls}.
 * tls: 'starttls' (offers STARTTLS and refuses AUTH before it; needs cert), 'implicit' (TLS
 * from the first byte, smtps://; needs cert) or 'none' (plain text only). auths counts the
 * AUTH commands it saw, in clear (plainAuths) or not.
 */
export async function smtpReceiver(users = {}, { tls: mode = 'none', cert } = {}) {
  const r = { mails: [], refused: [], auths: 0, plainAuths: 0 };
  const session = (sock, secure) => {
    const decoder = new StringDecoder('utf8');
    let buf = '';
    let mail = null;
    let inData = false;
    let authed = Object.keys(users).length === 0;
    let authWait = false; // AUTH PLAIN without an initial response: the next line holds it
    const say = (s) => sock.write(`${s}\r\n`);
    const onData = (d) => {
      buf += decoder.write(d);
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          const h = (name) => (new RegExp(`^${name}: (.*)$`, 'mi').exec(mail.data) || [])[1];
          mail.id = (h('Message-ID') || '').replace(/^<|@duban>$/g, '');
          const subj = h('Subject') || '';
          const m = /=\?UTF-8\?B\?(.*)\?=/.exec(subj);
          mail.subject = m ? Buffer.from(m[1], 'base64').toString('utf8') : subj;
          mail.body = mail.data.slice(mail.data.indexOf('\r\n\r\n') + 4);
          mail.tls = secure;
          r.mails.push(mail);
          mail = null;
          say('250 OK queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.split(' ')[0].toUpperCase();
        const plain = (b64) => {
          const parts = Buffer.from(b64 || '', 'base64').toString('utf8').split('\0');
          if (users[parts[1]] !== undefined && users[parts[1]] === parts[2]) {
            authed = true;
            say('235 2.7.0 Authentication successful');
          } else {
            r.refused.push({ why: 'auth', user: parts[1] });
            say('535 5.7.8 Authentication credentials invalid');
          }
        };
        if (authWait) {
          authWait = false;
          plain(line);
        } else if (cmd === 'EHLO') {
          sock.write('250-test-smtp\r\n');
          if (mode === 'starttls' && !secure) sock.write('250-STARTTLS\r\n');
          if (!authed) sock.write('250-AUTH PLAIN\r\n');
          say('250 8BITMIME');
        } else if (cmd === 'HELO') say('250 test-smtp');
        else if (cmd === 'STARTTLS' && mode === 'starttls' && !secure) {
          say('220 2.0.0 Ready to start TLS');
          sock.removeListener('data', onData);
          const t = new tls.TLSSocket(sock, { isServer: true, key: cert.key, cert: cert.cert });
          t.on('error', () => {});
          session(t, true);
          return;
        } else if (cmd === 'AUTH') {
          r.auths++;
          if (!secure) r.plainAuths++;
          if (mode === 'starttls' && !secure) {
            r.refused.push({ why: 'auth before STARTTLS' });
            say('530 5.7.0 Must issue a STARTTLS command first');
            continue;
          }
          const arg = line.split(' ')[2];
          if (arg) plain(arg);
          else {
            authWait = true;
            say('334 ');
          }
        } else if (cmd === 'MAIL') {
          if (!authed) {
            say('530 5.7.0 Authentication required');
            continue;
          }
          mail = { from: /<(.*)>/.exec(line)?.[1], to: [] };
          say('250 OK');
        } else if (cmd === 'RCPT') {
          mail.to.push(/<(.*)>/.exec(line)?.[1]);
          say('250 OK');
        } else if (cmd === 'DATA') {
          inData = true;
          say('354 End data with <CR><LF>.<CR><LF>');
        } else if (cmd === 'QUIT') {
          say('221 Bye');
          sock.end();
        } else if (cmd === 'RSET' || cmd === 'NOOP') say('250 OK');
        else say('502 5.5.2 Command not recognized');
      }
    };
    sock.on('data', onData);
    sock.on('error', () => {});
    return say;
  };
  const server = mode === 'implicit'
    ? tls.createServer({ key: cert.key, cert: cert.cert }, (sock) => session(sock, true)('220 test-smtp ESMTP ready'))
    : net.createServer((sock) => session(sock, false)('220 test-smtp ESMTP ready'));
  server.on('tlsClientError', () => {});
  r.port = await listen(server);
  r.url = `${mode === 'implicit' ? 'smtps' : 'smtp'}://127.0.0.1:${r.port}`;
  r.close = () => new Promise((ok) => server.close(ok));
  return r;
}
