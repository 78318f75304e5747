/** API indexes (src/apiindex): building, the on-disk format, regeneration, sources, cache, alternatives. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CURATED, editDistance, likeness, similarNames, splitByAlternative } from '../src/apiindex/alternatives.js';
import { indexPackageDir } from '../src/apiindex/build.js';
import { ApiFormatError, type PackageApi, parseApi, serializeApi, serializeApiDelta } from '../src/apiindex/format.js';
import { generateIndexes, type Manifest, tableFile } from '../src/apiindex/generate.js';
import { isApiIndexed } from '../src/apiindex/owner.js';
import { ApiProvider, bundledDir } from '../src/apiindex/provider.js';
import { goRootPlatforms, goRootVersion, isStdPath } from '../src/apiindex/std.js';
import { ApiView } from '../src/apiindex/view.js';
import { main } from '../src/cli/main.js';
import { goEnv } from '../src/loader/go-env.js';
import { parseGoMod } from '../src/loader/gomod.js';
import type { ModuleInfo } from '../src/loader/discover.js';
import { DIST_LIST } from '../src/platform/known.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { tempTrees } from './helpers/temp-tree.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const VENDORED = path.join(ROOT, 'fixtures/platform-syscall/vendored');
const VENDORED_UNIX = path.join(VENDORED, 'vendor/golang.org/x/sys/unix');
const temps = tempTrees('goport-apiindex-');
afterAll(() => temps.remove());
const tree = temps.tree;

const K8S = new Targets(parsePlatforms(['kubernetes']));
const bits = (ids: string[]) => ids.reduce((m, id) => m | K8S.bit(id), 0n);
const viewOf = (api: NonNullable<ReturnType<typeof indexPackageDir>>) => new ApiView(api, K8S);
const opts = { importPath: 'example.com/p', source: { module: 'example.com/p', version: 'v1.0.0' }, platforms: DIST_LIST, goMinor: 22 };

describe('indexPackageDir', () => {
  const dir = tree({
    'p.go': `package p

import "io"

type Conn struct {
	conn
	Name string
}

type conn struct{ fd int }

func (c *conn) Read(b []byte) (int, error) { return 0, nil }

type Wrapped struct {
	io.Reader
}

type Alias = Conn

type Stat struct {
	Size int64
	Time Timespec
}

type Timespec struct{ Sec int64 }

const Everywhere = 1
`,
    'p_linux.go': `package p

func Dup3(a, b, c int) error { return nil }

func (c *conn) Splice() {}

func init() { _ = Stat{} }
`,
    'stat_linux.go': `package p

type StatExtra struct{ Atim Timespec }
`,
    'stat_darwin.go': `package p

type StatExtra struct{ Atimespec Timespec }
`,
    'p_windows.go': `package p

const OnlyWindows = 2
`,
    'ignored_test.go': `package p

func TestOnly() {}
`,
  });
  const api = indexPackageDir(dir, opts)!;
  const v = viewOf(api);

  it('records names that differ, nothing for names everywhere, no test files', () => {
    expect(v.name('Everywhere')).toBeUndefined();
    expect(v.name('Dup3')).toBe(K8S.maskOf((p) => p.goos === 'linux'));
    expect(v.name('OnlyWindows')).toBe(K8S.maskOf((p) => p.goos === 'windows'));
    expect(api.names.has('TestOnly')).toBe(false);
    expect(api.names.has('conn')).toBe(false);
  });

  it('records members, promoted ones through same-package embedding and aliases', () => {
    expect(v.member('Conn', 'Read')).toBeUndefined(); // promoted from conn everywhere
    expect(v.member('Conn', 'Splice')).toBe(K8S.maskOf((p) => p.goos === 'linux'));
    expect(v.member('Alias', 'Splice')).toBe(K8S.maskOf((p) => p.goos === 'linux'));
    expect(v.member('StatExtra', 'Atim')).toBe(K8S.maskOf((p) => p.goos === 'linux'));
    expect(v.member('StatExtra', 'Atimespec')).toBe(K8S.maskOf((p) => p.goos === 'darwin'));
    expect(v.typeMask('StatExtra')).toBe(K8S.maskOf((p) => p.goos !== 'windows'));
  });

  it('marks types embedding another package as open', () => {
    expect(v.open('Wrapped')).toBe(K8S.all);
    expect(v.open('Conn')).toBe(0n);
  });

  it('keeps field types only where a chain can meet a difference', () => {
    expect(v.fieldType('StatExtra', 'Atim')).toBeUndefined(); // Timespec does not differ
    expect(api.fieldTypes.size).toBe(0);
  });

  it('serializes stably and round-trips', () => {
    const text = serializeApi(api);
    expect(serializeApi(parseApi(text))).toBe(text);
    expect(serializeApi(indexPackageDir(dir, opts)!)).toBe(text);
  });

  it('rejects damaged tables', () => {
    expect(() => parseApi('{"format": 1, "path": ')).toThrow(ApiFormatError);
    expect(() => parseApi('{"format": 99}')).toThrow(ApiFormatError);
    const j = JSON.parse(serializeApi(api));
    j.names = [['zz', 'X']];
    expect(() => parseApi(JSON.stringify(j))).toThrow(ApiFormatError);
  });

  it('returns null for a directory without package files', () => {
    expect(indexPackageDir(tree({ 'x_test.go': 'package x\n' }), opts)).toBeNull();
  });
});

describe('regeneration', () => {
  it('gives the same bytes from the same fixture source (and matches the committed table)', () => {
    // The fixture directory has no go.mod of its own: index it as a package directory.
    const api = indexPackageDir(VENDORED_UNIX, {
      importPath: 'golang.org/x/sys/unix',
      source: { module: 'golang.org/x/sys', version: 'v0.0.1-fixture' },
      platforms: DIST_LIST,
      goMinor: 22,
    })!;
    const a = serializeApi(api);
    const b = serializeApi(indexPackageDir(VENDORED_UNIX, { importPath: 'golang.org/x/sys/unix', source: api.source, platforms: DIST_LIST, goMinor: 22 })!);
    expect(b).toBe(a);
    expect(a).toBe(fs.readFileSync(path.join(VENDORED, 'unix.api.golden.json'), 'utf8'));
  });

  it('regenerates a module tree through `goport index` byte for byte', async () => {
    const mod = tree({
      'go.mod': 'module golang.org/x/sys\n\ngo 1.17\n',
      'unix/a_linux.go': 'package unix\n\nconst SYS_DUP3 = 292\n',
      'unix/a_darwin.go': 'package unix\n\nconst SYS_DUP2 = 90\n',
      'unix/all.go': '//go:build linux || darwin\n\npackage unix\n\ntype Stat_t struct{ Size int64 }\n',
      'unix/internal/x/x.go': 'package x\n',
      'windows/w_windows.go': 'package windows\n\ntype Handle uintptr\n',
    });
    const outs: string[] = [];
    const out = temps.fresh('out');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'README.md'), 'kept');
    fs.writeFileSync(path.join(out, 'other.json'), '{}');
    for (let i = 0; i < 2; i++) {
      let stderr = '';
      const code = await main(['index', `${mod}@v0.1.0`, '-o', out], { stdout: () => {}, stderr: (s) => (stderr += s), cwd: ROOT, isTTY: false, env: {} });
      expect(code, stderr).toBe(0);
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest.sources).toEqual([
        { module: 'golang.org/x/sys', version: 'v0.1.0', dir: 'golang.org/x/sys@v0.1.0', packages: ['golang.org/x/sys/unix', 'golang.org/x/sys/windows'] },
      ]);
      outs.push(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8') + fs.readFileSync(path.join(out, 'golang.org/x/sys@v0.1.0/golang.org/x/sys/unix.json'), 'utf8'));
    }
    expect(outs[1]).toBe(outs[0]);
    // Rewriting replaces the tables it wrote before, and nothing else.
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('kept');
    expect(fs.existsSync(path.join(out, 'other.json'))).toBe(true);
  });

  const goroot = goEnv()?.GOROOT;
  const bundled = JSON.parse(fs.readFileSync(path.join(bundledDir(), 'manifest.json'), 'utf8')) as Manifest;
  const std = bundled.sources.find((s) => s.module === 'std')!;
  const sameStd = goroot !== undefined && fs.existsSync(path.join(goroot, 'src', 'syscall')) && goRootVersion(goroot) === std.version;
  it.skipIf(!sameStd)(`regenerates the bundled syscall table from GOROOT (${std.version}) byte for byte`, () => {
    const r = generateIndexes([{ kind: 'goroot', dir: goroot! }], new Set(['syscall']));
    expect(r.files.get(tableFile(std, 'syscall'))).toBe(fs.readFileSync(path.join(bundledDir(), tableFile(std, 'syscall')), 'utf8'));
  }, 60_000);
  if (!sameStd) it('skips the GOROOT regeneration check', () => console.log(`no GOROOT with ${std.version} sources: bundled syscall table not regenerated`));

  // The newest bundled release is stored as a chain of differences: indexed afresh from its own
  // GOROOT (Debian's golang-1.N-go at /usr/lib/go-1.N), it must equal the table the chain gives.
  const newest = bundled.sources.filter((s) => s.module === 'std').at(-1)!;
  const newestMinor = newest.version.replace(/^go(1\.\d+).*/, '$1');
  const newestRoot = `/usr/lib/go-${newestMinor}`;
  const haveNewest = goRootVersion(newestRoot) === newest.version;
  it.skipIf(!haveNewest)(`the difference chain of ${newest.version} gives the table its GOROOT gives`, () => {
    const chained = new ApiProvider({ goMinor: Number(newestMinor.slice(2)), cache: null, goEnv: null, bundled: bundledDir() }).bundled('syscall')!;
    expect(chained.origin).toBe(`bundled ${newest.version}`);
    const r = generateIndexes([{ kind: 'goroot', dir: newestRoot }], new Set(['syscall']));
    expect(serializeApi(chained.api)).toBe(r.files.get(tableFile(newest, 'syscall')));
  }, 60_000);
  if (!haveNewest) it('skips the newest-release check', () => console.log(`no ${newestRoot} with ${newest.version} sources (Debian golang-${newestMinor}-src): difference chain not checked`));
});

