// Helpers for the problem-list (问题清单) tests: a small county with the four problem roles,
// registering problems and taking actions, evidence files, and readers for the ledger files
// (CSV, and XLSX through a minimal zip reader) so the tests can check what they contain.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { USER_PW, addUnit, addUser } from './server.mjs';

/** A small valid 1×1 PNG (the kind of photo a township sends as evidence). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478' +
    '9c63f8cfc0f01f0005000101ff89993d1d0000000049454e44ae426082',
  'hex',
);

/** A PNG-looking file of n bytes (PNG magic, then filler), distinct per seed. */
export function pngOfSize(n, seed = 0) {
  const b = Buffer.alloc(n, 0x41 + (seed % 26));
  PNG.copy(b, 0, 0, Math.min(PNG.length, n));
  return b;
}

/** The county every problem test uses; unit names are unique (the ledger finds units by name). */
export const UNITS = {
  ducha: { code: 'duchashi', name: '县委督查室', kind: 'department' },
  office: { code: 'xianweiban', name: '县委办公室', kind: 'department' },
  dept: { code: 'yingjiju', name: '县应急管理局', kind: 'department' },
  townA: { code: 'jiazhen', name: '甲镇', kind: 'township' },
  townB: { code: 'yizhen', name: '乙镇', kind: 'township' },
  villageA: { code: 'jiacun', name: '甲镇东街村', kind: 'village', parent: 'townA' },
};

/**
 * Creates a user as admin, grants the roles as secadmin ([role, unit_id] pairs), logs in and
 * changes the forced first password; returns the logged-in client (client.user has the id).
 */
export async function roleUser(srv, admin, secadmin, { login, name, unit_id, grants }) {
  const { user, otp } = await addUser(admin, { login, name, unit_id });
  for (const [role, scope] of grants) {
    const g = await secadmin.post('/api/v1/grants', { user_id: user.id, role, unit_id: scope });
    assert.equal(g.status, 201, `grant ${role} to ${login}: ${g.text}`);
  }
  const c = srv.client();
  const res = await c.login(login, otp);
  assert.equal(res.status, 200, `first login of ${login}: ${res.text}`);
  const ch = await c.put('/api/v1/me/password', { old_password: otp, new_password: USER_PW });
  assert.equal(ch.status, 200, `password change of ${login}: ${ch.text}`);
  c.user = user;
  return c;
}

/**
 * Builds the county on a running server: the units of UNITS (by key, with ids), and clients for
 * operator (督查室, operator over the county), supervisor (督查室, supervisor over the county),
 * leader (县委办, leader over the county), handlerA/handlerB (their townships' handlers),
 * handlerD (应急管理局's handler), supA (a user of 甲镇 holding the supervisor role over it).
 */
export async function county(srv) {
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  const units = { root: { id: 1 } };
  for (const [key, u] of Object.entries(UNITS)) {
    const parent_id = u.parent ? units[u.parent].id : 1;
    units[key] = await addUnit(admin, { code: u.code, name: u.name, kind: u.kind, parent_id });
  }
  const root = units.root.id;
  const people = {
    operator: { name: '周督查', unit: 'ducha', grants: [['operator', root]] },
    supervisor: { name: '王核查', unit: 'ducha', grants: [['supervisor', root]] },
    leader: { name: '张县长', unit: 'office', grants: [['leader', root]] },
    handlerA: { name: '甲镇经办人', unit: 'townA', grants: [['handler', 'townA']] },
    handlerB: { name: '乙镇经办人', unit: 'townB', grants: [['handler', 'townB']] },
    handlerD: { name: '应急局经办人', unit: 'dept', grants: [['handler', 'dept']] },
    supA: { name: '甲镇核查员', unit: 'townA', grants: [['supervisor', 'townA']] },
  };
  const clients = {};
  await Promise.all(
    Object.entries(people).map(async ([key, p]) => {
      clients[key] = await roleUser(srv, admin, secadmin, {
        login: key.toLowerCase(),
        name: p.name,
        unit_id: units[p.unit].id,
        grants: p.grants.map(([role, scope]) => [role, typeof scope === 'number' ? scope : units[scope].id]),
      });
    }),
  );
  return { admin, secadmin, units, ...clients };
}

let seq = 0;
/** A registration body with sensible defaults (an immediate problem of unit_id). */
export function problemBody(unit_id, extra = {}) {
  seq++;
  return {
    source: '调研',
    category: '项目推进',
    title: `项目配套道路未完工${seq}`,
    description: `调研发现，项目配套道路迟迟未完工（第${seq}项）。`,
    found_on: '2025-03-03',
    unit_id,
    mode: 'immediate',
    measures: '协调住建部门，限期完工。',
    deadline: '2099-12-31',
    ...extra,
  };
}

/** Registers a problem as c (asserting 201) and returns it. */
export async function register(c, body) {
  const res = await c.post('/api/v1/problems', body);
  assert.equal(res.status, 201, `register ${body.title}: ${res.text}`);
  return res.body;
}

/**
 * POST /problems/{id}/actions/{action}; resolves the raw reply. Without a version the problem's
 * current one is read first, as c (a client that cannot read it sends none and meets the
 * refusal); version null sends none at all.
 */
