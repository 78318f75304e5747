/**
 * int-overflow-32bit against the Go compiler: every fixture of the rule is type-checked (with its
 * tests) by `go test -run ^$ -exec /bin/true -gcflags=-e` per platform, and the compiler's constant
 * overflow errors must be exactly goport's findings, file and line, on every 32-bit platform; on
 * the 64-bit platforms the fixtures must compile cleanly (they are valid Go). Needs Go; skipped with
 * a message without.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { RunResult } from '../src/engine/types.js';
import { detectGo, goEnv, pool } from './helpers/go.js';

const go = detectGo();
if (!go) console.warn('int-overflow-go: SKIPPED — no `go` on PATH (CI installs Debian golang-go)');

const ROOT = path.resolve(import.meta.dirname, '../fixtures/int-overflow-32bit');
const PLATFORMS_32 = ['linux/386', 'linux/arm', 'linux/mips', 'linux/mipsle', 'windows/386'];
const PLATFORMS_64 = ['linux/amd64', 'windows/amd64'];
/** The compiler's errors for constants that do not fit their type. */
const OVERFLOW = /overflows|\(truncated\)|array length .* must be integer|invalid array length|cannot convert .*constant/;

const cases = fs.existsSync(ROOT)
  ? fs.readdirSync(ROOT).filter((c) => fs.statSync(path.join(ROOT, c)).isDirectory()).sort()
  : [];

interface GoError {
  where: string;
  message: string;
}

function goErrors(dir: string, platform: string): Promise<GoError[]> {
  const [goos, goarch] = platform.split('/') as [string, string];
  const env = goEnv(go!.home, { GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' });
  return new Promise((resolve, reject) => {
    const p = spawn('go', ['test', '-count=1', '-run', '^$', '-exec', '/bin/true', '-gcflags=-e', './...'], { cwd: dir, env });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', () => {
      const errs: GoError[] = [];
      for (const line of out.split('\n')) {
        const m = /^(?:\.\/)?([^\s:]+\.go):(\d+):\d+: (.*)$/.exec(line.trim());
        if (m) errs.push({ where: `${path.normalize(m[1]!)}:${m[2]}`, message: m[3]! });
      }
      resolve(errs);
    });
  });
}

async function goportFindings(dir: string, platforms: string[]): Promise<RunResult> {
  let stdout = '';
  await main(['check', './...', '--format', 'json', '--enable', 'int-overflow-32bit', '--platforms', platforms.join(','), '--go-version', `1.${go!.minor}`], {
    stdout: (s) => (stdout += s),
    stderr: () => {},
    cwd: dir,
    isTTY: false,
    env: {},
  });
  return JSON.parse(stdout) as RunResult;
}

describe.skipIf(!go)('int-overflow-32bit agrees with the Go compiler', () => {
  const totals = { compilerErrors: 0, findings: 0 };
  for (const c of cases) {
    it(c, async () => {
      const dir = path.join(ROOT, c);
      const run = await goportFindings(dir, [...PLATFORMS_32, ...PLATFORMS_64]);
      const results = await pool([...PLATFORMS_32, ...PLATFORMS_64], 4, async (p) => ({ p, errs: await goErrors(dir, p) }));
      for (const { p, errs } of results) {
        if (PLATFORMS_64.includes(p)) {
          expect(errs, `${c} must compile on ${p}`).toEqual([]);
          continue;
        }
        // Every error on a 32-bit platform must be an overflow (the fixtures are valid Go otherwise).
        expect(errs.filter((e) => !OVERFLOW.test(e.message)), `${c} on ${p}: other errors`).toEqual([]);
        const compiler = [...new Set(errs.map((e) => e.where))].sort();
        const ours = [...new Set(run.findings.filter((f) => f.platforms.includes(p)).map((f) => `${path.normalize(f.file)}:${f.line}`))].sort();
        expect({ platform: p, goport: ours }).toEqual({ platform: p, goport: compiler });
        totals.compilerErrors += compiler.length;
        totals.findings += ours.length;
      }
      if (c.startsWith('ok-')) expect(run.findings).toEqual([]);
      else expect(run.findings.length).toBeGreaterThan(0);
    }, 600_000);
  }
  it('summary', () => {
    console.info(`int-overflow-go: ${totals.compilerErrors} compiler overflow errors on ${PLATFORMS_32.join(', ')}; goport found ${totals.findings}`);
  });
});
