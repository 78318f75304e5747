/** Findings that set their own severity: harmless cases are info, wrong system call numbers errors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { RunResult } from '../src/engine/types.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

async function check(dir: string, ...args: string[]): Promise<{ run: RunResult; code: number }> {
  let out = '';
  const code = await main(['check', './...', '--format', 'json', '--no-cache', '--go-version', '1.22', ...args], {
    stdout: (s) => (out += s), stderr: () => {}, cwd: path.resolve(FIXTURES, dir), isTTY: false, env: {},
  });
  return { run: JSON.parse(out) as RunResult, code };
}

const bySeverity = (run: RunResult, rule: string) =>
  Object.fromEntries(['error', 'warning', 'info'].map((s) => [s, run.findings.filter((f) => f.rule === rule && f.severity === s).map((f) => `${f.file}:${f.line}`)]));

describe('per-finding severity', () => {
  it('build-constraint: comparisons dead by the file\'s own constraint are info; a misspelled value stays a warning', async () => {
    const { run, code } = await check('build-constraint/runtime-compare');
    const s = bySeverity(run, 'build-constraint');
    expect(s.warning).toEqual(['plain.go:6', 'plain.go:10', 'plain.go:15']);
    expect(s.info).toContain('guard_windows_test.go:9');
    expect(s.info!.length).toBe(5);
    expect(code).toBe(1);
    // --fail-on warning lets a windows-only test's guard through CI.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-sev-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/g\n\ngo 1.21\n');
    fs.writeFileSync(path.join(dir, 'g_windows_test.go'), 'package g\n\nimport (\n\t"runtime"\n\t"testing"\n)\n\nfunc TestG(t *testing.T) {\n\tif runtime.GOOS != "windows" {\n\t\tt.Skip()\n\t}\n}\n');
    const guard = await check(dir, '--fail-on', 'warning');
    expect(guard.run.findings.map((f) => f.severity)).toEqual(['info']);
    expect(guard.code).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hardcoded-platform: another system call on some platform is an error; the same one everywhere is info', async () => {
    const { run } = await check('hardcoded-platform/raw-syscalls');
    const s = bySeverity(run, 'hardcoded-platform');
    expect(s.error).toEqual(['gettid_linux.go:7', 'gettid_linux.go:12', 'gettid_linux.go:17', 'wrong_linux_arm64.go:7']);
    expect(s.info).toEqual(['generic_linux.go:9']);
    const f = run.findings.find((x) => x.file === 'wrong_linux_arm64.go')!;
    expect(f.related?.map((r) => r.message)).toEqual(['linux/arm64: 186 is SYS_MSGGET; SYS_GETTID is 178']);
    expect(f.fix?.edits.map((e) => e.text)).toEqual(['syscall.SYS_GETTID']);
  });
});
