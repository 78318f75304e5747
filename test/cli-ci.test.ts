/**
 * The CI side of the command line: every reporter wired to --format, --fail-on, baselines,
 * --report-unused-ignores, --exclude, and the progress bar (TTY only, never in CI or with --quiet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP, parseArgs } from '../src/cli/args.js';
import { main, type Io } from '../src/cli/main.js';
import { inCI, Progress, progressEnabled, renderBar } from '../src/cli/progress.js';

let tmp: string;

function write(rel: string, text: string) {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

async function run(argv: string[], io: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: tmp,
    isTTY: false,
    env: { GOPORT_CACHE: 'off' },
    ...io,
  });
  return { code, stdout, stderr };
}

const lines = (stdout: string) => (JSON.parse(stdout).findings as { file: string; line: number; rule: string }[]).map((f) => `${f.file}:${f.line} ${f.rule}`);

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-ci-'));
  write('go.mod', 'module example.com/ci\n\ngo 1.21\n');
  write('a/size_linux.go', 'package a\n\nconst size = 1\n');
  write('a/use.go', 'package a\n\nfunc G() int { return size }\n');
  write('gen/x_linux.go', 'package gen\n\nconst x = 1\n');
  write('gen/use.go', 'package gen\n\nfunc G() int { return x }\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('--format wires every reporter', () => {
  it.each([
    ['sarif', (s: string) => expect(JSON.parse(s).version).toBe('2.1.0')],
    ['github', (s: string) => expect(s).toMatch(/^::error file=a\/use\.go,line=3,/m)],
    ['checkstyle', (s: string) => expect(s).toMatch(/^<\?xml[\s\S]*<checkstyle[\s\S]*<file name="a\/use\.go">[\s\S]*<\/checkstyle>\n$/)],
    ['junit', (s: string) => expect(s).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*a\/use\.go[\s\S]*<\/testsuites>\n$/)],
    ['markdown', (s: string) => expect(s).toMatch(/^## goport\n[\s\S]*\| `a\/use\.go:3` \| error \| `gated-symbol` \|/)],
    ['json', (s: string) => expect(lines(s)).toEqual(['a/use.go:3 gated-symbol', 'gen/use.go:3 gated-symbol'])],
    ['text', (s: string) => expect(s).toMatch(/^a\/use\.go:3:\d+: .*\[gated-symbol\]/)],
  ])('%s', async (format, check) => {
    const r = await run(['check', '--format', format]);
    expect(r.code).toBe(1);
    check(r.stdout);
  });

  it('writes several formats in one run, each to its own place', async () => {
    const r = await run(['check', '--format', 'text', '--format', 'sarif=out/goport.sarif', '--format', 'junit=out/junit.xml']);
    expect(r.stdout).toMatch(/a\/use\.go:3/);
    fs.mkdirSync(path.join(tmp, 'out'), { recursive: true });
    const again = await run(['check', '--format', 'text', '--format', 'sarif=out/goport.sarif', '--format', 'junit=out/junit.xml']);
    expect(again.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'out/goport.sarif'), 'utf8')).runs[0].results).toHaveLength(2);
    expect(fs.readFileSync(path.join(tmp, 'out/junit.xml'), 'utf8')).toContain('<testsuites');
  });
});

describe('--fail-on', () => {
  it('sets which severities make the exit code 1', async () => {
    expect((await run(['check'])).code).toBe(1);
    expect((await run(['check', '--fail-on', 'error'])).code).toBe(1);
    expect((await run(['check', '--fail-on', 'none'])).code).toBe(0);
    write('.goport.yml', 'severity:\n  gated-symbol: warning\n');
    try {
      expect((await run(['check', '--fail-on', 'error'])).code).toBe(0);
      expect((await run(['check', '--fail-on', 'warning'])).code).toBe(1);
      expect((await run(['check', '--fail-on', 'info'])).code).toBe(1);
    } finally {
      fs.rmSync(path.join(tmp, '.goport.yml'));
    }
  });

  it('rejects an unknown severity', async () => {
    const r = await run(['check', '--fail-on', 'fatal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('goport: --fail-on takes error, warning, info, none, not "fatal"\n');
  });
});

describe('baselines', () => {
  it('records the findings and then reports only new ones, across line shifts', async () => {
    const w = await run(['check', '--write-baseline', 'base.json']);
    expect(w).toMatchObject({ code: 0, stdout: '' });
    expect(w.stderr).toBe('goport: wrote 2 findings to base.json\n');
    const base = JSON.parse(fs.readFileSync(path.join(tmp, 'base.json'), 'utf8'));
    expect(base.entries.map((e: { file: string }) => e.file)).toEqual(['a/use.go', 'gen/use.go']);
    expect((await run(['check', '--baseline', 'base.json'])).code).toBe(0);
    // Move the finding down three lines and add a new one: only the new one is reported.
    write('a/use.go', 'package a\n\n// one\n// two\n// three\nfunc G() int { return size }\n\nfunc H() int { return size + 1 }\n');
    const r = await run(['check', '--baseline', 'base.json', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual(['a/use.go:8 gated-symbol']);
    write('a/use.go', 'package a\n\nfunc G() int { return size }\n');
  });

  it('rejects a missing or malformed baseline with exit 2', async () => {
    expect((await run(['check', '--baseline', 'nope.json'])).stderr).toMatch(/baseline nope\.json does not exist/);
    write('bad.json', '{"version": 9, "entries": []}');
    const r = await run(['check', '--baseline', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: unsupported baseline version 9/);
  });
});

describe('--report-unused-ignores and --exclude', () => {
  it('reports an ignore directive that matches nothing', async () => {
    write('a/extra.go', 'package a\n\n//goport:ignore gated-symbol kept from an old port\nfunc K() int { return 2 }\n');
    try {
      const quiet = await run(['check', './a', '--format', 'json']);
      expect(lines(quiet.stdout)).toEqual(['a/use.go:3 gated-symbol']);
      const r = await run(['check', './a', '--report-unused-ignores', '--format', 'json']);
      expect(lines(r.stdout)).toEqual(['a/extra.go:3 unused-ignore', 'a/use.go:3 gated-symbol']);
    } finally {
      fs.rmSync(path.join(tmp, 'a/extra.go'));
    }
  });

  it('leaves excluded paths out', async () => {
    const r = await run(['check', '--exclude', 'gen', '--format', 'json']);
    expect(lines(r.stdout)).toEqual(['a/use.go:3 gated-symbol']);
    const f = await run(['check', '--exclude', '**/use.go', '--format', 'json']);
    expect(lines(f.stdout)).toEqual([]);
    expect(f.code).toBe(0);
    const named = await run(['gen/use.go', '--exclude', 'gen/**', '--format', 'json']);
    expect(lines(named.stdout)).toEqual([]);
  });
});

