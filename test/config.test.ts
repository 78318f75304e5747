/** .goport.yml: every key, errors with file:line:col and key, discovery upwards, flags over the file, exclude. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { parseArgs } from '../src/cli/args.js';
import { resolveSettings } from '../src/cli/settings.js';
import { CONFIG_KEYS, ConfigError, findConfig, parseConfig } from '../src/config/config.js';
import { ExcludeMatcher } from '../src/config/exclude.js';

const KNOWN = new Set(['gated-symbol', 'platform-syscall']);

/** A configuration with every key, as the README shows it. */
export const EVERY_KEY = `# .goport.yml
version: 1
platforms: [kubernetes, freebsd/amd64, "*/riscv64"]
binaries:
  cmd/kubectl: kubernetes
  cmd/kube-*: [linux/amd64, linux/arm64, linux/s390x]
tiers: kubernetes
tier-severity: {2: warning, 3: info}
group: cause
tags: [integration, netgo]
cgo: false
tests: true
go-version: "1.22"
vendor: false
all-modules: false
enable: [gated-symbol, platform-syscall]
disable: []
severity:
  platform-syscall: warning
  unused-ignore: off
exclude:
  - third_party/**
  - "**/zz_generated.*.go"
report-unused-ignores: true
fail-on: warning
baseline: .goport-baseline.json
`;

function parse(text: string) {
  return parseConfig(text, '/proj/.goport.yml', KNOWN);
}

