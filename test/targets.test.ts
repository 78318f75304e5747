/**
 * The project's real targets: `binaries` (which platforms each package is checked on), tiers,
 * cgo per platform, findings grouped by cause, and `goport targets` (golden files in
 * test/golden-targets, the HTML page in headless Chromium). Update goldens with
 * `npx vitest run test/targets -u`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Finding } from '../src/engine/types.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/gated-symbol');
const KUBE = path.join(FIXTURES, 'kube-binaries');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-targets-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main([...argv, '--go-version', '1.22'], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: { GOPORT_CACHE: 'off' } });
  return { code, stdout, stderr };
}

function write(dir: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

describe('binaries: the platforms each package is checked on', () => {
  it('follows each platform own imports from the binaries; unreached packages keep the defaults', async () => {
    const r = await run(['files', '--format', 'json'], KUBE);
    expect(r.code).toBe(0);
    const pkgs = (JSON.parse(r.stdout) as { packages: { dir: string; targets: string[]; binaries: string[] }[] }).packages;
    const of = (dir: string) => pkgs.find((p) => p.dir === dir)!;
    const server = ['linux/amd64', 'linux/arm', 'linux/arm64', 'linux/ppc64le', 'linux/s390x'];
    // Imported by linux-only binaries: never checked on windows.
    expect(of('pkg/server')).toMatchObject({ targets: server, binaries: ['kube-apiserver', 'kube-scheduler'] });
    // Imported by the kubelet: linux and windows/amd64.
    expect(of('pkg/node')).toMatchObject({ targets: [...server, 'windows/amd64'], binaries: ['kubelet'] });
    // Imported only from node_windows.go: windows only.
    expect(of('pkg/winsvc').targets).toEqual(['windows/amd64']);
    // Imported only by node's tests: where node is checked.
    expect(of('pkg/testutil').targets).toEqual([...server, 'windows/amd64']);
    // Imported by every binary: the union.
    expect(of('pkg/util')).toMatchObject({ targets: [...server, 'windows/amd64', 'darwin/amd64', 'linux/386', 'windows/386'], binaries: ['kube-apiserver', 'kubectl', 'kubelet'] });
    // No binary imports it: the default platforms.
    expect(of('pkg/unused')).toMatchObject({ targets: [...server, 'windows/amd64', 'darwin/amd64', 'linux/386', 'windows/386'], binaries: [] });
    const text = await run(['files'], KUBE);
    expect(text.stdout).toMatch(/^pkg\/server .* linux\/amd64,linux\/arm,linux\/arm64,linux\/ppc64le,linux\/s390x \(kube-apiserver, kube-scheduler\)$/m);
    expect(text.stdout).toMatch(/^pkg\/unused .* \(default\)$/m);
  });

  it('--verbose shows every binary and each package targets', async () => {
    const r = await run(['--verbose', '--no-progress', '--format', 'json'], KUBE);
    expect(r.stderr).toContain('  binary cmd/kubelet: linux/amd64,linux/arm,linux/arm64,linux/ppc64le,linux/s390x,windows/amd64\n');
    expect(r.stderr).toMatch(/^ {2}targets pkg\/winsvc +windows\/amd64 \(kubelet\)$/m);
  });

  it('without the configuration every package is checked everywhere', async () => {
    const withCfg = JSON.parse((await run(['--format', 'json'], KUBE)).stdout) as { findings: Finding[] };
    const without = JSON.parse((await run(['--format', 'json', '--no-config', '--platforms', 'linux/amd64,windows/amd64,darwin/amd64'], KUBE)).stdout) as { findings: Finding[] };
    expect(withCfg.findings.map((f) => f.file)).not.toContain('pkg/server/server.go');
    expect(without.findings.map((f) => f.file)).toEqual(expect.arrayContaining(['pkg/server/server.go', 'pkg/winsvc/winsvc.go']));
  });

  it('--platforms on the command line limits the run, each binary to its own platforms among them', async () => {
    const j = JSON.parse((await run(['--format', 'json', '--platforms', 'windows/amd64,linux/s390x'], KUBE)).stdout) as { platforms: string[]; findings: Finding[] };
    expect(j.platforms).toEqual(['windows/amd64', 'linux/s390x']);
    expect(j.findings.map((f) => `${f.file}:${f.line} ${f.platforms.join(',')}`)).toEqual([
      'pkg/netlink/nl_linux.go:10 linux/s390x',
      'pkg/node/node.go:6 windows/amd64',
      'pkg/node/node.go:7 windows/amd64',
      'pkg/node/node.go:8 windows/amd64',
      'pkg/testutil/testutil.go:6 windows/amd64',
      'pkg/unused/unused.go:3 windows/amd64',
      'pkg/util/util.go:3 windows/amd64',
    ]);
  });

  it('an entry that names no main package, or a bad platform, is a configuration error', async () => {
    const dir = path.join(tmp, 'badbin');
    write(dir, { 'go.mod': 'module example.com/b\n\ngo 1.21\n', 'cmd/tool/main.go': 'package main\n\nfunc main() {}\n', '.goport.yml': 'binaries:\n  cmd/tol: linux/amd64\n' });
    const r = await run([], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('.goport.yml: error: binaries: "cmd/tol" matches no main package');
    fs.writeFileSync(path.join(dir, '.goport.yml'), 'binaries:\n  cmd/tool: [linux/amd64, linux/amd46]\n');
    const bad = await run([], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\.goport\.yml:2:13: binaries: unknown platform "linux\/amd46"/);
  });

  it('exclusions in platform lists', async () => {
    const dir = path.join(tmp, 'excl');
    write(dir, { 'go.mod': 'module example.com/e\n\ngo 1.21\n', 'cmd/tool/main.go': 'package main\n\nfunc main() {}\n', '.goport.yml': 'platforms: [linux/amd64]\nbinaries:\n  cmd/tool: "linux/*,!linux/mips*,!linux/loong64"\n' });
    const r = await run(['files', '--format', 'json'], dir);
    const p = JSON.parse(r.stdout) as { platforms: string[] };
    expect(p.platforms).toEqual(['linux/amd64', 'linux/386', 'linux/arm', 'linux/arm64', 'linux/ppc64', 'linux/ppc64le', 'linux/riscv64', 'linux/s390x']);
  });
});

describe('findings grouped by cause', () => {
  it('text: the cause once with its uses, --group none one line each', async () => {
    const grouped = await run([], KUBE);
    expect(grouped.code).toBe(1);
    expect(grouped.stdout).toContain(
      [
        'undefined: cgroups.Apply (declared only in pkg/cgroups/cgroups_linux.go) [gated-symbol] (windows/amd64): 3 uses',
        '    pkg/node/node.go:6:7',
        '    pkg/node/node.go:7:7',
        '    pkg/node/node.go:8:26',
        '    note: pkg/cgroups/cgroups_linux.go:3:6: declared here',
      ].join('\n'),
    );
    expect(grouped.stdout).toMatch(/7 findings \(6 errors, 1 warning\) in 5 files; 3 uses of 1 shared cause grouped\n$/);
    const flat = await run(['--group', 'none'], KUBE);
    expect(flat.stdout.match(/^pkg\/node\/node\.go:\d+:\d+: undefined: cgroups\.Apply/gm)).toHaveLength(3);
    expect(flat.stdout).not.toContain('uses');
  });

  it('the first few uses, then a count', async () => {
    const dir = path.join(tmp, 'many');
    const uses = Array.from({ length: 7 }, (_, i) => `\t_ = limit() + ${i}\n`).join('');
    write(dir, { 'a.go': `package a\n\nfunc F() {\n${uses}}\n`, 'limit_linux.go': 'package a\n\nfunc limit() int { return 1 }\n' });
    const r = await run(['--no-config', '-p', 'linux/amd64,darwin/arm64'], dir);
    expect(r.stdout).toContain('undefined: limit (declared only in limit_linux.go) [gated-symbol] (darwin/arm64): 7 uses\n    a.go:4:6\n    a.go:5:6\n    a.go:6:6\n    … and 4 more (--group none lists every use)\n');
  });

  it('JSON and SARIF keep one result per use, with the cause id and its number of uses', async () => {
    const j = JSON.parse((await run(['--format', 'json'], KUBE)).stdout) as { findings: (Finding & { cause: { id: string; title: string; uses: number } })[] };
    const node = j.findings.filter((f) => f.file === 'pkg/node/node.go');
    expect(node).toHaveLength(3);
    for (const f of node) {
      expect(f.cause).toEqual({ id: 'gated-symbol:example.com/kube/pkg/cgroups.Apply@windows/amd64', title: 'undefined: cgroups.Apply (declared only in pkg/cgroups/cgroups_linux.go)', uses: 3 });
    }
    expect(j.findings.find((f) => f.file === 'pkg/util/util.go')!.cause.uses).toBe(1);
    const s = JSON.parse((await run(['--format', 'sarif'], KUBE)).stdout) as { runs: { results: { properties: { cause?: { id: string; uses: number } } }[] }[] };
    const results = s.runs[0]!.results;
    expect(results).toHaveLength(7);
    expect(results.filter((x) => x.properties.cause?.id.startsWith('gated-symbol:example.com/kube/pkg/cgroups.Apply@')).map((x) => x.properties.cause!.uses)).toEqual([3, 3, 3]);
  });

  it('platform-syscall findings carry their cause', async () => {
    const dir = path.join(tmp, 'sys');
    write(dir, { 'a.go': 'package a\n\nimport "syscall"\n\nfunc F() { _ = syscall.Dup2(1, 2); _ = syscall.Dup2(3, 4) }\n' });
    const j = JSON.parse((await run(['--no-config', '-p', 'linux/amd64,windows/amd64', '--format', 'json'], dir)).stdout) as { findings: (Finding & { cause: { id: string; uses: number } })[] };
    expect(j.findings.map((f) => [f.rule, f.cause.id, f.cause.uses])).toEqual([
      ['platform-syscall', 'platform-syscall:syscall.Dup2@windows/amd64', 2],
      ['platform-syscall', 'platform-syscall:syscall.Dup2@windows/amd64', 2],
    ]);
  });

  it('output is the same with one worker or two', async () => {
    const a = await run(['--format', 'json', '-j', '1'], KUBE);
    const b = await run(['--format', 'json', '-j', '2'], KUBE);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('tiers', () => {
  const dir = path.join(FIXTURES, 'tiers');
  it('a finding on tier-2 platforms only is a warning, tier 3 only is info; JSON and SARIF carry the tiers', async () => {
    const j = JSON.parse((await run(['--format', 'json'], dir)).stdout) as { findings: Finding[] };
    expect(j.findings.map((f) => [f.line, f.severity, f.tiers])).toEqual([
      [4, 'warning', [2, 3]],
      [5, 'info', [3]],
      [6, 'error', [1, 2, 3]],
    ]);
    const s = JSON.parse((await run(['--format', 'sarif'], dir)).stdout) as { runs: { results: { level: string; properties: { tiers: number[] } }[] }[] };
    expect(s.runs[0]!.results.map((x) => [x.level, x.properties.tiers])).toEqual([
      ['warning', [2, 3]],
      ['note', [3]],
      ['error', [1, 2, 3]],
    ]);
  });

  it('--fail-on applies to the lowered severities', async () => {
    // darwin/arm64 and windows/arm64 are tier 3: only info findings remain.
    const only3 = ['-p', 'darwin/arm64,windows/arm64'];
    expect((await run([...only3], dir)).code).toBe(1);
    expect((await run([...only3, '--fail-on', 'warning'], dir)).code).toBe(0);
    expect((await run(['--fail-on', 'error'], dir)).code).toBe(1);
  });

  it('tier-severity and tier maps are configurable', async () => {
    const d = path.join(tmp, 'tiers');
    write(d, {
      'a.go': 'package a\n\nfunc F() int { return x() }\n',
      'x_linux.go': 'package a\n\nfunc x() int { return 1 }\n',
      '.goport.yml': 'platforms: [linux/amd64, freebsd/amd64]\ntiers:\n  1: [linux/*]\n  3: [freebsd/*]\ntier-severity: {3: warning}\n',
    });
    const j = JSON.parse((await run(['--format', 'json'], d)).stdout) as { findings: Finding[] };
    expect(j.findings.map((f) => [f.severity, f.tiers])).toEqual([['warning', [3]]]);
    fs.writeFileSync(path.join(d, '.goport.yml'), 'tiers: kubernets\n');
    const bad = await run([], d);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('.goport.yml:1:8: tiers: unknown tier preset "kubernets" (kubernetes)');
  });
});

describe('cgo per platform', () => {
  it('with cgo off, a name only a cgo file declares says so, and --verbose counts it', async () => {
    const r = await run(['--verbose', '--no-progress'], path.join(FIXTURES, 'cgo-darwin'));
    expect(r.stdout).toContain('collector.go:7:9: undefined: filesystemStats (declared for darwin only in filesystem_macos.go, which needs cgo) [gated-symbol] (darwin/*)');
    expect(r.stdout).toContain('    suggestion: if darwin builds use cgo, set cgo: [darwin/*] in .goport.yml');
    expect(r.stdout).toContain('collector.go:11:11: Collector.stats undefined: stats is declared for darwin only in filesystem_macos.go, which needs cgo [gated-symbol] (darwin/*)');
    expect(r.stderr).toContain('  gated-symbol: names declared only in files that need cgo (cgo off): 2\n');
  });

  it('cgo: [darwin/*] compiles the cgo files on darwin only', async () => {
    const dir = path.join(FIXTURES, 'ok-cgo-darwin');
    const r = await run(['files', '--format', 'json'], dir);
    const files = (JSON.parse(r.stdout) as { packages: { files: Record<string, string[]> }[] }).packages[0]!.files;
    expect(files['darwin/arm64']).toEqual(['collector.go', 'filesystem_macos.go']);
    expect(files['linux/amd64']).toEqual(['collector.go', 'filesystem_linux.go']);
  });
});

describe('goport targets (golden files in test/golden-targets)', () => {
  for (const [format, ext] of [['text', 'txt'], ['markdown', 'md'], ['json', 'json'], ['html', 'html']] as const) {
    it(format, async () => {
      const r = await run(['targets', '--format', format], KUBE);
      expect(r.code).toBe(1);
      await expect(r.stdout).toMatchFileSnapshot(`golden-targets/targets.${ext}`);
    });
  }

  it('test/golden-targets holds only these four files', () => {
    expect(fs.readdirSync(path.join(import.meta.dirname, 'golden-targets')).sort()).toEqual(['targets.html', 'targets.json', 'targets.md', 'targets.txt']);
  });

  it('reproduces the shape of the Kubernetes release table', async () => {
    const t = JSON.parse((await run(['targets', '--format', 'json'], KUBE)).stdout) as { platforms: string[]; binaries: { name: string; cells: Record<string, { state: string }> }[] };
    const row = (name: string) => t.platforms.map((p) => t.binaries.find((b) => b.name === name)!.cells[p]!.state);
    expect(t.platforms).toEqual(['linux/amd64', 'linux/arm', 'linux/arm64', 'linux/ppc64le', 'linux/s390x', 'linux/386', 'windows/amd64', 'windows/386', 'darwin/amd64']);
    expect(row('kube-apiserver')).toEqual(['ok', 'ok', 'ok', 'ok', 'warn', 'none', 'none', 'none', 'none']);
    expect(row('kubelet')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'none', 'fail', 'none', 'none']);
    expect(row('kubectl')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'fail', 'fail']);
  });

  it('exits by --fail-on: a cell with warnings only fails at warning, not at error', async () => {
    const dir = path.join(tmp, 'warnonly');
    write(dir, {
      'go.mod': 'module example.com/w\n\ngo 1.21\n',
      '.goport.yml': 'binaries:\n  cmd/tool: [linux/amd64, linux/s390x]\n',
      'cmd/tool/main.go': 'package main\n\nimport "example.com/w/nl"\n\nfunc main() { nl.Header(make([]byte, 16)) }\n',
      'nl/nl_linux.go': 'package nl\n\nimport (\n\t"encoding/binary"\n\t"syscall"\n)\n\nfunc Header(b []byte) {\n\tbinary.LittleEndian.PutUint32(b[0:4], uint32(syscall.NLMSG_HDRLEN+len(b)))\n}\n',
    });
    const t = await run(['targets', '--format', 'json'], dir);
    expect(t.code).toBe(1);
    const cells = (JSON.parse(t.stdout) as { binaries: { cells: Record<string, { state: string; warnings: number }> }[] }).binaries[0]!.cells;
    expect(cells).toMatchObject({ 'linux/amd64': { state: 'ok' }, 'linux/s390x': { state: 'warn', warnings: 1 } });
    expect((await run(['targets', '--fail-on', 'error'], dir)).code).toBe(0);
  });

  it('needs binaries in the configuration', async () => {
    const r = await run(['targets', '--no-config'], KUBE);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('goport targets needs the binaries the module builds');
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn('targets.test.ts: SKIPPED the headless-browser test: /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(!CHROMIUM)('the targets page in headless Chromium', () => {
  const chromium = (args: string[]) =>
    spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, HOME: tmp } });

  it('renders the table and draws a page', async () => {
    const file = path.join(tmp, 'targets.html');
    await run(['targets', '--format', `html=${file}`], KUBE);
    const dom = chromium(['--dump-dom', pathToFileURL(file).href]);
    expect(dom.status, dom.stderr).toBe(0);
    expect((dom.stdout.match(/<tr data-binary=/g) ?? []).length).toBe(4);
    expect(dom.stdout).toContain('<th colspan="6">linux</th>');
    const png = path.join(tmp, 'targets.png');
    const shot = chromium(['--window-size=1100,700', `--screenshot=${png}`, pathToFileURL(file).href]);
    expect(shot.status, shot.stderr).toBe(0);
    const buf = fs.readFileSync(png);
    expect(buf.subarray(1, 4).toString()).toBe('PNG');
    expect(buf.length).toBeGreaterThan(10_000);
  }, 120_000);
});
