#!/usr/bin/env node
/**
 * Compares goport's gated-symbol / platform-syscall findings with the Go compiler's own
 * "undefined" errors, platform by platform. Run it on your own Go trees (the test suite runs it on
 * fixtures/); on a fetched project run it by hand and keep only the figures.
 *
 *   node scripts/compare-compiler.mjs DIR [--platforms kubernetes] [--rules gated-symbol,platform-syscall] [--json]
 *
 * For each platform it runs `go test -count=1 -run ^$ -exec /bin/true -gcflags=-e ./...` in DIR with
 * GOOS/GOARCH set and CGO_ENABLED=0 (this type-checks packages, their tests and external tests),
 * collects "undefined: X", "X not declared by package P", "x.M undefined (type T has no field or method M)"
 * and "build constraints exclude all Go files" errors, and matches them with goport's findings by
 * file, line and platform. An error the compiler reports on every target where its file compiles is
 * not a portability bug (the code is broken everywhere) and is counted apart.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const goport = path.resolve(here, '../bin/goport.js');

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? '.');
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const platformsSpec = opt('platforms', 'kubernetes');
const rules = new Set(opt('rules', 'gated-symbol,platform-syscall').split(','));
const asJson = args.includes('--json');

const UNDEF = [
  /^undefined: (?:\w+\.)?(\w+)/,
  /^(\S+) not declared by package (\S+)/,
  /^undefined: (\w+)\.(\w+)/,
  /^(\S+?)\.(\w+) undefined \(type .* has no field or method (\w+)/,
  /build constraints exclude all Go files in/,
];

function goportRun() {
  const r = spawnSync(process.execPath, [goport, 'check', './...', '--format', 'json', '--platforms', platformsSpec], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`goport failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function compilerErrors(goos, goarch, tmp) {
  const env = { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: process.env.GOFLAGS ?? '-mod=mod', GOPROXY: 'off', GOCACHE: path.join(tmp, 'cache'), GOPATH: path.join(tmp, 'gopath'), GOTOOLCHAIN: 'local' };
  const r = spawnSync('go', ['test', '-count=1', '-run', '^$', '-exec', '/bin/true', '-gcflags=-e', './...'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = `${r.stdout}\n${r.stderr}`;
  const errs = [];
  for (const line of out.split('\n')) {
    const m = /^(?:vet: )?(\.{0,2}\/?[^\s:]+\.go):(\d+):(\d+): (.*)$/.exec(line.trim());
    if (!m) {
      const ex = /^(?:package \S+: )?(?:.*: )?build constraints exclude all Go files in (\S+)/.exec(line.trim());
      if (ex) errs.push({ file: null, line: 0, msg: line.trim(), excluded: ex[1] });
      continue;
    }
    const [, file, l, , msg] = m;
    if (!UNDEF.some((re) => re.test(msg))) continue;
    errs.push({ file: path.relative(dir, path.resolve(dir, file)).split(path.sep).join('/'), line: Number(l), msg });
  }
  return errs;
}

const report = goportRun();
const platforms = report.platforms;
const findings = report.findings.filter((f) => rules.has(f.rule));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-cmp-'));
const compiler = new Map(); // key file:line → Set(platform)
const messages = new Map();
let excludedImports = 0;
try {
  for (const p of platforms) {
    const [goos, goarch] = p.split('/');
    for (const e of compilerErrors(goos, goarch, tmp)) {
      if (e.file === null) {
        excludedImports++;
        continue;
      }
      const key = `${e.file}:${e.line}`;
      if (!compiler.has(key)) compiler.set(key, new Set());
      compiler.get(key).add(p);
      messages.set(key, e.msg);
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// Platforms where each file compiles, from goport files (to tell portability errors from broken code).
const filesRun = spawnSync(process.execPath, [goport, 'files', './...', '--format', 'json', '--platforms', platformsSpec], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
const fileOn = new Map();
for (const pkg of JSON.parse(filesRun.stdout).packages) {
  for (const [p, names] of Object.entries(pkg.files)) {
    for (const n of names) {
      const f = pkg.dir === '.' ? n : `${pkg.dir}/${n}`;
      if (!fileOn.has(f)) fileOn.set(f, new Set());
      fileOn.get(f).add(p);
    }
  }
}

const goportKeys = new Map();
let goportExcluded = 0;
for (const f of findings) {
  if (f.message.startsWith('build constraints exclude')) {
    goportExcluded++;
    continue;
  }
  const key = `${f.file}:${f.line}`;
  if (!goportKeys.has(key)) goportKeys.set(key, new Set());
  for (const p of f.platforms) goportKeys.get(key).add(p);
}

let tp = 0, fp = 0, fn = 0, everywhere = 0;
const falsePositives = [], missed = [];
for (const [key, plats] of compiler) {
  const file = key.slice(0, key.lastIndexOf(':'));
  const on = fileOn.get(file) ?? new Set();
  if (on.size > 0 && [...on].every((p) => plats.has(p))) {
    everywhere += plats.size;
    continue;
  }
  const mine = goportKeys.get(key) ?? new Set();
  for (const p of plats) {
    if (mine.has(p)) tp++;
    else {
      fn++;
      missed.push(`${key} ${p}: ${messages.get(key)}`);
    }
  }
}
for (const [key, plats] of goportKeys) {
  const theirs = compiler.get(key) ?? new Set();
  for (const p of plats) {
    if (!theirs.has(p)) {
      fp++;
      falsePositives.push(`${key} ${p}`);
    }
  }
}
const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
const summary = { dir, platforms: platforms.length, truePositives: tp, falsePositives: fp, falseNegatives: fn, brokenEverywhere: everywhere, excludedImports, goportExcluded, precision, recall, missed: missed.sort(), falsePositiveList: falsePositives.sort() };
if (asJson) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
else {
  process.stdout.write(`${dir}: ${tp} found, ${fp} false positives, ${fn} missed (precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%); ${everywhere} compiler errors broken everywhere, ${excludedImports} excluded-import errors (goport: ${goportExcluded})\n`);
  for (const m of missed.slice(0, 50)) process.stdout.write(`  missed: ${m}\n`);
  for (const m of falsePositives.slice(0, 50)) process.stdout.write(`  false positive: ${m}\n`);
}