describe('tables as differences', () => {
  const mk = (version: string, names: [string, bigint][], members: [string, bigint][] = [], fieldTypes: [string, string][] = []): PackageApi => ({
    path: 'syscall', name: 'syscall', source: { module: 'std', version }, platforms: ['a/x', 'b/x', 'c/x'],
    known: 7n, present: 7n, names: new Map(names), members: new Map(members), open: new Map(), fieldTypes: new Map(fieldTypes),
  });

  it('round-trip: a difference applied to its base gives the table', () => {
    const base = mk('go1.19.8', [['Dup2', 1n], ['Gone', 2n], ['Same', 3n], ['Wider', 1n]], [['Stat_t.Atim', 1n]], [['Stat_t.Atim', 'Timespec']]);
    const now = mk('go1.21.0', [['Dup2', 1n], ['Same', 3n], ['Wider', 3n], ['New', 4n]], [], [['Stat_t.Atim', 'Timespec'], ['Stat_t.Mtim', 'Timespec']]);
    const text = serializeApiDelta(now, base);
    expect(JSON.parse(text)).toMatchObject({ base: 'go1.19.8', names: [['3', 'Wider'], ['4', 'New']], drop: { names: 'Gone', members: 'Stat_t.Atim', open: '', fieldTypes: '' } });
    const back = parseApi(text, (v) => (v === 'go1.19.8' ? parseApi(serializeApi(base)) : null));
    expect(serializeApi(back)).toBe(serializeApi(now));
    expect(() => parseApi(text)).toThrow(ApiFormatError);
    expect(() => parseApi(text, () => mk('go1.18.0', []))).toThrow(/base table go1\.19\.8/);
  });
});

