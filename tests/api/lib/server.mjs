// Shared helpers for the API suite: start a real duban server on a free port with a fresh
// database, talk to it as a browser would (session cookie + CSRF token) or as a machine (API
// token), run the CLI, and check the shape of error replies.
//
// Every test file starts its own server(s), so ctest can run the files in parallel. Servers are
// stopped with SIGTERM and must exit 0: under ASan that also catches leaks.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

export const BIN = process.env.DUBAN_BIN || '/work/main/build/duban';
// Policy-compliant (upper, lower, digit, symbol) and containing none of the admin logins.
export const ADMIN_PW = 'Duban#2024x';
export const SECADMIN_PW = 'Duban#2024y';
export const AUDITOR_PW = 'Duban#2024z';
// The password test users choose at their first login.
export const USER_PW = 'Gu4rd!an-2024';

export const ADMIN_ENV = {
  DUBAN_ADMIN_PASSWORD: ADMIN_PW,
  DUBAN_SECADMIN_PASSWORD: SECADMIN_PW,
  DUBAN_AUDITOR_PASSWORD: AUDITOR_PW,
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const tmpDirs = [];
process.on('exit', () => {
  if (process.env.DUBAN_KEEP_TMP) return;
  for (const d of tmpDirs) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(label = 'duban-api-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), label));
  tmpDirs.push(d);
  return d;
}

/** A TCP port that was free a moment ago (listen on 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * TEST_PG (a PostgreSQL URI of a throw-away cluster) or TEST_PG_CLUSTER (the directory of one
 * that scripts/pg-cluster started, which holds its URI) runs the suites on PostgreSQL: each
 * server gets a database of its own, and its audit key a file beside it.
 */
export const PG =
  process.env.TEST_PG ||
  (process.env.TEST_PG_CLUSTER ? fs.readFileSync(path.join(process.env.TEST_PG_CLUSTER, 'uri'), 'utf8').trim() : '');
const pgKeys = new Map(); // database URI -> its audit key file
const pgByDir = new Map(); // a server's directory -> its database, so a restart finds it

/**
 * A fresh, empty PostgreSQL database of the test cluster (or of the cluster whose URI is
 * base); its URI, its key file registered.
 */
export function pgDatabase(dir, base = PG) {
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const r = spawnSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot create database ${name}: ${r.stderr}`);
  const uri = base.replace(/\/postgres(\?|$)/, `/${name}$1`);
  pgKeys.set(uri, path.join(dir, `${name}.key`));
  pgByDir.set(dir, uri);
  return uri;
}

/** The audit key of a database a test made (SQLite: beside the file; PostgreSQL: registered). */
export function keyFile(db) {
  return pgKeys.get(db) || `${db}.key`;
}

/**
 * The environment for a child duban: this process's, minus DUBAN_* settings, plus extra.
 * TEST_NOW (a date as DUBAN_NOW takes it) runs every child as of that date. A PostgreSQL
 * database named by args (--db) or by extra (DUBAN_DB) brings its key file.
 */
export function childEnv(extra = {}, args = []) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DUBAN_')) env[k] = v;
  if (process.env.TEST_NOW) env.DUBAN_NOW = process.env.TEST_NOW;
  const i = args.indexOf('--db');
  const db = i >= 0 ? args[i + 1] : extra.DUBAN_DB;
  const key = pgKeys.get(db);
  return { ...env, ...ADMIN_ENV, ...(key ? { DUBAN_KEY_FILE: key } : {}), ...extra };
}

/**
 * Starts `duban serve` on a free port. opts: flags (extra CLI flags), dir (reuse a directory,
 * e.g. to restart on the same database), db (database path), env (extra environment).
 */
export async function startServer(opts = {}) {
  const dir = opts.dir || tempDir();
  const db = opts.db || (PG ? pgByDir.get(dir) || pgDatabase(dir) : path.join(dir, 'duban.db'));
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const srv = new Server(dir, db, port, opts);
    try {
      await srv.ready();
      return srv;
    } catch (e) {
      lastErr = e;
      await srv.stop().catch(() => {});
      // Only a lost race for the port is worth another try.
      if (!/cannot listen/.test(srv.stderr())) break;
    }
  }
  throw lastErr;
}

export class Server {
  constructor(dir, db, port, opts) {
    this.dir = dir;
    this.db = db;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.out = '';
    this.err = '';
    this.exitCode = undefined;
    const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...(opts.flags || [])];
    this.proc = spawn(BIN, args, {
      env: childEnv(opts.env, args),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => (this.out += d));
    this.proc.stderr.on('data', (d) => (this.err += d));
    this.stopping = false;
    this.exited = new Promise((resolve) => {
      const done = (code) => {
        if (this.exitCode !== undefined) return;
        this.exitCode = code;
        // A server that dies on its own is a finding: say so at once, with its last words.
        if (!this.stopping)
          console.error(`duban serve (port ${port}) exited unexpectedly: ${code}\n${this.err.slice(-4000)}`);
        resolve(code);
      };
      this.proc.on('exit', (code, signal) => done(code === null ? `signal ${signal}` : code));
      this.proc.on('error', (e) => done(`spawn error ${e.code || e.message}`));
    });
  }

  /** Everything the server wrote to stderr so far (log lines, access log, sanitizer reports). */
  stderr() {
    return this.err;
  }

  stdout() {
    return this.out;
  }

  /** Resolves once /healthz answers; rejects when the process dies or 30 s pass. */
  async ready() {
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined)
        throw new Error(`duban serve exited with ${this.exitCode}:\n${this.err}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.status === 200) {
          await res.text();
          return;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(50);
    }
    throw new Error(`duban serve did not answer /healthz within 30 s:\n${this.err}`);
  }

  /** Sends SIGTERM and resolves with the exit code (a string "signal X" if killed). */
  async stop() {
    this.stopping = true;
    if (this.exitCode === undefined) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20000);
      await this.exited;
      clearTimeout(timer);
    }
    saveLog(this);
    return this.exitCode;
  }

  /** Stops the server and asserts a clean exit (code 0: no crash, no sanitizer report). */
  async stopClean() {
    const code = await this.stop();
    assert.equal(code, 0, `duban serve exited with ${code}; stderr:\n${this.err.slice(-4000)}`);
  }

  client() {
    return new Client(this.url);
  }

  /** A client logged in as login (asserting the login succeeds). */
  async login(login, password) {
    const c = this.client();
    const res = await c.login(login, password);
    assert.equal(res.status, 200, `login ${login}: ${res.text}`);
    return c;
  }

  admin() {
    return this.login('admin', ADMIN_PW);
  }

  secadmin() {
    return this.login('secadmin', SECADMIN_PW);
  }

  auditor() {
    return this.login('auditor', AUDITOR_PW);
  }
}

