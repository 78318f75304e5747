#!/usr/bin/env node
/**
 * npm run bench [-- DIR]: times goport on a large Go tree against a bare tree-sitter parse of the
 * same files. Without DIR it generates a synthetic tree (seeded, ~2,000 files) in a temp directory.
 * Prints median wall times of several runs; run it on an idle machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'tree-sitter';
import Go from 'tree-sitter-go';

const here = path.dirname(fileURLToPath(import.meta.url));
const goport = path.resolve(here, '../bin/goport.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function generate(dir) {
  const r = rng(42);
  const suffixes = ['', '', '', '_linux', '_windows', '_darwin', '_unix', '_amd64', '_arm64', '_linux_arm'];
  const tags = ['', '', '//go:build linux || darwin\n\n', '//go:build !windows\n\n', '//go:build amd64 && !purego\n\n', '// +build linux\n\n'];
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/bench\n\ngo 1.21\n');
  let files = 0;
  for (let p = 0; p < 100; p++) {
    const pkg = `pkg${p}`;
    const d = path.join(dir, pkg);
    fs.mkdirSync(d, { recursive: true });
    for (let f = 0; f < 20; f++) {
      const suffix = suffixes[Math.floor(r() * suffixes.length)];
      const tag = suffix === '' ? tags[Math.floor(r() * tags.length)] : '';
      let body = `${tag}package ${pkg}\n\nimport (\n\t"fmt"\n\t"os"\n\t"sync/atomic"\n)\n\n`;
      body += `type T${f} struct {\n\tmu   int32\n\tn    int64\n\tname string\n\tnext *T${f}\n}\n\n`;
      for (let fn = 0; fn < 12; fn++) {
        body += `func (t *T${f}) M${fn}(x int, s []string) (int, error) {\n\tfor i, v := range s {\n\t\tif len(v) > i {\n\t\t\tx += i\n\t\t}\n\t}\n\tatomic.AddInt64(&t.n, 1)\n\tif x > ${fn} {\n\t\treturn 0, fmt.Errorf("bad %d: %s", x, os.Args[0])\n\t}\n\tm := map[string]int{"a": 1, "b": x}\n\tfor k := range m {\n\t\t_ = k\n\t}\n\treturn x, nil\n}\n\n`;
      }
      fs.writeFileSync(path.join(d, `f${f}${suffix}.go`), body);
      files++;
    }
  }
  return files;
}

function listGo(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'vendor' || e.name === 'testdata' || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.go')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(label, fn) {
  const ts = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  const m = median(ts);
  console.log(`${label.padEnd(44)} ${m.toFixed(0).padStart(7)} ms   (runs: ${ts.map((t) => t.toFixed(0)).join(', ')})`);
  return m;
}

let dir = process.argv[2];
let tmp;
if (!dir) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-bench-'));
  generate(tmp);
  dir = tmp;
}
dir = path.resolve(dir);
const files = listGo(dir);
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
console.log(`tree: ${dir}\nfiles: ${files.length}, ${(bytes / 1e6).toFixed(1)} MB, node ${process.version}, ${os.cpus().length} cores\n`);

const parser = new Parser();
parser.setLanguage(Go);
const bare = time('bare tree-sitter parse (in-process)', () => {
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    parser.parse((i) => text.slice(i, i + 65536));
  }
});
const run = (args) => () => {
  const r = spawnSync(process.execPath, [goport, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(r.stderr);
};
const startup = time('goport version (process start-up)', run(['version']));
const filesT = time('goport files ./... (kubernetes, 11 platforms)', run(['files', './...', '--format', 'json']));
const filesAll = time('goport files ./... --platforms all', run(['files', './...', '--format', 'json', '--platforms', 'all']));
const check = time('goport check ./... (kubernetes, cold: --no-cache)', run(['check', './...', '--format', 'json', '--no-cache']));
const check1 = time('goport check ./... -j 1 (one core, --no-cache)', run(['check', './...', '--format', 'json', '--no-cache', '-j', '1']));
const checkAll = time('goport check ./... --platforms all (--no-cache)', run(['check', './...', '--format', 'json', '--no-cache', '--platforms', 'all']));
// Warm: facts from the cache (a private cache dir, filled by the first run).
const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-bench-cache-'));
const warmEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
const runWarm = (args) => () => {
  const r = spawnSync(process.execPath, [goport, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, env: warmEnv });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(r.stderr);
};
runWarm(['check', './...', '--format', 'json'])();
const warm = time('goport check ./... (warm facts cache)', runWarm(['check', './...', '--format', 'json']));
const oneFile = files.find((f) => !f.includes('_test.go')) ?? files[0];
const single = time('goport check FILE (one file, warm: pre-commit)', runWarm(['check', path.relative(dir, oneFile), '--format', 'json']));
fs.rmSync(cacheHome, { recursive: true, force: true });
console.log(
  `\ncheck / bare parse: ${(check / bare).toFixed(2)}x (one core ${(check1 / bare).toFixed(2)}x); files / bare parse: ${(filesT / bare).toFixed(2)}x; ` +
    `all platforms vs 11: files ${(filesAll / filesT).toFixed(2)}x, check ${(checkAll / check).toFixed(2)}x; warm ${warm.toFixed(0)} ms; one file ${single.toFixed(0)} ms; start-up ${startup.toFixed(0)} ms`,
);
if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