describe('bundled tables', () => {
  it('load lazily, one package at a time', () => {
    const p = new ApiProvider({ goMinor: 22, cache: null, goEnv: null, bundled: bundledDir() });
    expect(p.bundled('golang.org/x/sys/unix')?.api.names.size).toBeGreaterThan(1000);
    expect(p.bundled('syscall')?.api.names.size).toBeGreaterThan(1000);
  });

  it('answer for the configured Go version with the nearest release not newer', () => {
    const at = (goMinor: number) => new ApiProvider({ goMinor, cache: null, goEnv: null, bundled: bundledDir() }).bundled('syscall')!;
    expect(at(19).origin).toBe('bundled go1.19.8');
    expect(at(20).origin).toBe('bundled go1.19.8 for Go 1.20');
    expect(at(25).origin).toMatch(/^bundled go1\.25\.\d+$/);
    expect(at(17).origin).toBe('bundled go1.19.8 (oldest table) for Go 1.17');
    expect(at(40).origin).toMatch(/^bundled go1\.27\.\d+ for Go 1\.40$/);
    // O_DIRECTORY came to solaris after Go 1.19.
    const solaris = new Targets(parsePlatforms(['solaris/amd64,linux/amd64']));
    expect(new ApiView(at(19).api, solaris).name('O_DIRECTORY')).toBe(solaris.bit('linux/amd64'));
    expect(new ApiView(at(25).api, solaris).name('O_DIRECTORY')).toBe(solaris.all);
    // Ports newer than Go 1.19 are known to the newer tables only.
    const newer = new Targets(parsePlatforms(['openbsd/riscv64,wasip1/wasm,linux/amd64'], 27));
    expect(newer.ids(new ApiView(at(19).api, newer).known)).toEqual(['linux/amd64']);
    expect(newer.ids(new ApiView(at(27).api, newer).known)).toEqual(['openbsd/riscv64', 'wasip1/wasm', 'linux/amd64']);
    // Ports later releases dropped are known to the tables of the releases that have them.
    const old = new Targets(parsePlatforms(['windows/arm,openbsd/mips64'], 19));
    expect(old.ids(new ApiView(at(19).api, old).known)).toEqual(['windows/arm', 'openbsd/mips64']);
    expect(new ApiView(at(27).api, old).known).toBe(0n);
  });

  it('know the classic cases', () => {
    const p = new ApiProvider({ goMinor: 22, cache: null, goEnv: null, bundled: bundledDir() });
    const sys = new ApiView(p.bundled('syscall')!.api, K8S);
    const missing = (m: bigint | undefined, where: string[]) => expect(K8S.ids(K8S.all & ~(m ?? K8S.all))).toEqual(where);
    missing(sys.name('Dup2'), ['linux/arm64', 'windows/amd64', 'windows/arm64', 'windows/386']);
    missing(sys.name('Kill'), ['windows/amd64', 'windows/arm64', 'windows/386']);
    expect(sys.name('Getuid')).toBeUndefined();
    expect(sys.member('Stat_t', 'Atim')! & bits(['darwin/amd64', 'darwin/arm64'])).toBe(0n);
    expect(sys.member('Stat_t', 'Atimespec')).toBe(bits(['darwin/amd64', 'darwin/arm64']));
    const win = new ApiView(p.bundled('golang.org/x/sys/windows')!.api, K8S);
    expect(win.present).toBe(K8S.maskOf((x) => x.goos === 'windows'));
  });

  it('name only real packages in the manifest', () => {
    const m = JSON.parse(fs.readFileSync(path.join(bundledDir(), 'manifest.json'), 'utf8')) as Manifest;
    expect(m.platforms).toEqual([...DIST_LIST]);
    for (const s of m.sources) for (const p of s.packages) expect(fs.existsSync(path.join(bundledDir(), tableFile(s, p))), p).toBe(true);
    // Every std release after the first is stored as differences from the one before.
    const std = m.sources.filter((s) => s.module === 'std');
    expect(std.slice(1).map((s) => s.base)).toEqual(std.slice(0, -1).map((s) => s.version));
  });
});