/** With TEST_OUTPUT set (ctest sets it), keeps each server's stderr for diagnostics. */
function saveLog(srv) {
  const out = process.env.TEST_OUTPUT;
  if (!out) return;
  try {
    fs.mkdirSync(out, { recursive: true });
    const name = `api-${path.basename(process.argv[1] || 'test')}-${srv.port}.log`;
    fs.writeFileSync(path.join(out, name), srv.err);
  } catch {
    /* diagnostics only */
  }
}

/**
 * An HTTP client that keeps the session cookie like a browser and sends the CSRF token on
 * writes, or an API token as a Bearer header.
 */
export class Client {
  constructor(base) {
    this.base = base;
    this.session = null; // the duban_session cookie value
    this.csrf = null;
    this.bearer = null;
    this.user = null;
  }

  /**
   * One request. opts: json (a value to send as JSON), body (raw string/Buffer), type (the
   * Content-Type), headers, csrf (false: do not send the token; a string: send that instead),
   * cookie (false: do not send the cookie). Resolves {status, headers, body, text, setCookies}.
   */
  async req(method, url, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['Content-Type'] = opts.type || 'application/json';
    } else if (opts.body !== undefined) {
      body = opts.body;
      if (opts.type) headers['Content-Type'] = opts.type;
    }
    if (this.session && opts.cookie !== false) headers.Cookie = `duban_session=${this.session}`;
    if (this.bearer) headers.Authorization = `Bearer ${this.bearer}`;
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && typeof opts.csrf === 'string') headers['X-CSRF-Token'] = opts.csrf;
    else if (write && opts.csrf !== false && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(this.base + url, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const setCookies = res.headers.getSetCookie();
    for (const sc of setCookies) {
      const m = /^duban_session=([^;]*)/.exec(sc);
      if (m) this.session = m[1] || null;
    }
    return { status: res.status, headers: res.headers, body: parsed, text, setCookies };
  }

  get(url, opts) {
    return this.req('GET', url, opts);
  }
  post(url, json, opts = {}) {
    return this.req('POST', url, json === undefined ? opts : { ...opts, json });
  }
  put(url, json, opts = {}) {
    return this.req('PUT', url, json === undefined ? opts : { ...opts, json });
  }
  patch(url, json, opts = {}) {
    return this.req('PATCH', url, json === undefined ? opts : { ...opts, json });
  }
  del(url, opts) {
    return this.req('DELETE', url, opts);
  }

  /** POST /api/v1/session; on success keeps the cookie and the CSRF token. */
  async login(login, password) {
    const res = await this.post('/api/v1/session', { login, password });
    if (res.status === 200) {
      this.csrf = res.body.csrf_token;
      this.user = res.body.user;
    }
    return res;
  }

  async logout() {
    return this.del('/api/v1/session');
  }

  /** GET that must succeed; returns the JSON body. */
  async ok(url) {
    const res = await this.get(url);
    assert.equal(res.status, 200, `GET ${url}: ${res.text}`);
    return res.body;
  }

  /** A client that authenticates with the API token secret only (no cookie, no CSRF). */
  static withToken(base, secret) {
    const c = new Client(base);
    c.bearer = secret;
    return c;
  }
}