function errorOf(text: string): ConfigError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parseConfig', () => {
  it('reads every key', () => {
    const c = parse(EVERY_KEY);
    expect(c).toEqual({
      file: '/proj/.goport.yml',
      dir: '/proj',
      platforms: ['kubernetes', 'freebsd/amd64', '*/riscv64'],
      binaries: [
        { pattern: 'cmd/kubectl', platforms: ['kubernetes'] },
        { pattern: 'cmd/kube-*', platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x'] },
      ],
      tiers: 'kubernetes',
      tierSeverity: { 2: 'warning', 3: 'info' },
      group: 'cause',
      tags: ['integration', 'netgo'],
      cgo: false,
      tests: true,
      goVersion: '1.22',
      vendor: false,
      allModules: false,
      enable: ['gated-symbol', 'platform-syscall'],
      disable: [],
      severity: { 'platform-syscall': 'warning', 'unused-ignore': 'off' },
      exclude: ['third_party/**', '**/zz_generated.*.go'],
      reportUnusedIgnores: true,
      failOn: 'warning',
      baseline: '.goport-baseline.json',
    });
  });

  it('documents exactly the keys the example uses', () => {
    const used = [...EVERY_KEY.matchAll(/^([a-z-]+):/gm)].map((m) => m[1]);
    expect(used.sort()).toEqual(Object.keys(CONFIG_KEYS).sort());
  });

  it('the README shows every key, and its example is valid', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect(parse(block)).toEqual(parse(EVERY_KEY));
  });

  it('accepts an empty file, a comma list and a single string', () => {
    expect(parse('')).toEqual({ file: '/proj/.goport.yml', dir: '/proj' });
    expect(parse('# nothing yet\n')).toEqual({ file: '/proj/.goport.yml', dir: '/proj' });
    expect(parse('platforms: linux/amd64,windows/amd64\n').platforms).toEqual(['linux/amd64', 'windows/amd64']);
    expect(parse('tags: integration\n').tags).toEqual(['integration']);
  });

  it('keeps go-version as written (1.20 is not 1.2)', () => {
    expect(parse('go-version: 1.20\n').goVersion).toBe('1.20');
    expect(parse('go-version: go1.21.3\n').goVersion).toBe('go1.21.3');
  });

  it('names the line, column and key of an unknown key, with a suggestion', () => {
    const e = errorOf('cgo: true\nplatfroms: [linux/amd64]\n');
    expect([e.line, e.column]).toEqual([2, 1]);
    expect(e.message).toBe('unknown key "platfroms" (did you mean "platforms"?)');
  });

  it.each([
    ['cgo: yes\n', 1, 6, 'cgo: expected true, false or the platforms to enable cgo for (e.g. [darwin/*])'],
    ['cgo: [darwin/amd46]\n', 1, 6, 'cgo: unknown platform "darwin/amd46": not a GOOS/GOARCH pair of any Go release goport knows (Go 1.19–1.27; see `go tool dist list`)'],
    ['binaries:\n  cmd/x: [linux/amd64]\n  ../y: linux/amd64\n', 3, 3, 'binaries: "../y" must be a directory below the configuration file'],
    ['tiers:\n  4: [linux/amd64]\n', 2, 3, 'tiers: tiers are 1, 2 and 3'],
    ['tier-severity: {2: off}\n', 1, 20, 'tier-severity: severity of tier 2 must be error, warning or info'],
    ['group: flat\n', 1, 8, 'group: "flat" is not one of cause, none'],
    ['tests: 1\n', 1, 8, 'tests: expected true or false'],
    ['\nfail-on: critical\n', 2, 10, 'fail-on: "critical" is not one of error, warning, info, none'],
    ['severity:\n  gated-symbol: fatal\n', 2, 17, 'severity: severity of gated-symbol must be error, warning, info or off'],
    ['severity:\n  gated-symbl: error\n', 2, 3, 'severity: unknown rule "gated-symbl" (did you mean "gated-symbol"?) (goport rules lists them)'],
    ['severity: warning\n', 1, 11, 'severity: expected a mapping of rule: severity (error, warning, info, off)'],
    ['enable:\n  - gated-symbol\n  - no-such-rule\n', 3, 5, 'enable: unknown rule "no-such-rule" (goport rules lists them)'],
    ['platforms: []\n', 1, 12, 'platforms: needs at least one platform'],
    ['platforms: {linux: amd64}\n', 1, 12, 'platforms: expected a list of strings'],
    ['tags: [a, [b]]\n', 1, 11, 'tags: expected a string'],
    ['go-version: latest\n', 1, 13, 'go-version: "latest" is not a Go version like "1.22" (quote it: 1.20 reads as the number 1.2)'],
    ['version: 2\n', 1, 10, 'version: only version 1 exists'],
    ['exclude:\n', 1, 9, 'exclude: expected a list of strings, not nothing'],
  ])('rejects %j at %i:%i', (text, line, col, message) => {
    const e = errorOf(text);
    expect({ line: e.line, col: e.column, message: e.message }).toEqual({ line, col, message });
  });

  it('reports YAML syntax errors and non-mapping documents with a position', () => {
    const e = errorOf('platforms: [linux/amd64,\ncgo: true\n');
    expect(e.message).toMatch(/^invalid YAML: /);
    expect(e.line).toBeGreaterThan(0);
    expect(errorOf('- a\n- b\n').message).toMatch(/must be a mapping/);
    expect(errorOf('cgo: true\ncgo: false\n').message).toMatch(/invalid YAML: .*unique/i);
  });
});

describe('ExcludeMatcher', () => {
  const m = new ExcludeMatcher(['third_party/**', '**/zz_generated.*.go', 'gen', 'pkg/*/mocks'], '/p');
  it.each([
    ['/p/third_party/x/y.go', true],
    ['/p/third_party', true],
    ['/p/a/zz_generated.deepcopy.go', true],
    ['/p/zz_generated.deepcopy.go', true],
    ['/p/a/gen/x.go', true],
    ['/p/gen/x.go', true],
    ['/p/pkg/a/mocks/m.go', true],
    ['/p/pkg/a/b/mocks/m.go', false],
    ['/p/generated/x.go', false],
    ['/p/a/b.go', false],
    ['/other/third_party/x.go', false],
  ])('%s → %s', (p, want) => {
    expect(m.matches(p)).toBe(want);
  });
});