describe('ApiProvider sources', () => {
  const fakeGoroot = tree({
    VERSION: 'go1.99.1\ntime 2030-01-01\n',
    'src/cmd/dist/build.go': 'package main\n\nvar cgoEnabled = map[string]bool{\n\t"linux/amd64": true,\n\t"linux/arm64": true,\n\t"windows/amd64": true,\n\t"linux/sparc64": true,\n}\n\nvar incomplete = map[string]bool{\n\t"linux/sparc64": true,\n}\n',
    'src/syscall/a_linux.go': 'package syscall\n\nfunc Dup3(a, b, c int) error { return nil }\n',
    'src/syscall/a_linux_amd64.go': 'package syscall\n\nfunc Dup2(a, b int) error { return nil }\n',
    'src/syscall/w_windows.go': 'package syscall\n\ntype Handle uintptr\n',
  });

  it('reads a GOROOT: version and supported platforms', () => {
    expect(goRootVersion(fakeGoroot)).toBe('go1.99.1');
    expect(goRootPlatforms(fakeGoroot)).toEqual(['linux/amd64', 'linux/arm64', 'windows/amd64']);
  });

  it('prefers GOROOT, caches by version, ignores and rebuilds a corrupt cache file', () => {
    const cache = temps.fresh('cache');
    const env = { GOROOT: fakeGoroot, GOVERSION: 'go1.99.1', GOMODCACHE: '' };
    const mk = (goMinor = 99) => new ApiProvider({ goMinor, cache, goEnv: env, bundled: bundledDir() });
    // GOROOT answers for its own release only: another configured version reads the bundled tables.
    expect(mk(22).lookup(null, 'syscall', undefined)!.origin).toMatch(/^bundled go1\.22\./);
    const first = mk().lookup(null, 'syscall', undefined)!;
    expect(first.origin).toBe('GOROOT go1.99.1 (indexed)');
    const v = new ApiView(first.api, K8S);
    // Platforms Go 1.99.1 (here) does not support are never answered for.
    expect(K8S.ids(v.known)).toEqual(['linux/amd64', 'linux/arm64', 'windows/amd64']);
    expect(v.name('Dup2')).toBe(bits(['linux/amd64']));
    const file = path.join(cache, 'std@go1.99.1', 'syscall.json');
    const text = fs.readFileSync(file, 'utf8');
    expect(mk().lookup(null, 'syscall', undefined)!.origin).toBe('GOROOT go1.99.1 (cache)');
    fs.writeFileSync(file, text.slice(0, 100)); // a run killed mid-write with a non-atomic writer
    expect(mk().lookup(null, 'syscall', undefined)!.origin).toBe('GOROOT go1.99.1 (indexed)');
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // A std package the GOROOT lacks: no answer (not the bundled one).
    expect(mk().lookup(null, 'os/signal', undefined)).toBeNull();
  });

  it('falls back to the bundled tables without Go', () => {
    const p = new ApiProvider({ goMinor: 22, cache: null, goEnv: null, bundled: bundledDir() });
    expect(p.lookup(null, 'syscall', undefined)?.origin).toMatch(/^bundled go1\.\d+/);
    expect(p.lookup(null, 'golang.org/x/sys/unix', undefined)?.origin).toMatch(/^bundled golang\.org\/x\/sys@v/);
    expect(p.lookup(null, 'example.com/none', undefined)).toBeNull();
    expect(p.lookup(null, 'C', undefined)).toBeNull();
  });

  it('reads the module cache at the version go.mod requires', () => {
    const modcache = tree({
      'example.com/!big!co/lib@v1.2.3/sub/a_linux.go': 'package sub\n\nfunc OnlyLinux() {}\n',
      'example.com/!big!co/lib@v1.2.3/sub/b.go': 'package sub\n\nfunc Everywhere() {}\n',
    });
    const goMod = parseGoMod('module example.com/me\n\ngo 1.21\n\nrequire example.com/BigCo/lib v1.2.3\n');
    const from: ModuleInfo = { dir: '/nowhere', path: 'example.com/me', goMod, vendor: null };
    const p = new ApiProvider({ goMinor: 22, cache: null, goEnv: { GOROOT: '', GOVERSION: '', GOMODCACHE: modcache }, bundled: bundledDir() });
    const r = p.lookup(from, 'example.com/BigCo/lib/sub', undefined)!;
    expect(r.origin).toBe('module cache example.com/BigCo/lib@v1.2.3 (indexed)');
    expect(new ApiView(r.api, K8S).name('OnlyLinux')).toBe(K8S.maskOf((x) => x.goos === 'linux'));
    // A package of the tree that is not x/sys belongs to gated-symbol.
    expect(p.lookup(from, 'example.com/me/x', '/nowhere/x')).toBeNull();
  });
});

