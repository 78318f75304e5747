/**
 * `goport fix` on a copy of every fixture: afterwards no finding carries a fix, no finding appeared
 * that was not there before, and every fixed finding is gone. Where Go is installed, the files the
 * fixes changed are gofmt-clean and the `fix-*` fixtures pass `go vet` (on amd64 and 386: vet's
 * buildtag and atomicalign see what goport saw). Also: the fix field in JSON and SARIF.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { main } from '../src/cli/main.js';
import type { Finding, RunResult } from '../src/engine/types.js';
import { applyFixes, resolveFixOffsets } from '../src/report/fixes.js';

const ROOT = path.resolve(import.meta.dirname, '../fixtures');
/** Go commands for gofmt and vet: GOPORT_TEST_GO, `go` on PATH, the newer Go CI installs beside it. */
const GOS = [process.env.GOPORT_TEST_GO, 'go', '/usr/lib/go-1.27/bin/go'].flatMap((go) => {
  if (!go) return [];
  const v = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' });
  const minor = Number(/^go1\.(\d+)/.exec(v.stdout ?? '')?.[1] ?? -1);
  return v.status === 0 && minor >= 0 ? [{ go, minor }] : [];
});
const HAVE_GO = GOS.length > 0;
const gofmtOf = (go: string) => (go === 'go' ? 'gofmt' : path.join(path.dirname(go), 'gofmt'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-fix-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Cfg {
  platforms?: string[];
  tags?: string[];
  goVersion?: string;
  args?: string[];
}

function argv(cmd: string, cfg: Cfg): string[] {
  const a = [cmd, ...(cfg.args ?? ['./...']), '--format', 'json', '--go-version', cfg.goVersion ?? '1.22', '--no-cache'];
  for (const p of cfg.platforms ?? []) a.push('--platforms', p);
  if (cfg.tags?.length) a.push('--tags', cfg.tags.join(','));
  return a;
}

async function run(cmd: string, dir: string, cfg: Cfg): Promise<{ run: RunResult; stderr: string }> {
  let stdout = '';
  let stderr = '';
  await main(argv(cmd, cfg), { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: dir, isTTY: false, env: {} });
  return { run: JSON.parse(stdout) as RunResult, stderr };
}

/** What a finding is about, without its line (fixes move lines). */
const key = (f: Finding) => `${f.rule}:${f.file}:${f.message}`;

function counts(fs_: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of fs_) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
  return m;
}

const cases: { name: string; dir: string }[] = [];
for (const rule of fs.readdirSync(ROOT).sort()) {
  if (!RULES.some((r) => r.meta.id === rule)) continue;
  for (const name of fs.readdirSync(path.join(ROOT, rule)).sort()) {
    const dir = path.join(ROOT, rule, name);
    if (fs.statSync(dir).isDirectory() && !name.startsWith('ok-')) cases.push({ name: `${rule}/${name}`, dir });
  }
}

describe('goport fix on the fixtures', () => {
  it('has fixtures with fixes', () => {
    expect(cases.filter((c) => /\/fix-/.test(c.name)).length).toBeGreaterThanOrEqual(5);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const cfgPath = path.join(c.dir, 'fixture.json');
      const cfg: Cfg = fs.existsSync(cfgPath) ? JSON.parse(fs.readFileSync(cfgPath, 'utf8')) : {};
      const copy = path.join(tmp, c.name.replace('/', '__'));
      fs.cpSync(c.dir, copy, { recursive: true });
      const before = (await run('check', copy, cfg)).run.findings;
      const fixable = before.filter((f) => f.fix);
      if (/\/fix-/.test(c.name)) expect(fixable.length, 'a fix- fixture has findings with fixes').toBeGreaterThan(0);
      if (fixable.length === 0) return;
      const snapshot = new Map(fixable.flatMap((f) => f.fix!.edits).map((e) => [e.file, fs.readFileSync(path.join(copy, e.file))]));
      const gofmtL = (files: string[]) => spawnSync(gofmtOf(GOS[0]!.go), ['-l', ...files], { cwd: copy, encoding: 'utf8' });
      // Files gofmt would change already (some fixtures are not formatted): not checked after the fix.
      const unformatted = HAVE_GO ? new Set(gofmtL([...snapshot.keys()]).stdout.split('\n').filter(Boolean)) : new Set<string>();

      const { run: after, stderr } = await run('fix', copy, cfg);
      expect(stderr).toMatch(/^goport: applied \d+ fix(es)? in \d+ files?\n/);
      expect(after.findings.filter((f) => f.fix).map(key), 'no fixable finding is left').toEqual([]);
      const was = counts(before);
      const fixed = counts(fixable);
      for (const [k, n] of counts(after.findings)) {
        expect(n, `no new finding: ${k}`).toBeLessThanOrEqual((was.get(k) ?? 0) - (fixed.get(k) ?? 0));
      }
      expect(after.errors).toEqual([]);
      const changed = [...snapshot.keys()].filter((f) => !fs.readFileSync(path.join(copy, f)).equals(snapshot.get(f)!));
      expect(changed.length).toBeGreaterThan(0);

      if (!HAVE_GO) return;
      // A fix- fixture must be gofmt-clean after its fixes (gofmt itself rewrites +build lines that disagree).
      const formatted = /\/fix-/.test(c.name) ? changed : changed.filter((f) => !unformatted.has(f));
      const gofmt = gofmtL(formatted);
      expect(gofmt.stdout + gofmt.stderr, 'gofmt -l on the fixed files').toBe('');
      if (!/\/fix-/.test(c.name)) return;
      const modMinor = Number(/^go 1\.(\d+)/m.exec(fs.readFileSync(path.join(copy, 'go.mod'), 'utf8'))?.[1] ?? 0);
      const GO = GOS.find((g) => g.minor >= modMinor)?.go;
      if (GO === undefined) {
        console.log(`${c.name}: go vet skipped: the module needs Go 1.${modMinor} (set GOPORT_TEST_GO)`);
        return;
      }
      for (const goarch of ['amd64', '386']) {
        const env = { ...process.env, GOOS: 'linux', GOARCH: goarch, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOPROXY: 'off', CGO_ENABLED: '0', GOWORK: 'off' };
        const vet = spawnSync(GO, ['vet', './...'], { cwd: copy, encoding: 'utf8', env });
        if (/matched no packages/.test(vet.stderr)) continue; // nothing of the fixture builds there
        expect(vet.stderr, `GOARCH=${goarch} go vet`).toBe('');
        expect(vet.status).toBe(0);
      }
    }, 120_000);
  }
});

