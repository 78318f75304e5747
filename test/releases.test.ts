/**
 * Go releases: the ports table of each release (what --platforms accepts), the default Go version
 * (go on PATH, go.mod's go and toolchain lines) and module boundaries (`./...` stops at nested modules).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { chooseGoVersion, nearestGoMod } from '../src/loader/go-version.js';
import { parseGoMod } from '../src/loader/gomod.js';
import { DIST_LIST, NEWEST_GO_MINOR } from '../src/platform/known.js';
import { ALL_PORTS, cgoSupported, distListOf, firstClass, portHistory, releasePorts } from '../src/platform/releases.js';
import { parsePlatforms } from '../src/platform/targets.js';
import { tempTrees } from './helpers/temp-tree.js';

const temps = tempTrees('goport-releases-');
afterAll(() => temps.remove());
const tree = temps.tree;

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: {} });
  return { code, stdout, stderr };
}

describe('ports per release', () => {
  const has = (minor: number, id: string) => distListOf(minor).includes(id);

  it('adds and removes ports in the release that did', () => {
    // Verified against `go tool dist list` of Debian's golang-1.N-go (see the table's source lines).
    expect([19, 20, 23, 24].map((m) => has(m, 'windows/arm'))).toEqual([true, true, true, false]);
    expect([19, 20, 21, 27].map((m) => has(m, 'openbsd/mips64'))).toEqual([true, true, false, false]);
    expect([19, 20, 25, 26].map((m) => has(m, 'freebsd/riscv64'))).toEqual([false, true, true, false]);
    expect([20, 21].map((m) => has(m, 'wasip1/wasm'))).toEqual([false, true]);
    expect([21, 22].map((m) => has(m, 'openbsd/ppc64'))).toEqual([false, true]);
    expect([22, 23].map((m) => has(m, 'openbsd/riscv64'))).toEqual([false, true]);
    expect(has(19, 'linux/loong64')).toBe(true);
    expect(distListOf(19)).toHaveLength(46);
    expect(distListOf(27)).toHaveLength(47);
  });

  it('answers for a release between or after the table with the nearest not newer, before it with the oldest', () => {
    expect(releasePorts(30).minor).toBe(27);
    expect(releasePorts(17).minor).toBe(19);
    expect(releasePorts(20).version).toBe('go1.20');
  });

  it('keeps cgo and first-class flags', () => {
    expect(firstClass('linux/amd64', 27)).toBe(true);
    expect(firstClass('linux/riscv64', 27)).toBe(false);
    expect(cgoSupported('linux/ppc64', 19)).toBe(false);
    expect(cgoSupported('linux/ppc64', 27)).toBe(true);
    expect(cgoSupported('js/wasm', 27)).toBe(false);
  });

  it('DIST_LIST is every port of every release, sorted', () => {
    expect(DIST_LIST).toBe(ALL_PORTS);
    expect(ALL_PORTS).toEqual(expect.arrayContaining(['windows/arm', 'openbsd/mips64', 'freebsd/riscv64', 'wasip1/wasm']));
    expect([...ALL_PORTS].sort()).toEqual(ALL_PORTS);
  });

  it('validates --platforms for the configured release and says which releases have a pair', () => {
    const ids = (specs: string[], minor: number) => parsePlatforms(specs, minor).map((p) => p.id);
    expect(ids(['windows/arm,openbsd/mips64'], 19)).toEqual(['windows/arm', 'openbsd/mips64']);
    expect(ids(['all'], 19)).toEqual(distListOf(19));
    expect(ids(['windows/*'], 19)).toEqual(['windows/386', 'windows/amd64', 'windows/arm', 'windows/arm64']);
    expect(ids(['windows/*'], 27)).toEqual(['windows/386', 'windows/amd64', 'windows/arm64']);
    expect(() => ids(['windows/arm'], 27)).toThrow(
      'platform "windows/arm" is not a port of Go 1.27 (its `go tool dist list`): a port of Go 1.19–1.23 (marked broken in Go 1.24–1.25); choose the release with --go-version',
    );
    expect(() => ids(['wasip1/wasm'], 20)).toThrow(/not a port of Go 1\.20 .*a port of Go 1\.21–1\.27/);
    expect(() => ids(['openbsd/riscv64'], 22)).toThrow(/a port of Go 1\.23–1\.27 \(marked broken in Go 1\.22\)/);
    expect(() => ids(['openbsd/*'], 30)).not.toThrow();
    expect(() => ids(['wasip1/*'], 19)).toThrow('platform pattern "wasip1/*" matches no GOOS/GOARCH pair of Go 1.19');
    expect(() => ids(['linux/sparc64'], 27)).toThrow(/a broken port in Go 1\.19–1\.27/);
    expect(portHistory('plan9/mips')).toBeNull();
  });

  it('--go-version 1.19 --platforms windows/arm,openbsd/mips64 works end to end', async () => {
    const dir = tree({ 'go.mod': 'module example.com/a\n\ngo 1.19\n', 'a.go': 'package a\n', 'a_arm.go': 'package a\n' });
    const ok = await run(['files', '--go-version', '1.19', '--platforms', 'windows/arm,openbsd/mips64', '--format', 'json'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as { platforms: string[]; packages: { files: Record<string, string[]> }[] };
    expect(report.platforms).toEqual(['windows/arm', 'openbsd/mips64']);
    expect(report.packages[0]!.files).toEqual({ 'windows/arm': ['a.go', 'a_arm.go'], 'openbsd/mips64': ['a.go'] });
    const bad = await run(['check', '--go-version', '1.27', '--platforms', 'windows/arm'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"windows\/arm" is not a port of Go 1\.27/);
  });
});

describe('default Go version', () => {
  it('uses the go on PATH; Go 1.21+ switches up to the go and toolchain lines, as the go command does', () => {
    expect(chooseGoVersion({ local: 'go1.19.8', goLine: '1.18', toolchainLine: 'go1.24.2' })).toMatchObject({ minor: 19 });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.25', toolchainLine: null })).toMatchObject({ minor: 25, why: 'go.mod go 1.25 (newer than go on PATH (go1.22.1))' });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.21', toolchainLine: 'go1.24.2' })).toMatchObject({ minor: 24 });
    expect(chooseGoVersion({ local: 'go1.27.4', goLine: '1.21', toolchainLine: 'go1.24.2' })).toMatchObject({ minor: 27 });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.21', toolchainLine: 'go1.24.2', gotoolchain: 'local' })).toMatchObject({ minor: 22 });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.21', toolchainLine: 'go1.24.2', gotoolchain: 'go1.23.0' })).toMatchObject({ minor: 23 });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.25', toolchainLine: null, gotoolchain: 'go1.23.0+auto' })).toMatchObject({ minor: 25 });
  });

  it('a go older than the module\'s go line cannot build it: the go line', () => {
    expect(chooseGoVersion({ local: 'go1.19.8', goLine: '1.25', toolchainLine: null })).toEqual({ minor: 25, why: 'go.mod go 1.25 (go on PATH (go1.19.8) cannot build it)' });
    expect(chooseGoVersion({ local: 'go1.19.8', goLine: '1.26', toolchainLine: 'go1.26.6' })).toMatchObject({ minor: 26 });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.25', toolchainLine: null, gotoolchain: 'local' })).toMatchObject({ minor: 25 });
    expect(chooseGoVersion({ local: 'go1.22.1', goLine: '1.25', toolchainLine: null, gotoolchain: 'go1.23.0' })).toMatchObject({ minor: 25 });
  });

  it('without a go on PATH: the newest of the go and toolchain lines, else the newest release goport knows', () => {
    expect(chooseGoVersion({ local: null, goLine: '1.22.3', toolchainLine: null })).toEqual({ minor: 22, why: 'go.mod go 1.22.3 (no go on PATH)' });
    expect(chooseGoVersion({ local: null, goLine: '1.21', toolchainLine: 'go1.23.4' })).toMatchObject({ minor: 23 });
    // A toolchain line older than the go line has no effect.
    expect(chooseGoVersion({ local: null, goLine: '1.24', toolchainLine: 'go1.22.0' })).toMatchObject({ minor: 24 });
    expect(chooseGoVersion({ local: null, goLine: null, toolchainLine: null })).toMatchObject({ minor: NEWEST_GO_MINOR });
  });

  it('reads the go.mod nearest above the working directory', () => {
    const dir = tree({ 'go.mod': 'module m\n\ngo 1.21 // comment\n\ntoolchain go1.22.5\n', 'sub/x.go': 'package sub\n' });
    expect(nearestGoMod(path.join(dir, 'sub'))).toEqual({ file: path.join(dir, 'go.mod'), go: '1.21', toolchain: 'go1.22.5' });
    expect(parseGoMod('module m\ntoolchain go1.23.0\n').toolchain).toBe('go1.23.0');
  });
});

describe('module boundaries', () => {
  const files = {
    'go.mod': 'module example.com/outer\n\ngo 1.19\n',
    'a/a.go': 'package a\n',
    'inner/go.mod': 'module example.com/inner\n\ngo 1.19\n',
    'inner/i.go': 'package inner\n',
    'inner/deep/d.go': 'package deep\n',
    'inner/vendor/example.com/v/go.mod': 'module example.com/v\n',
    'inner/vendor/example.com/v/v.go': 'package v\n',
  };
  const dirsOf = async (argv: string[], cwd: string) => {
    const r = await run(['files', ...argv, '--platforms', 'linux/amd64', '--format', 'json', '--go-version', '1.22'], cwd);
    const j = JSON.parse(r.stdout) as { packages: { dir: string }[]; errors: { message: string }[] };
    return { code: r.code, dirs: j.packages.map((p) => p.dir), errors: j.errors.map((e) => e.message) };
  };

  it('./... stops at a directory with its own go.mod, as the go command does', async () => {
    const dir = tree(files);
    expect(await dirsOf(['./...'], dir)).toEqual({ code: 0, dirs: ['a'], errors: [] });
  });

  it('reaches a nested module by naming it, or with --all-modules', async () => {
    const dir = tree(files);
    expect((await dirsOf(['./inner/...'], dir)).dirs).toEqual(['inner', 'inner/deep']);
    expect((await dirsOf(['./inner'], dir)).dirs).toEqual(['inner']);
    expect((await dirsOf(['./...'], path.join(dir, 'inner'))).dirs).toEqual(['.', 'deep']);
    expect((await dirsOf(['./...', '--all-modules'], dir)).dirs).toEqual(['a', 'inner', 'inner/deep']);
    expect((await dirsOf(['./...', '--all-modules', '--vendor'], dir)).dirs).toEqual(['a', 'inner', 'inner/deep', 'inner/vendor/example.com/v']);
  });

  it('the all-modules config key does what --all-modules does; the flag overrides it, audit ignores it', async () => {
    const dir = tree({ ...files, '.goport.yml': 'all-modules: true\n' });
    expect((await dirsOf(['./...'], dir)).dirs).toEqual(['a', 'inner', 'inner/deep']);
    expect((await dirsOf(['./...', '--all-modules=false'], dir)).dirs).toEqual(['a']);
    const r = await run(['audit', '--format', 'json'], dir);
    expect(r.stderr).not.toMatch(/audits one module/);
  });

  it('outside any module, walks every module below', async () => {
    const dir = tree({ 'm1/go.mod': 'module m1\n', 'm1/x.go': 'package x\n', 'm2/go.mod': 'module m2\n', 'm2/y.go': 'package y\n' });
    expect((await dirsOf(['./...'], dir)).dirs).toEqual(['m1', 'm2']);
  });

  it('says so when a pattern only matched nested modules', async () => {
    const dir = tree({ 'go.mod': 'module outer\n', 'inner/go.mod': 'module inner\n', 'inner/i.go': 'package inner\n' });
    const r = await dirsOf(['./...'], dir);
    expect(r.code).toBe(2);
    expect(r.errors).toEqual(['pattern ./...: matched no Go files (1 nested module not entered: name it or use --all-modules)']);
  });

  it('goport audit stays in one module and refuses --all-modules', async () => {
    const dir = tree(files);
    const r = await run(['audit', '--all-modules'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/audits one module/);
  });
});
