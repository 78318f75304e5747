#!/usr/bin/env node
/**
 * npm run bench [-- DIR...]: goport against a bare single-thread tree-sitter parse of the same files,
 * as whole processes (start-up included), in interleaved pairs (goport, parse, goport, parse...) so
 * that a machine whose speed drifts still gives a fair ratio; every figure is the median of its runs.
 *
 * Always measures a generated tree (seeded: ~2,000 ordinary files and a few huge ones, in a temp
 * directory) and checks it against BOUNDS: a ratio past its bound fails the script (exit 1). A DIR
 * (a Go tree outside this repository, e.g. a release of docker/cli with its vendor/) is measured
 * the same way and reported, with no bounds. BENCH_RUNS=N sets the number of pairs (default 3).
 *
 * Per tree: cold `check ./...` (11 platforms, --vendor when the tree has vendor/, --no-cache) over the
 * bare parse; its CPU and peak RSS (from --timing); warm `--platforms all` over warm 11 platforms,
 * wall and CPU (the CPU ratio is the work; on a busy machine the wall one mostly measures the
 * neighbours); a warm `--staged` with one changed file (a throw-away git index outside the tree: the
 * tree is never touched): its wall and CPU against the 0.3 s target, its stages, and its ratio to
 * the process start-up. Run it on a quiet machine; the ratios are meaningful on a busy one too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const goport = path.resolve(here, '../bin/goport.js');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

/**
 * Bounds on the generated tree: today's figures (measured on a busy 2-core machine) with some room,
 * so that a regression fails the bench. TARGETS are where the figures should go (issue #13); they
 * are printed, not enforced.
 */
const BOUNDS = {
  'cold check / bare parse': 4.0,
  'warm all platforms / warm 11': 2.0,
  'warm all platforms / warm 11 (CPU)': 2.0,
  'cold peak RSS (MB)': 900,
  'warm --staged one file / start-up': 12,
};
const TARGETS = {
  'cold check / bare parse': 1.3,
  'warm all platforms / warm 11': 1.3,
  'warm all platforms / warm 11 (CPU)': 1.3,
  'cold peak RSS (MB)': 400,
  'warm --staged one file / start-up': 4,
  'warm --staged one file (s)': 0.3,
  'warm --staged one file CPU (s)': 0.3,
};

// ---------------------------------------------------------------- the yardstick: a bare parse

/** The .go files goport reads: as its discovery, testdata/, _x, .x (and vendor/ unless asked) skipped. */
function listGo(dir, vendor) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.startsWith('_') || e.name === 'testdata' || (e.name === 'vendor' && !vendor)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.go')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

if (process.argv[2] === '--bare-parse') {
  // One thread, each file read and parsed, its tree dropped: what any tool built on tree-sitter pays.
  const { default: Parser } = await import('tree-sitter');
  const { default: Go } = await import('tree-sitter-go');
  const parser = new Parser();
  parser.setLanguage(Go);
  for (const f of listGo(process.argv[3], process.argv[4] === '--vendor')) {
    const text = fs.readFileSync(f, 'utf8');
    parser.parse(text, null, { bufferSize: Math.min(Math.max(text.length + 1, 1024), 1 << 22) });
  }
  process.exit(0);
}

// ---------------------------------------------------------------- the generated tree

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function generate(dir) {
  const r = rng(42);
  const suffixes = ['', '', '', '_linux', '_windows', '_darwin', '_unix', '_amd64', '_arm64', '_linux_arm'];
  const tags = ['', '', '//go:build linux || darwin\n\n', '//go:build !windows\n\n', '//go:build amd64 && !purego\n\n', '// +build linux\n\n'];
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/bench\n\ngo 1.21\n');
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
    }
  }
  // A few huge files, as generated tables and table-driven tests are (about 1.5 MB each).
  for (let h = 0; h < 3; h++) {
    let body = `package pkg${h}\n\nimport "testing"\n\nvar table${h} = []struct {\n\tname string\n\tin   []int64\n\twant map[string]int\n}{\n`;
    for (let i = 0; i < 12000; i++) body += `\t{name: "case-${i}", in: []int64{${i}, ${i * 7}, -${i}}, want: map[string]int{"x": ${i % 97}, "y": ${i % 13}}},\n`;
    body += `}\n\nfunc TestTable${h}(t *testing.T) {\n\tfor _, c := range table${h} {\n\t\tif len(c.in) != 3 {\n\t\t\tt.Fatal(c.name)\n\t\t}\n\t}\n}\n`;
    fs.writeFileSync(path.join(dir, `pkg${h}`, `huge${h}_test.go`), body);
  }
}

