#!/usr/bin/env node
// check-layers — what may include what in src/ (docs/design.md, "Layers"), read from the
// #include lines; run by `make test` (ctest: lint.layers). Prints each forbidden include as
// FILE:LINE: reason, and exits 1 when there is any.
//
//   base/        nothing of duban but base/
//   store/       base/ and store/; <sqlite3.h> only in its driver store_sqlite.c, <libpq-fe.h>
//                only in store_pg.c
//   services     (flow auth audit attach io notify) base/, store/ and other services
//   core/        base/, store/, services, core/
//   http/ api/ cli/ demo/   the layers below and the foundation (org account access); never a
//                mechanism built on it (problem, study, …)
//   mechanisms   anything below them, and another mechanism's public header only — never its
//                *_int.h — in the order foundation → problem → the rest; no cycles
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src');
const SERVICES = new Set(['flow', 'auth', 'audit', 'attach', 'io', 'notify']);
const FOUNDATION = new Set(['org', 'account', 'access']);
const SHARED = new Set(['http', 'api', 'cli', 'demo']);
const DRIVER_HEADERS = { 'sqlite3.h': 'store/store_sqlite.c', 'libpq-fe.h': 'store/store_pg.c',
  'curl/curl.h': 'notify/send.c', // libcurl: the outbound senders only
  'hs/hs.h': 'publish/scan.c', 'opencc/opencc.h': 'publish/scan.c' }; // the scanner's wrapper
const TOP = new Set(['main.c', 'mechs.c']); // may name every mechanism

const kind = (dir) =>
  dir === 'base' ? 'base' : dir === 'store' ? 'store' : SERVICES.has(dir) ? 'service'
    : dir === 'core' ? 'core' : SHARED.has(dir) ? 'shared' : 'mech';
// Mechanisms' rank: a mechanism includes the public headers of lower ranks only.
const rank = (dir) => (FOUNDATION.has(dir) ? 0 : dir === 'problem' ? 1 : 2);

function allowed(from, to, header) {
  if (from === to) return null;
  const kf = kind(from), kt = kind(to);
  const below = { base: [], store: ['base'], service: ['base', 'store', 'service'],
    core: ['base', 'store', 'service'], shared: ['base', 'store', 'service', 'core', 'shared'],
    mech: ['base', 'store', 'service', 'core', 'shared'] }[kf];
  if (kt === 'mech') {
    if (kf === 'shared' && FOUNDATION.has(to) && !header.endsWith('_int.h')) return null;
    if (kf !== 'mech') return `${from}/ may not include a mechanism (${to}/)`;
    if (header.endsWith('_int.h')) return `${to}/${header} is private to ${to}/`;
    if (rank(to) < rank(from) || (rank(to) === 0 && rank(from) === 0)) return null;
    return `${from}/ may not include ${to}/ (foundation → problem → the rest)`;
  }
  if (!below.includes(kt)) return `${from}/ may not include ${to}/`;
  return null;
}

const faults = [];
// Folders whose headers include each other's: their interfaces must not form a cycle (a .c
// file may use the layer above it, e.g. the server authenticates through account/).
const edges = new Map();
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.[ch]$/.test(e.name)) check(p);
  }
}
function check(file) {
  const rel = path.relative(root, file);
  const parts = rel.split(path.sep);
  const from = parts.length > 1 ? parts[0] : null;
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const sys = /^\s*#\s*include\s*<([^>]+)>/.exec(line);
    if (sys && DRIVER_HEADERS[sys[1]] && rel !== DRIVER_HEADERS[sys[1]])
      faults.push(`src/${rel}:${i + 1}: <${sys[1]}> only in src/${DRIVER_HEADERS[sys[1]]}`);
    const m = /^\s*#\s*include\s*"([^"]+)"/.exec(line);
    if (!m || !from || TOP.has(rel)) return;
    const inc = m[1].split('/');
    if (inc.length < 2) return; // generated or local headers
    const to = inc[0];
    if (!fs.existsSync(path.join(root, m[1]))) {
      faults.push(`src/${rel}:${i + 1}: "${m[1]}" does not exist`);
      return;
    }
    const why = allowed(from, to, inc.slice(1).join('/'));
    if (why) faults.push(`src/${rel}:${i + 1}: ${why}`);
    if (from !== to && file.endsWith('.h')) {
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  });
}
walk(root);

// No cycles between folders' interfaces.
const state = new Map();
function visit(n, trail) {
  if (state.get(n) === 'done') return;
  if (state.get(n) === 'open') {
    faults.push(`include cycle: ${[...trail.slice(trail.indexOf(n)), n].join(' → ')}`);
    return;
  }
  state.set(n, 'open');
  for (const m of edges.get(n) || []) visit(m, [...trail, n]);
  state.set(n, 'done');
}
for (const n of edges.keys()) visit(n, []);

for (const f of faults) console.log(f);
console.log(faults.length ? `check-layers: ${faults.length} forbidden include(s)` : 'check-layers: every include keeps to its layer');
process.exit(faults.length ? 1 : 0);
