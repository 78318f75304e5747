#!/usr/bin/env node
/**
 * Compares goport's gated-symbol / platform-syscall findings with the Go compiler's own
 * "undefined" errors, platform by platform. Run it on your own Go trees (the test suite runs it on
 * fixtures/); on a fetched project run it by hand and keep only the figures.
 *
 *   node scripts/compare-compiler.mjs DIR [--platforms kubernetes] [--rules gated-symbol,platform-syscall] [--json] [--compiler-cache CDIR]
 *   node scripts/compare-compiler.mjs DIR --mode int-overflow [--platforms linux/386,linux/arm,linux/mips,linux/mipsle] [--json]
 *
 * For each platform it runs `go test -count=1 -run ^$ -exec /bin/true -gcflags=-e ./...` in DIR with
 * GOOS/GOARCH set and CGO_ENABLED=0 (this type-checks packages, their tests and external tests),
 * collects "undefined: X", "X not declared by package P", "x.M undefined (type T has no field or method M)"
 * and "build constraints exclude all Go files" errors, and matches them with goport's findings by
 * file, line and platform. An error the compiler reports on every target where its file compiles is
 * not a portability bug (the code is broken everywhere) and is counted apart.
 *
 * --compiler-cache CDIR keeps each platform's compiler errors (all of them outside vendor/, for both modes) in
 * CDIR/all-GOOS-GOARCH.json and reads them back on the next run, so goport can be re-matched after a change without rebuilding.
 *
 * `--mode int-overflow` matches int-overflow-32bit instead, with the compiler's constant errors:
 * "… (overflows)", "X overflows T", "(truncated)", "truncated to", "invalid array length", "cannot
 * convert … constant". Only an error that also occurs on a 64-bit platform counts as broken
 * everywhere (an overflow on every 32-bit platform of a file is exactly the bug the rule finds).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const goport = path.resolve(here, '../bin/goport.js');

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '.');
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const mode = opt('mode', 'undefined');
if (mode !== 'undefined' && mode !== 'int-overflow') throw new Error(`--mode ${mode}: want undefined or int-overflow`);
const overflowMode = mode === 'int-overflow';
const platformsSpec = opt('platforms', overflowMode ? 'linux/386,linux/arm,linux/mips,linux/mipsle' : 'kubernetes');
const rules = new Set(opt('rules', overflowMode ? 'int-overflow-32bit' : 'gated-symbol,platform-syscall').split(','));
const asJson = args.includes('--json');
const compilerCache = opt('compiler-cache', null);

const UNDEF = [
  /^undefined: (?:\w+\.)?(\w+)/,
  /^(\S+) not declared by package (\S+)/,
  /^undefined: (\w+)\.(\w+)/,
  /^(\S+?)\.(\w+) undefined \(type .* has no field or method (\w+)/,
  /build constraints exclude all Go files in/,
  /^unknown field '?(\w+)'? in struct literal/,
];

/** The compiler's errors for constants that do not fit their type (--mode int-overflow). */
const OVERFLOW = [/overflows/, /\(truncated\)$/, /truncated to \S+$/, /^invalid array length /, /^array length .* must be integer/, /^cannot convert .*constant/];
const WORD32 = /\/(386|arm|mips|mipsle)$/;
const PATTERNS = overflowMode ? OVERFLOW : UNDEF;