describe('fix edits', () => {
  const finding = (edits: { line: number; column: number; endLine: number; endColumn: number; text: string }[]): Finding => ({
    rule: 'r', severity: 'warning', file: 'a.go', line: 1, column: 1, endLine: 1, endColumn: 1, message: 'm', messageId: 'm', platforms: [],
    fix: { description: 'd', edits: edits.map((e) => ({ file: 'a.go', ...e })) },
  });

  it('turns positions into byte offsets of the file (UTF-8, CRLF kept) and drops a fix outside the file', () => {
    const buf = Buffer.from('package a\r\n// é\r\nvar x = 1\n');
    const [f, gone] = resolveFixOffsets(
      [finding([{ line: 3, column: 9, endLine: 3, endColumn: 10, text: '2' }]), finding([{ line: 9, column: 1, endLine: 9, endColumn: 2, text: '' }])],
      () => buf,
    );
    expect(f!.fix!.edits[0]).toMatchObject({ start: 26, end: 27 });
    expect(buf.subarray(26, 27).toString()).toBe('1');
    expect(gone!.fix).toBeUndefined();
  });

  it('applies edits from the end, skips a fix that overlaps an earlier one, and is deterministic', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'apply-'));
    fs.writeFileSync(path.join(dir, 'a.go'), 'abcdef\n');
    const fixes = resolveFixOffsets(
      [
        finding([{ line: 1, column: 1, endLine: 1, endColumn: 2, text: 'A' }, { line: 1, column: 5, endLine: 1, endColumn: 7, text: 'EF!' }]),
        finding([{ line: 1, column: 6, endLine: 1, endColumn: 7, text: 'x' }]),
        finding([{ line: 1, column: 3, endLine: 1, endColumn: 3, text: '+' }]),
      ],
      (f) => fs.readFileSync(path.join(dir, f)),
    );
    expect(applyFixes(fixes, dir)).toEqual({ applied: 2, conflicting: 1, files: ['a.go'] });
    expect(fs.readFileSync(path.join(dir, 'a.go'), 'utf8')).toBe('Ab+cdEF!\n');
  });

  it('offers binary.NativeEndian only to modules on Go 1.21 or newer', async () => {
    const { run: old } = await run('check', path.join(ROOT, 'endianness/netlink-go120'), {});
    expect(old.findings.length).toBeGreaterThan(0);
    expect(old.findings.filter((f) => f.fix)).toEqual([]);
  });

  it('JSON carries fix with byte ranges, SARIF carries fixes', async () => {
    const dir = path.join(ROOT, 'build-constraint/fix-plusbuild');
    let out = '';
    await main(['check', './...', '--format', 'json', '--no-cache'], { stdout: (s) => (out += s), stderr: () => {}, cwd: dir, isTTY: false, env: {} });
    const f = (JSON.parse(out) as RunResult).findings.find((x) => x.file === 'netlink.go')!;
    expect(f.fix).toEqual({
      description: 'rewrite the +build lines from the //go:build line (as go fix does)',
      edits: [
        { file: 'netlink.go', start: 152, end: 172, line: 3, column: 1, endLine: 3, endColumn: 21, text: '// +build linux,!arm,!386' },
        { file: 'netlink.go', start: 173, end: 189, line: 4, column: 1, endLine: 5, endColumn: 1, text: '' },
      ],
    });
    out = '';
    await main(['check', './...', '--format', 'sarif', '--no-cache'], { stdout: (s) => (out += s), stderr: () => {}, cwd: dir, isTTY: false, env: {} });
    const result = JSON.parse(out).runs[0].results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'netlink.go');
    expect(result.fixes).toEqual([
      {
        description: { text: 'rewrite the +build lines from the //go:build line (as go fix does)' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'netlink.go', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { byteOffset: 152, byteLength: 20 }, insertedContent: { text: '// +build linux,!arm,!386' } },
              { deletedRegion: { byteOffset: 173, byteLength: 16 }, insertedContent: { text: '' } },
            ],
          },
        ],
      },
    ]);
  });
});