describe('configuration in the CLI', () => {
  let tmp: string;
  const write = (rel: string, text: string) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  async function run(argv: string[], cwd = tmp) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: { GOPORT_CACHE: 'off' } });
    return { code, stdout, stderr };
  }

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-config-'));
    write('go.mod', 'module example.com/cfg\n\ngo 1.21\n');
    write('bad/size_linux.go', 'package bad\n\nconst size = 1\n');
    write('bad/use.go', 'package bad\n\nfunc G() int { return size }\n');
    write('gen/size_linux.go', 'package gen\n\nconst size = 1\n');
    write('gen/use.go', 'package gen\n\nfunc G() int { return size }\n');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds .goport.yml from a subdirectory, walking up', () => {
    write('.goport.yml', 'cgo: true\n');
    expect(findConfig(path.join(tmp, 'bad'))).toBe(path.join(tmp, '.goport.yml'));
    fs.rmSync(path.join(tmp, '.goport.yml'));
    write('.goport.yaml', 'cgo: true\n');
    expect(findConfig(path.join(tmp, 'bad'))).toBe(path.join(tmp, '.goport.yaml'));
    fs.rmSync(path.join(tmp, '.goport.yaml'));
  });

  it('lets flags override keys', () => {
    write('.goport.yml', 'platforms: [linux/amd64]\ntags: [a]\ncgo: true\nfail-on: error\n');
    try {
      const s = resolveSettings(parseArgs(['check', '--platforms', 'windows/amd64', '--cgo=false']), tmp);
      expect(s.opts.platforms).toEqual(['windows/amd64']);
      expect(s.opts.cgo).toBe(false);
      expect(s.opts.tags).toEqual(['a']);
      expect(s.failOn).toBe('error');
      expect(resolveSettings(parseArgs(['check', '--no-config']), tmp).opts.platforms).toEqual([]);
    } finally {
      fs.rmSync(path.join(tmp, '.goport.yml'));
    }
  });

  it('exits 2 naming file, line and key for a bad configuration', async () => {
    write('.goport.yml', 'platforms: [linux/amd64]\nsevertiy:\n  gated-symbol: warning\n');
    try {
      const r = await run(['check', './bad'], path.join(tmp, 'bad'));
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('goport: ../.goport.yml:2:1: unknown key "severtiy" (did you mean "severity"?)\n');
      expect(r.stdout).toBe('');
    } finally {
      fs.rmSync(path.join(tmp, '.goport.yml'));
    }
  });

  it('exits 2 when --config names a missing file', async () => {
    const r = await run(['check', '--config', 'nope.yml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yml: cannot read configuration: ENOENT/);
  });

  it('applies platforms, severity, exclude and fail-on from the file', async () => {
    write('.goport.yml', 'platforms: [linux/amd64, windows/amd64]\nseverity:\n  gated-symbol: warning\nexclude: [gen]\nfail-on: error\n');
    try {
      const r = await run(['check', '--format', 'json']);
      const j = JSON.parse(r.stdout);
      expect(j.platforms).toEqual(['linux/amd64', 'windows/amd64']);
      expect(j.findings.map((f: { file: string; severity: string }) => `${f.file} ${f.severity}`)).toEqual(['bad/use.go warning']);
      expect(r.code).toBe(0); // only a warning, and fail-on: error
      const strict = await run(['check', '--format', 'json', '--fail-on', 'warning']);
      expect(strict.code).toBe(1);
    } finally {
      fs.rmSync(path.join(tmp, '.goport.yml'));
    }
  });

  it('reads a configuration with every key', async () => {
    write('.goport.yml', EVERY_KEY.replace('.goport-baseline.json', 'base.json'));
    // The binaries it names.
    write('cmd/kubectl/main.go', 'package main\n\nfunc main() {}\n');
    write('cmd/kube-proxy/main.go', 'package main\n\nfunc main() {}\n');
    try {
      // The baseline it names does not exist yet: a clear error, exit 2.
      const missing = await run(['check', './bad']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/baseline base\.json does not exist \(write it with --write-baseline base\.json\)/);
      const w = await run(['check', './bad', '--write-baseline', 'base.json']);
      expect(w.code).toBe(0);
      const r = await run(['check', './bad', '--format', 'json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).platforms).toContain('freebsd/amd64');
    } finally {
      fs.rmSync(path.join(tmp, '.goport.yml'));
      fs.rmSync(path.join(tmp, 'cmd'), { recursive: true });
    }
  });
});
