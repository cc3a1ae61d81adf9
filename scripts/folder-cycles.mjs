#!/usr/bin/env node
/**
 * No import circles between folders (issue 13), checked in test:lint. Each package is a node —
 * a top-level folder of src/ with its subfolders (src/machine/kernels is part of src/machine),
 * each folder of app/, the app's shared root modules (app: store, url, the worker clients) and
 * its entry (app/(entry): main, boot, App) — and a relative import from one node's file of
 * another node's file is an edge. Biome's noImportCycles checks files; this checks the layering
 * above them. Type-only imports count as well: a folder that needs another's types depends on it.
 * Test files are left out (a test may reach across).
 *
 * The edges the app had when the check came in are listed in folder-cycles.baseline.json (the
 * debt to pay off, each with one import that makes it): the graph without them must be acyclic,
 * so no new circle can appear and paying one off is deleting its line.
 * `node scripts/folder-cycles.mjs --baseline` rewrites that list from the current tree.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const ROOTS = ['app', 'src'];
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'fixtures' && e.name !== 'node_modules') walk(p);
    } else if (/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) files.push(p);
  }
};
for (const r of ROOTS) walk(join(root, r));

/** The package a file belongs to (null outside app/ and src/). */
function nodeOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src';
  if (parts[0] !== 'app') return null;
  if (parts.length > 2) return `app/${parts[1]}`;
  return /^(main|boot|App)\.tsx?$/.test(parts[1] ?? '') ? 'app/(entry)' : 'app';
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
const edges = new Map();
const why = new Map();
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const from = nodeOf(relative(root, f));
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const target = relative(root, resolve(dirname(f), spec));
    const folder = nodeOf(target);
    if (folder === null || from === null || folder === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(folder);
    const key = `${from} → ${folder}`;
    if (!why.has(key)) why.set(key, `${relative(root, f)} imports ${target}`);
  }
}

const baselinePath = join(root, 'scripts', 'folder-cycles.baseline.json');
if (process.argv.includes('--baseline')) {
  // Depth-first from the entry: the edges that close a circle (back edges) are the debt.
  const state = new Map();
  const back = [];
  const visit = (v) => {
    state.set(v, 'open');
    for (const w of [...(edges.get(v) ?? [])].sort()) {
      if (state.get(w) === 'open') back.push(`${v} → ${w}`);
      else if (!state.has(w)) visit(w);
    }
    state.set(v, 'done');
  };
  for (const v of ['app/(entry)', ...[...edges.keys()].sort()]) if (!state.has(v)) visit(v);
  const out = Object.fromEntries(back.sort().map((k) => [k, why.get(k)]));
  writeFileSync(baselinePath, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`folder-cycles: ${back.length} edges written to the baseline`);
  process.exit(0);
}
const allowed = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : {};
for (const key of Object.keys(allowed)) {
  const [a, b] = key.split(' → ');
  edges.get(a)?.delete(b);
}

// Tarjan's strongly connected components: any component of more than one folder is a cycle.
let index = 0;
const stack = [];
const on = new Set();
const idx = new Map();
const low = new Map();
const cycles = [];
const connect = (v) => {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) cycles.push(c.sort());
  }
};
for (const v of edges.keys()) if (!idx.has(v)) connect(v);

if (cycles.length === 0) {
  const debt = Object.keys(allowed).length;
  console.log(`folder-cycles: ${edges.size} packages, no new import cycle (${debt} known edges)`);
  process.exit(0);
}
for (const c of cycles) {
  console.error(`import cycle between folders: ${c.join(', ')}`);
  const inside = new Set(c);
  for (const [key, line] of why) {
    const [a, b] = key.split(' → ');
    if (inside.has(a) && inside.has(b) && !(key in allowed)) console.error(`  ${key}: ${line}`);
  }
}
process.exit(1);