describe('ApiProvider: copies without a version', () => {
  it('caches the index of a local x/sys copy by the content of its files', () => {
    const dir = tree({ 'a_linux.go': 'package unix\n\nfunc Dup3() {}\n', 'b.go': 'package unix\n\nfunc Everywhere() {}\n' });
    const cache = temps.fresh('cache');
    const mk = () => new ApiProvider({ goMinor: 22, cache, goEnv: null, bundled: bundledDir() });
    const from: ModuleInfo = { dir: '/nowhere', path: 'example.com/me', goMod: parseGoMod('module example.com/me\n\ngo 1.21\n'), vendor: null };
    const first = mk().lookup(from, 'golang.org/x/sys/unix', dir)!;
    expect(first.origin).toBe('tree (indexed)');
    expect(new ApiView(first.api, K8S).name('Dup3')).toBe(K8S.maskOf((x) => x.goos === 'linux'));
    expect(mk().lookup(from, 'golang.org/x/sys/unix', dir)!.origin).toBe('tree (cache)');
    // Same names, sizes and times do not matter: another content is another index.
    fs.writeFileSync(path.join(dir, 'a_linux.go'), 'package unix\n\nfunc Dup4() {}\n');
    const changed = mk().lookup(from, 'golang.org/x/sys/unix', dir)!;
    expect(changed.origin).toBe('tree (indexed)');
    expect(new ApiView(changed.api, K8S).name('Dup3')).toBeUndefined();
  });
});