// ---------------------------------------------------------------- measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs a command to completion; returns its wall time (ms) and stderr. */
function run(args, { cwd, env = process.env }) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return { ms, stderr: r.stderr ?? '' };
}

/** A goport --timing figure from stderr. */
function timing(stderr, key) {
  const m = new RegExp(`^timing: ${key} ([\\d.]+)`, 'm').exec(stderr);
  return m ? Number(m[1]) : NaN;
}

/** RUNS interleaved pairs of `a` and `b`: medians of each and of the pairwise ratios a/b. */
function pairs(a, b) {
  const as = [];
  const bs = [];
  const ratios = [];
  const out = [];
  const outB = [];
  for (let i = 0; i < RUNS; i++) {
    const ra = a();
    const rb = b();
    as.push(ra.ms);
    bs.push(rb.ms);
    ratios.push(ra.ms / rb.ms);
    out.push(ra);
    outB.push(rb);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), runs: out, runs11: outB, as, bs };
}

function git(args, env, cwd) {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * An index of its own for `dir` (GIT_DIR in a temp directory, the tree as its work tree) with every
 * file committed and one changed Go file staged (its new content only in git's object store).
 */
function stagedEnv(dir, files) {
  const gitDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-bench-git-'));
  const env = { ...process.env, GIT_DIR: gitDir, GIT_WORK_TREE: dir, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@b' };
  git(['init', '-q'], env, dir);
  git(['add', '-A', '--', ...new Set(files.map((f) => path.relative(dir, path.dirname(f)) || '.'))], env, dir);
  git(['commit', '-qm', 'bench', '--no-verify'], env, dir);
  // The changed file: an ordinary one of the tree (not vendored, not a test), with a line added.
  const pick = files.find((f) => !f.includes(`${path.sep}vendor${path.sep}`) && !f.endsWith('_test.go')) ?? files[0];
  const rel = path.relative(dir, pick).split(path.sep).join('/');
  const blob = spawnSync('git', ['hash-object', '-w', '--stdin'], { env, cwd: dir, input: `${fs.readFileSync(pick, 'utf8')}\nvar _ = 1\n`, encoding: 'utf8' }).stdout.trim();
  git(['update-index', '--cacheinfo', `100644,${blob},${rel}`], env, dir);
  return { env, gitDir, rel };
}

function measure(label, dir) {
  const vendor = fs.existsSync(path.join(dir, 'vendor'));
  const files = listGo(dir, vendor);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(`\n${label}: ${dir}\n  ${files.length} Go files, ${(bytes / 1e6).toFixed(1)} MB${vendor ? ' (vendor/ included)' : ''}; node ${process.version}, ${os.availableParallelism()} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const vflag = vendor ? ['--vendor'] : [];
  const check = (extra, env) => () => run([goport, 'check', './...', ...vflag, '--format', 'json', '-o', os.devNull, '--no-progress', '--timing', ...extra], { cwd: dir, ...(env ? { env } : {}) });
  const bare = () => run([fileURLToPath(import.meta.url), '--bare-parse', dir, ...vflag], { cwd: dir });

  const cold = pairs(check(['--no-cache']), bare);
  const cpu = median(cold.runs.map((r) => timing(r.stderr, 'cpu')));
  const rss = Math.max(...cold.runs.map((r) => timing(r.stderr, 'peak-rss')));

  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-bench-cache-'));
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome, GOPORT_CACHE_DIR: cacheHome };
  check(['--platforms', 'all'], env)();
  const warm = pairs(check(['--platforms', 'all'], env), check([], env));
  // CPU of the whole process (workers included, from --timing): on a busy machine the wall ratio
  // mostly measures the neighbours; the CPU ratio is the work.
  const warmCpu = median(warm.runs.map((r) => timing(r.stderr, 'cpu')));
  const warm11Cpu = median(warm.runs11.map((r) => timing(r.stderr, 'cpu')));

  let staged;
  try {
    const s = stagedEnv(dir, files);
    const senv = { ...env, GIT_DIR: s.env.GIT_DIR, GIT_WORK_TREE: dir };
    const one = () => run([goport, 'check', '--staged', '--format', 'json', '-o', os.devNull, '--no-progress', '--timing'], { cwd: dir, env: senv });
    const startup = () => run([goport, 'version'], { cwd: dir });
    one();
    // Against the process start-up (node + goport's modules), in pairs: a busy machine slows both.
    staged = pairs(one, startup);
    staged.cpu = median(staged.runs.map((r) => timing(r.stderr, 'cpu')));
    // Where a warm pre-commit run spends its time (--timing stages of the median run).
    const mid = staged.runs[staged.as.indexOf(staged.a)] ?? staged.runs[0];
    staged.stages = ['load', 'parse', 'types', 'analyze', 'report'].map((k) => `${k} ${timing(mid.stderr, k).toFixed(0)} ms`).join(', ');
    fs.rmSync(s.gitDir, { recursive: true, force: true });
  } catch (e) {
    console.log(`  (no --staged figure: ${e.message.split('\n')[0]})`);
  }
  fs.rmSync(cacheHome, { recursive: true, force: true });

  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`  cold check            ${fmt(cold.a)}   bare parse ${fmt(cold.b)}   ratio ${cold.ratio.toFixed(2)}x   (pairs: ${cold.as.map((t, i) => `${fmt(t)}/${fmt(cold.bs[i])}`).join(', ')})`);
  console.log(`  cold check CPU        ${fmt(cpu)} (${(cpu / cold.b).toFixed(2)}x the bare parse's wall)   peak RSS ${rss.toFixed(0)} MB`);
  console.log(`  warm all platforms    ${fmt(warm.a)}   warm 11 ${fmt(warm.b)}   ratio ${warm.ratio.toFixed(2)}x   CPU ${fmt(warmCpu)} / ${fmt(warm11Cpu)} = ${(warmCpu / warm11Cpu).toFixed(2)}x`);
  if (staged !== undefined) {
    console.log(`  warm --staged 1 file  ${fmt(staged.a)} wall, ${fmt(staged.cpu)} CPU (target 0.30 s)   start-up (goport version) ${fmt(staged.b)}   ratio ${staged.ratio.toFixed(2)}x`);
    console.log(`    stages: ${staged.stages}`);
  }
  return {
    'cold check / bare parse': cold.ratio,
    'warm all platforms / warm 11': warm.ratio,
    'warm all platforms / warm 11 (CPU)': warmCpu / warm11Cpu,
    'cold peak RSS (MB)': rss,
    ...(staged !== undefined ? { 'warm --staged one file / start-up': staged.ratio, 'warm --staged one file (s)': staged.a / 1000, 'warm --staged one file CPU (s)': staged.cpu / 1000 } : {}),
    coldMs: cold.a,
    bytes,
  };
}

// ---------------------------------------------------------------- main

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-bench-'));
let failed = false;
try {
  generate(tmp);
  const gen = measure('generated tree', tmp);
  const results = [];
  for (const d of process.argv.slice(2)) results.push([d, measure('tree', path.resolve(d))]);
  if (results.length > 1) {
    const [, first] = results[0];
    for (const [d, r] of results.slice(1)) {
      console.log(`\n${d}: ${(r.bytes / first.bytes).toFixed(1)}x the size of ${results[0][0]}, cold check ${(r.coldMs / first.coldMs).toFixed(1)}x the time`);
    }
  }
  console.log('\nbounds on the generated tree:');
  for (const k of Object.keys(TARGETS)) {
    if (k in BOUNDS || gen[k] === undefined) continue;
    // Absolute times depend on the machine: printed against their target, not enforced.
    console.log(`  info ${k}: ${gen[k].toFixed(2)} (target ${TARGETS[k]})`);
  }
  for (const [k, bound] of Object.entries(BOUNDS)) {
    const v = gen[k];
    if (v === undefined) continue;
    const ok = v <= bound;
    if (!ok) failed = true;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${k}: ${v.toFixed(2)} (bound ${bound}, target ${TARGETS[k]})`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (failed) {
  console.error('\nbench: a ratio regressed past its bound on the generated tree (see FAIL above)');
  process.exit(1);
}