function goportRun() {
  const r = spawnSync(process.execPath, [goport, 'check', './...', '--no-config', '--format', 'json', '--platforms', platformsSpec], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`goport failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** -mod for go when GOFLAGS does not say: vendor for a tree whose module file is vendor.mod. */
let modFlag = '-mod=mod';

/**
 * The directory go runs in: DIR itself when it is inside a module, else a copy with a go.mod: its
 * vendor.mod (and vendor.sum) when it has one (moby's and docker/cli's convention, as goport reads
 * it), else a module of its own.
 */
function goDir(tmp) {
  let d = dir;
  for (;;) {
    if (fs.existsSync(path.join(d, 'go.mod'))) {
      // The go command's own default for a module with vendor/modules.txt (go 1.14+): the vendored copies, not the cache.
      if (fs.existsSync(path.join(d, 'vendor', 'modules.txt'))) modFlag = '-mod=vendor';
      return dir;
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  const copy = path.join(tmp, 'src');
  fs.cpSync(dir, copy, { recursive: true });
  if (fs.existsSync(path.join(copy, 'vendor.mod'))) {
    fs.copyFileSync(path.join(copy, 'vendor.mod'), path.join(copy, 'go.mod'));
    if (fs.existsSync(path.join(copy, 'vendor.sum'))) fs.copyFileSync(path.join(copy, 'vendor.sum'), path.join(copy, 'go.sum'));
    if (fs.existsSync(path.join(copy, 'vendor'))) modFlag = '-mod=vendor';
  } else fs.writeFileSync(path.join(copy, 'go.mod'), 'module example.com/fixture\n\ngo 1.19\n');
  return copy;
}

function* parseJsonStream(text) {
  let depth = 0, start = -1, inStr = false, esc = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) yield JSON.parse(text.slice(start, i + 1));
  }
}

function compilerErrors(goos, goarch, tmp, cwd) {
  const env = { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: process.env.GOFLAGS ?? modFlag, GOPROXY: 'off', GOPATH: path.join(tmp, 'gopath'), GOTOOLCHAIN: 'local' };
  // Packages that fail to load (an import with no files here) stop `go test ./...` as a whole:
  // find them first and type-check the others.
  const list = spawnSync('go', ['list', '-e', '-json', './...'], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (list.error) throw list.error;
  const good = [];
  const loadErrors = [];
  const unchecked = new Set(); // package dirs the compiler never type-checked here
  const excludedPairs = new Set(); // "importer -> imported" for imports of packages with no files here
  for (const pkg of parseJsonStream(list.stdout)) {
    const errs = [...(pkg.Error ? [pkg.Error] : []), ...(pkg.DepsErrors ?? [])];
    for (const e of errs) {
      const st = e.ImportStack ?? [];
      if (/build constraints exclude all Go files/.test(e.Err) && st.length >= 1) excludedPairs.add(st[st.length - 1]);
    }
    const rel = path.relative(cwd, pkg.Dir ?? '').split(path.sep).join('/') || '.';
    if (errs.length > 0) {
      loadErrors.push(...errs.map((e) => e.Err));
      unchecked.add(rel);
    } else good.push(pkg.ImportPath);
  }
  if (list.status !== 0 && good.length === 0 && loadErrors.length === 0) throw new Error(`go list failed on ${goos}/${goarch}: ${list.stderr}`);
  const r = good.length === 0 ? { stdout: '', stderr: '' } : spawnSync('go', ['test', '-count=1', '-run', '^$', '-exec', '/bin/true', '-gcflags=-e', ...good], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = `${r.stdout}\n${r.stderr}\n${loadErrors.join('\n')}`;
  if (r.error) throw r.error;
  const fatal = /^(go: .*|pattern .*|.*does not contain main module.*)$/m.exec(out);
  if (fatal && !/\.go:\d+:\d+: /.test(out)) throw new Error(`go failed on ${goos}/${goarch}: ${fatal[0]}`);
  // A package whose dependency fails to compile is never type-checked itself: go prints
  // "FAIL path [build failed]" without a "# path" section of its own.
  const dirOfImport = new Map();
  for (const pkg of parseJsonStream(list.stdout)) dirOfImport.set(pkg.ImportPath, path.relative(cwd, pkg.Dir ?? '').split(path.sep).join('/') || '.');
  // Type-checked: a "# path" section that lists positioned errors, or a package that built. Its
  // test files only when its test variant was ("# p [p.test]", "# p_test [p.test]", or its tests
  // built): when the package's own files fail, go never compiles the variant with its tests.
  const built = [...out.matchAll(/^(?:ok|\?)\s+(\S+)/gm)].map((m) => m[1]);
  const typeChecked = new Set(built);
  const testsChecked = new Set(built);
  let section = null;
  let testSection = false;
  for (const line of out.split('\n')) {
    const h = /^# (\S+)( \[\S+\.test\])?/.exec(line);
    if (h) {
      section = h[1].replace(/_test$/, ''); // "# p_test [p.test]" is p's external test package
      testSection = h[2] !== undefined;
    } else if (section && /\.go:\d+:\d+: /.test(line)) (testSection ? testsChecked : typeChecked).add(section);
  }
  for (const ip of testsChecked) typeChecked.add(ip);
  for (const ip of good) if (!typeChecked.has(ip) && dirOfImport.has(ip)) unchecked.add(dirOfImport.get(ip));
  const uncheckedTests = new Set(unchecked);
  for (const ip of good) if (!testsChecked.has(ip) && dirOfImport.has(ip)) uncheckedTests.add(dirOfImport.get(ip));
  // Imports of packages with no non-test files fail at build time, naming only the imported package.
  for (const m of out.matchAll(/^(?:go build )?(\S+): build constraints exclude all Go files in/gm)) excludedPairs.add(m[1]);
  const errs = [];
  errs.unchecked = unchecked;
  errs.uncheckedTests = uncheckedTests;
  errs.excludedPairs = excludedPairs;
  for (const line of out.split('\n')) {
    const m = /^(?:vet: )?(\.{0,2}\/?[^\s:]+\.go):(\d+):(\d+): (.*)$/.exec(line.trim());
    if (!m) {
      const ex = /build constraints exclude all Go files in (\S+)/.exec(line.trim());
      if (ex) errs.push({ file: null, line: 0, msg: line.trim(), excluded: ex[1] });
      continue;
    }
    const [, file, l, , msg] = m;
    // goport leaves vendor/ out unless --vendor; so does this comparison. Every other positioned
    // error is kept (the cache serves both modes); PATTERNS select the ones compared.
    if (/^(\.\/)?vendor\//.test(file)) continue;
    errs.push({ file: path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/'), line: Number(l), msg });
  }
  return errs;
}

/** compilerErrors, read from / written to --compiler-cache when given. */
function cachedCompilerErrors(goos, goarch, tmp, cwd) {
  // One file per platform for both modes: it holds every positioned error outside vendor/.
  const file = compilerCache ? path.join(path.resolve(compilerCache), `all-${goos}-${goarch}.json`) : null;
  const compared = (errs) =>
    Object.assign(errs.filter((e) => e.file === null || PATTERNS.some((re) => re.test(e.msg))), { unchecked: errs.unchecked, uncheckedTests: errs.uncheckedTests, excludedPairs: errs.excludedPairs });
  if (file && fs.existsSync(file)) {
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    // A cache written before uncheckedTests was kept: the package's own answer stands for its tests.
    return compared(Object.assign(c.errs, { unchecked: new Set(c.unchecked), uncheckedTests: new Set(c.uncheckedTests ?? c.unchecked), excludedPairs: new Set(c.excludedPairs) }));
  }
  const errs = compilerErrors(goos, goarch, tmp, cwd);
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ errs: [...errs], unchecked: [...errs.unchecked], uncheckedTests: [...errs.uncheckedTests], excludedPairs: [...errs.excludedPairs] }));
  }
  return compared(errs);
}

const report = goportRun();
const platforms = report.platforms;
const findings = report.findings.filter((f) => rules.has(f.rule));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-cmp-'));
const compiler = new Map(); // key file:line → Set(platform)
const messages = new Map();
const unchecked = new Map(); // platform → Set(package dir)
const uncheckedTests = new Map(); // platform → Set(package dir whose test files the compiler never type-checked)
const compilerExcluded = new Set(); // "imported @ platform"
try {
  const cwd = goDir(tmp);
  for (const p of platforms) {
    const [goos, goarch] = p.split('/');
    const errs = cachedCompilerErrors(goos, goarch, tmp, cwd);
    unchecked.set(p, errs.unchecked);
    uncheckedTests.set(p, errs.uncheckedTests);
    if (!overflowMode) for (const pair of errs.excludedPairs) compilerExcluded.add(`${pair} @ ${p}`);
    for (const e of errs) {
      if (e.file === null) continue;
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
const filesRun = spawnSync(process.execPath, [goport, 'files', './...', '--no-config', '--format', 'json', '--platforms', platformsSpec], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
const fileOn = new Map();
const importPathOfDir = new Map();
for (const pkg of JSON.parse(filesRun.stdout).packages) {
  importPathOfDir.set(pkg.dir, pkg.importPath);
  for (const [p, names] of Object.entries(pkg.files)) {
    for (const n of names) {
      const f = pkg.dir === '.' ? n : `${pkg.dir}/${n}`;
      if (!fileOn.has(f)) fileOn.set(f, new Set());
      fileOn.get(f).add(p);
    }
  }
}
const dirOf = (file) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');

const goportKeys = new Map();
const goportExcluded = new Map(); // "imported @ platform" → some importer was type-checked
let unverifiable = 0;
for (const f of findings) {
  const ex = /^build constraints exclude all Go files in (\S+)/.exec(f.message);
  for (const p of f.platforms) {
    if (ex) {
      const k = `${ex[1]} @ ${p}`;
      // Verifiable when some importer was type-checked, or the compiler reports the same import.
      const checked = !unchecked.get(p)?.has(dirOf(f.file));
      goportExcluded.set(k, (goportExcluded.get(k) ?? false) || checked);
      continue;
    }
    // The compiler never type-checked this package here (it failed to load), or its test files (its
    // own files failed first): nothing to compare.
    if ((f.file.endsWith('_test.go') ? uncheckedTests : unchecked).get(p)?.has(dirOf(f.file))) {
      unverifiable++;
      continue;
    }
    const key = `${f.file}:${f.line}`;
    if (!goportKeys.has(key)) goportKeys.set(key, new Set());
    goportKeys.get(key).add(p);
  }
}

let tp = 0, fp = 0, fn = 0, everywhere = 0;
const falsePositives = [], missed = [];
/** Counts per platform: [found, false positives, missed]. */
const byPlatform = Object.fromEntries(platforms.map((p) => [p, [0, 0, 0]]));
const tally = (p, i) => byPlatform[p] && byPlatform[p][i]++;
for (const [key, plats] of compiler) {
  const file = key.slice(0, key.lastIndexOf(':'));
  const on = new Set([...(fileOn.get(file) ?? [])].filter((p) => !(file.endsWith('_test.go') ? uncheckedTests : unchecked).get(p)?.has(dirOf(file))));
  const broken = overflowMode ? [...plats].some((p) => !WORD32.test(p)) : on.size > 0 && [...on].every((p) => plats.has(p));
  if (broken) {
    everywhere += plats.size;
    continue;
  }
  const mine = goportKeys.get(key) ?? new Set();
  for (const p of plats) {
    if (mine.has(p)) tp++, tally(p, 0);
    else {
      fn++, tally(p, 2);
      missed.push(`${key} ${p}: ${messages.get(key)}`);
    }
  }
}
for (const [key, plats] of goportKeys) {
  const theirs = compiler.get(key) ?? new Set();
  for (const p of plats) {
    if (!theirs.has(p)) {
      fp++, tally(p, 1);
      falsePositives.push(`${key} ${p}`);
    }
  }
}
// Imports of packages that have no files on a platform (a load error, reported once per import).
// One that no file outside vendor/ names is made by a vendored package, which goport leaves out
// as it leaves out vendor/'s own errors (counted apart).
let vendoredImporter = 0;
const importedOutsideVendor = (() => {
  let text = null;
  return (ip) => {
    if (text === null) {
      const parts = [];
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) {
            if (e.name !== 'vendor' && e.name !== 'testdata' && !e.name.startsWith('.') && !e.name.startsWith('_')) walk(path.join(d, e.name));
          } else if (e.name.endsWith('.go')) parts.push(fs.readFileSync(path.join(d, e.name), 'utf8'));
        }
      };
      walk(dir);
      text = parts.join('\n');
    }
    return text.includes(`"${ip}"`);
  };
})();
for (const e of compilerExcluded) {
  const p = e.slice(e.lastIndexOf(' @ ') + 3);
  if (!goportExcluded.has(e) && !importedOutsideVendor(e.slice(0, e.lastIndexOf(' @ ')))) {
    vendoredImporter++;
    continue;
  }
  if (goportExcluded.has(e)) tp++, tally(p, 0);
  else {
    fn++, tally(p, 2);
    missed.push(`import ${e}: build constraints exclude all Go files`);
  }
}
for (const [e, checked] of goportExcluded) {
  if (compilerExcluded.has(e)) continue;
  if (!checked) unverifiable++;
  else {
    fp++, tally(e.slice(e.lastIndexOf(' @ ') + 3), 1);
    falsePositives.push(`import ${e}`);
  }
}
const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
const summary = { dir, platforms: platforms.length, truePositives: tp, falsePositives: fp, falseNegatives: fn, brokenEverywhere: everywhere, vendoredImporter, unverifiable, precision, recall, byPlatform, missed: missed.sort(), falsePositiveList: falsePositives.sort() };
if (asJson) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
else {
  process.stdout.write(`${dir}: ${tp} found, ${fp} false positives, ${fn} missed (precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%); ${everywhere} compiler errors broken everywhere; ${unverifiable} goport findings in packages the compiler could not load\n`);
  for (const m of missed.slice(0, 50)) process.stdout.write(`  missed: ${m}\n`);
  for (const m of falsePositives.slice(0, 50)) process.stdout.write(`  false positive: ${m}\n`);
}