const HAN = /[\u4e00-\u9fff]/;

/** Asserts res is the JSON error {"error":{code,message,field}} with a Chinese message. */
export function assertError(res, status, code, field) {
  const ctx = `reply ${res.status} ${res.text}`;
  assert.equal(res.status, status, ctx);
  assert.ok(res.body && typeof res.body.error === 'object' && res.body.error, ctx);
  const e = res.body.error;
  assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'message'], ctx);
  if (code !== undefined) assert.equal(e.code, code, ctx);
  assert.equal(typeof e.message, 'string', ctx);
  assert.ok(e.message.length > 0 && HAN.test(e.message), `message not Chinese: ${ctx}`);
  assert.ok(e.field === null || typeof e.field === 'string', ctx);
  if (field !== undefined) assert.equal(e.field, field, ctx);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, ctx);
  return e;
}

/** Asserts a refusal: 403 or 404, with no record data in the body. */
export function assertRefused(res, what = '') {
  assert.ok(res.status === 403 || res.status === 404, `${what}: expected 403/404, got ${res.status} ${res.text}`);
  assert.ok(res.body && res.body.error, `${what}: ${res.text}`);
  assert.deepEqual(Object.keys(res.body), ['error'], `${what}: ${res.text}`);
}

let uniq = 0;
/** A unique identifier-safe suffix for codes and logins. */
export function uid(prefix = 'x') {
  uniq++;
  return `${prefix}${process.pid.toString(36)}${uniq}`;
}

/** Creates a unit as c (asserting 201) and returns it. */
export async function addUnit(c, { code, name, kind = 'township', parent_id = 1 }) {
  const res = await c.post('/api/v1/units', { code, name, kind, parent_id });
  assert.equal(res.status, 201, `create unit ${code}: ${res.text}`);
  return res.body;
}

/**
 * Creates a user as admin (asserting 201); returns {user, otp}. With password, the user gets
 * that one (still to be changed at first login).
 */
export async function addUser(admin, { login, name = '测试用户', unit_id, password }) {
  const body = { login, name, unit_id };
  if (password) body.password = password;
  const res = await admin.post('/api/v1/users', body);
  assert.equal(res.status, 201, `create user ${login}: ${res.text}`);
  return { user: res.body.user, otp: res.body.one_time_password || password };
}

/**
 * Creates a user, logs in with the one-time password and changes it to USER_PW; returns the
 * logged-in client (client.user.id is the user's id).
 */
export async function readyUser(srv, admin, { login, name, unit_id }) {
  const { user, otp } = await addUser(admin, { login, name, unit_id });
  const c = srv.client();
  const res = await c.login(login, otp);
  assert.equal(res.status, 200, `first login of ${login}: ${res.text}`);
  assert.equal(res.body.must_change_password, true);
  const ch = await c.put('/api/v1/me/password', { old_password: otp, new_password: USER_PW });
  assert.equal(ch.status, 200, `password change of ${login}: ${ch.text}`);
  c.user = user;
  return c;
}

/** Runs the duban CLI synchronously (DUBAN_* from this process dropped); {code, stdout, stderr}. */
export function runCli(args, { env = {}, input, cwd } = {}) {
  const r = spawnSync(BIN, args, {
    env: childEnv(env, args),
    input,
    cwd,
    encoding: 'utf8',
    timeout: 180000, // a whole demo county on a busy machine takes more than a minute
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout || '', stderr: r.stderr || '' };
}

/** Runs SQL on a test database (sqlite3 on a file, psql on a PostgreSQL URI); throws on
 * failure; the output without headers. */
export function sql(db, text) {
  if (!pgKeys.has(db)) return sqlite(db, text);
  const r = spawnSync('psql', [db, '-qAt', '-v', 'ON_ERROR_STOP=1'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Runs the sqlite3 CLI on a database file; throws on failure. */
export function sqlite(db, sql) {
  const r = spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** The highest audit seq, as seen by an auditor client. */
export async function auditHead(auditor) {
  const body = await auditor.ok('/api/v1/audit?limit=1');
  return body.items.length ? body.items[0].seq : 0;
}

/** Counts of units, users and audit records, to prove that a refused write wrote nothing. */
export async function snapshot(admin, auditor) {
  const units = await admin.ok('/api/v1/units');
  const users = await admin.ok('/api/v1/users?limit=500');
  return {
    units: units.total,
    unitList: JSON.stringify(units.items),
    users: users.total,
    userList: JSON.stringify(users.items.map((u) => ({ ...u, locked_until: null }))),
    audit: auditor ? await auditHead(auditor) : null,
  };
}