export async function act(c, id, action, fields, attachment_ids, version) {
  const body = {};
  if (fields !== undefined) body.fields = fields;
  if (attachment_ids !== undefined) body.attachment_ids = attachment_ids;
  if (version === undefined) version = await currentVersion(c, `/api/v1/problems/${id}`);
  if (version !== null && version !== undefined) body.version = version;
  return c.post(`/api/v1/problems/${id}/actions/${action}`, body);
}

/** The version of the record at path as c sees it, or undefined when c cannot read it. */
export async function currentVersion(c, path) {
  const res = await c.get(path);
  return res.status === 200 ? res.body.version : undefined;
}

/** An action that must succeed; returns the problem after it. */
export async function actOk(c, id, action, fields, attachment_ids) {
  const res = await act(c, id, action, fields, attachment_ids);
  assert.equal(res.status, 200, `${action} on ${id}: ${res.text}`);
  return res.body;
}

/** Uploads bytes as evidence of problem id under name; resolves the raw reply. */
export function upload(c, id, name, bytes, type = 'image/png') {
  return c.post(`/api/v1/problems/${id}/attachments?name=${encodeURIComponent(name)}`, undefined, {
    body: bytes,
    type,
  });
}

/** The names of the actions c may take on problem id now (sorted). */
export async function actionNames(c, id) {
  const body = await c.ok(`/api/v1/problems/${id}/actions`);
  return body.items.map((a) => a.name).sort();
}

/**
 * Takes a registered problem through the whole loop to closed: assign (operator), sign,
 * photo, claim (handler), verify_pass (supervisor). Returns the closed problem.
 */
export async function closeLoop(ctx, handler, id) {
  await actOk(ctx.operator, id, 'assign', { note: '请按期办结' });
  await actOk(handler, id, 'sign', {});
  const up = await upload(handler, id, '整改照片.png', pngOfSize(200, id));
  assert.equal(up.status, 201, up.text);
  await actOk(handler, id, 'claim', { summary: '已整改完毕' }, [up.body.id]);
  return actOk(ctx.supervisor, id, 'verify_pass', { method: '电话核实', finding: '已解决' });
}

/** A query string from a filters object of the figures (values as they are). */
export function query(filters) {
  return new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)])).toString();
}

// ---- ledger files ----

/** Parses CSV text (RFC 4180, optional BOM) into rows of cells. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      /* the \n ends the row */
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Writes rows of cells as CSV text (CRLF, quoting where needed). */
export function toCsv(rows) {
  const q = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map((c) => q(String(c ?? ''))).join(',')).join('\r\n') + '\r\n';
}

/** The entries of a zip file as a Map of name → Buffer (stored or deflated entries). */
export function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0 && i >= buf.length - 22 - 65535; i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  assert.ok(eocd >= 0, 'not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let k = 0; k < count; k++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const elen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    const lnlen = buf.readUInt16LE(local + 26);
    const lelen = buf.readUInt16LE(local + 28);
    const data = buf.subarray(local + 30 + lnlen + lelen, local + 30 + lnlen + lelen + csize);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    p += 46 + nlen + elen + clen;
  }
  return out;
}

const unescapeXml = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');

/**
 * The first sheet of an XLSX file as rows of cell texts (inline or shared strings as text,
 * numbers as their stored value), cells placed by their column letters.
 */
export function xlsxRows(buf) {
  const files = unzip(buf);
  const sheetName = [...files.keys()].find((n) => /^xl\/worksheets\/sheet1\.xml$/.test(n));
  assert.ok(sheetName, `no sheet1 in ${[...files.keys()].join(', ')}`);
  const shared = [];
  if (files.has('xl/sharedStrings.xml')) {
    const sst = files.get('xl/sharedStrings.xml').toString('utf8');
    for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>/g))
      shared.push(unescapeXml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  }
  const xml = files.get(sheetName).toString('utf8');
  const rows = [];
  for (const rm of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const row = [];
    for (const cm of rm[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1];
      const inner = cm[2] || '';
      const ref = /\br="([A-Z]+)\d+"/.exec(attrs)[1];
      let col = 0;
      for (const ch of ref) col = col * 26 + (ch.charCodeAt(0) - 64);
      const type = (/\bt="([^"]+)"/.exec(attrs) || [])[1];
      let v = '';
      if (type === 'inlineStr')
        v = unescapeXml([...inner.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
      else {
        const vm = /<v>([\s\S]*?)<\/v>/.exec(inner);
        v = vm ? unescapeXml(vm[1]) : '';
        if (type === 's') v = shared[Number(v)];
      }
      row[col - 1] = v;
    }
    for (let i = 0; i < row.length; i++) if (row[i] === undefined) row[i] = '';
    rows.push(row);
  }
  return rows;
}

/** The ledger's columns, in export order. */
export const LEDGER_HEADERS = [
  '序号', '问题来源', '问题类别', '问题描述', '发现时间', '责任单位', '配合单位', '责任领导',
  '责任人', '整改措施', '整改目标', '完成时限', '整改方式', '进展情况', '状态', '核查情况',
  '销号时间', '备注', '问题标题',
];