describe('progress bar', () => {
  it('is on for a terminal only, never in CI, with --quiet or --no-progress', () => {
    const base = { flag: null, quiet: false, stderrIsTTY: true, env: {} };
    expect(progressEnabled(base)).toBe(true);
    expect(progressEnabled({ ...base, stderrIsTTY: false })).toBe(false);
    expect(progressEnabled({ ...base, env: { CI: 'true' } })).toBe(false);
    expect(progressEnabled({ ...base, env: { GITHUB_ACTIONS: 'true' } })).toBe(false);
    expect(progressEnabled({ ...base, env: { GITLAB_CI: 'true' } })).toBe(false);
    expect(progressEnabled({ ...base, env: { CI: 'false' } })).toBe(true);
    expect(progressEnabled({ ...base, quiet: true })).toBe(false);
    expect(progressEnabled({ ...base, flag: false })).toBe(false);
    expect(progressEnabled({ ...base, stderrIsTTY: false, flag: true })).toBe(true);
    expect(progressEnabled({ ...base, flag: true, quiet: true })).toBe(false);
    expect(inCI({ BUILDKITE: 'true' })).toBe(true);
  });

  it('waits half a second, redraws at most every 100 ms, and erases itself', () => {
    let t = 0;
    let out = '';
    const p = new Progress((s) => (out += s), true, { now: () => t, columns: 60 });
    p.update('parsing', 1, 100);
    expect(out).toBe(''); // a quick run prints nothing
    t = 600;
    p.update('parsing', 10, 100);
    expect(out).toBe(`\r\x1b[K${renderBar('parsing', 10, 100, 60)}`);
    t = 650;
    p.update('parsing', 20, 100);
    expect(out.split('\r').length).toBe(2); // throttled
    t = 660;
    p.update('parsing', 100, 100); // the last step is always drawn
    expect(out.endsWith('100/100 files')).toBe(true);
    p.clear();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
    const bar = renderBar('parsing', 50, 100, 60);
    expect(bar).toMatch(/^goport: parsing \[(#+)(\.+)\] 50\/100 files$/);
    expect(bar.length).toBeLessThan(60);
    const [, done, left] = /\[(#+)(\.+)\]/.exec(bar)!;
    expect(Math.abs(done!.length - left!.length)).toBeLessThanOrEqual(1);
  });

  it('never writes to a non-terminal stderr', async () => {
    const r = await run(['check', '--format', 'json'], { stderrIsTTY: false });
    expect(r.stderr).toBe('');
  });

  it('--timing prints each stage, then the CPU time and peak RSS of the whole process', async () => {
    write('timed/a.go', 'package timed\n\nfunc F() {}\n');
    const r = await run(['check', './timed/...', '--format', 'json', '--timing']);
    expect(r.stderr).toMatch(/^timing: parse [\d.]+ ms$/m);
    expect(r.stderr).toMatch(/^timing: report [\d.]+ ms\ntiming: cpu [\d.]+ ms\ntiming: peak-rss [\d.]+ MB$/m);
  });

  it('draws on a terminal stderr for a long run and leaves stdout alone', async () => {
    // --progress forces it; a zero delay is not configurable from the CLI, so make the run long enough.
    for (let i = 0; i < 150; i++) write(`many/p${i}/f.go`, `package p${i}\n\nfunc F() int { return ${i} }\n`);
    try {
      const r = await run(['check', './many/...', '--format', 'json', '--jobs', '1'], { stderrIsTTY: true, env: { GOPORT_CACHE: 'off' } });
      expect(JSON.parse(r.stdout).findings).toEqual([]);
      // Either nothing (a fast machine) or bars that end erased.
      if (r.stderr !== '') {
        expect(r.stderr).toMatch(/goport: (reading|parsing) \[[#.]+\] \d+\/\d+ (packages|files)/);
        expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
      }
      const ci = await run(['check', './many/...', '--format', 'json'], { stderrIsTTY: true, env: { GOPORT_CACHE: 'off', CI: 'true' } });
      expect(ci.stderr).toBe('');
    } finally {
      fs.rmSync(path.join(tmp, 'many'), { recursive: true });
    }
  });
});

describe('flags', () => {
  it('records which flags were given (they override the configuration)', () => {
    const o = parseArgs(['check', '--tags', 'a', '--no-cgo', '--staged', '--no-cache', '-p', 'linux/amd64']);
    expect([...o.explicit].sort()).toEqual(['cache', 'cgo', 'platforms', 'staged', 'tags']);
    expect(o).toMatchObject({ staged: true, cache: false, cgo: false });
  });

  it('rejects --staged with --changed-since, and documents every new flag', () => {
    expect(() => parseArgs(['--staged', '--changed-since', 'HEAD'])).toThrow(/exclude each other/);
    for (const flag of ['--staged', '--changed-since', '--baseline', '--write-baseline', '--report-unused-ignores', '--fail-on', '--config', '--no-config', '--no-cache', '--exclude', '--no-progress', 'goport audit']) {
      expect(HELP).toContain(flag);
    }
  });
});