describe('ownership', () => {
  it('routes golang.org/x/sys to platform-syscall only', () => {
    expect(isApiIndexed('golang.org/x/sys/unix')).toBe(true);
    expect(isApiIndexed('golang.org/x/sys')).toBe(true);
    expect(isApiIndexed('golang.org/x/sysfoo')).toBe(false);
    expect(isApiIndexed('example.com/a')).toBe(false);
    expect(isStdPath('os/signal')).toBe(true);
    expect(isStdPath('golang.org/x/sys/unix')).toBe(false);
  });

  it('says which source answered for each package with --verbose', async () => {
    let stderr = '';
    let stdout = '';
    const code = await main(['check', './...', '--format', 'json', '-v', '--go-version', '1.22'], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      cwd: VENDORED,
      isTTY: false,
      env: {},
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/api-index golang\.org\/x\/sys\/unix: vendor golang\.org\/x\/sys@v0\.0\.1-fixture \((indexed|cache)\)/);
    const rules = new Set((JSON.parse(stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule));
    expect([...rules]).toEqual(['platform-syscall']); // gated-symbol leaves vendored x/sys alone
  });
});

describe('alternatives', () => {
  it('measures likeness', () => {
    expect(editDistance('Dup2', 'Dup3')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(likeness('Atim', 'Atimespec')).toBe(5);
    expect(likeness('SYS_OPEN', 'SYS_OPENAT')).toBe(2);
    expect(likeness('SYS_OPEN', 'Open')).toBeNull(); // constant style differs
    expect(likeness('Kill', 'Fill')).toBe(1);
    expect(likeness('Pid', 'Gid')).toBeNull(); // too short to guess
  });

  it('prefers the closest sibling', () => {
    const m = 1n;
    expect(similarNames('Dup3', [['Dup', m], ['Dup2', m], ['Dup3', m]]).map(([n]) => n)).toEqual(['Dup2', 'Dup']);
    expect(similarNames('SYS_OPEN', [['SYS_OPEN_TREE', m], ['SYS_OPENAT', m], ['SYS_OPENAT2', m]]).map(([n]) => n)).toEqual([
      'SYS_OPENAT', 'SYS_OPENAT2', 'SYS_OPEN_TREE',
    ]);
  });

  it('splits platforms by the first alternative each one has', () => {
    const r = splitByAlternative(0b1111n, [{ text: 'a', mask: 0b0011n }, { text: 'b', mask: 0b0110n }]);
    expect([...r]).toEqual([['a', 0b0011n], ['b', 0b0100n], ['', 0b1000n]]);
  });

  it('curates alternatives that exist where the name is missing', () => {
    const p = new ApiProvider({ goMinor: 22, cache: null, goEnv: null, bundled: bundledDir() });
    const wide = new Targets(parsePlatforms(['linux/*', 'darwin/*', 'windows/*']));
    const view = (ip: string) => {
      const b = p.bundled(ip);
      return b ? new ApiView(b.api, wide) : null;
    };
    const bad: string[] = [];
    for (const [key, alts] of CURATED) {
      const ip = key.startsWith('golang.org/') ? key.slice(0, key.indexOf('.', key.lastIndexOf('/'))) : key.split('.')[0]!;
      const rest = key.slice(ip.length + 1).split('.');
      const v = view(ip);
      if (!v) continue;
      const has = rest.length === 1 ? v.name(rest[0]!) : v.member(rest[0]!, rest[1]!);
      if (has === undefined) {
        bad.push(`${key}: not in the ${ip} table`);
        continue;
      }
      const missing = (rest.length === 1 ? v.present : v.typeMask(rest[0]!)) & ~has;
      const altMask = alts.reduce((m, a) => {
        const av = view(a.pkg);
        if (!av) return m | wide.all;
        return m | (a.member === undefined ? (av.name(a.name) ?? av.present) : (av.member(a.name, a.member) ?? av.typeMask(a.name)));
      }, 0n);
      if ((missing & altMask) === 0n) bad.push(`${key}: no alternative exists where it is missing`);
    }
    expect(bad).toEqual([]);
  });
});
