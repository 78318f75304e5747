/**
 * gated-symbol against the Go compiler itself, on the fixtures: scripts/compare-compiler.mjs
 * type-checks each fixture package (with its tests) per platform with GOOS/GOARCH set and matches
 * the compiler's "undefined" errors with goport's findings. Needs Go; skipped with a message without.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const hasGo = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
if (!hasGo) console.warn('compare-compiler: SKIPPED — no `go` on PATH (CI installs Debian golang-go)');

const minorOf = (go: string): number => {
  const r = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
  return Number(/^go1\.(\d+)/.exec(r.stdout ?? '')?.[1] ?? 0);
};
const pathMinor = hasGo ? minorOf('go') : 0;

/**
 * A fixture whose go.mod asks for a newer Go than the one on PATH (Go 1.26 new(expr), Go 1.27
 * generic methods) runs with the newest /usr/lib/go-1.N/bin (Debian's golang-1.N-go) that has it:
 * the bin directory to put first on PATH, '' for PATH's own go, or null when there is none.
 */
function goBinFor(dir: string): string | null {
  const mod = path.join(dir, 'go.mod');
  const want = fs.existsSync(mod) ? Number(/^go 1\.(\d+)/m.exec(fs.readFileSync(mod, 'utf8'))?.[1] ?? 0) : 0;
  if (want <= pathMinor) return '';
  let vers: number[] = [];
  try {
    vers = fs.readdirSync('/usr/lib').map((d) => Number(/^go-1\.(\d+)$/.exec(d)?.[1] ?? 0)).filter((v) => v >= want);
  } catch {
    /* no /usr/lib */
  }
  const bin = vers.sort((a, b) => b - a).map((v) => `/usr/lib/go-1.${v}/bin`).find((b) => minorOf(path.join(b, 'go')) >= want);
  return bin ?? null;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const PLATFORMS = 'linux/amd64,linux/arm,linux/386,darwin/arm64,windows/amd64';
const dirs = ['gated-symbol']
  .flatMap((r) => fs.readdirSync(path.join(ROOT, 'fixtures', r)).map((c) => path.join(ROOT, 'fixtures', r, c)))
  .filter((d) => fs.statSync(d).isDirectory());

describe.skipIf(!hasGo)('gated-symbol agrees with the Go compiler', () => {
  for (const dir of dirs) {
    const name = path.relative(path.join(ROOT, 'fixtures'), dir);
    const bin = hasGo ? goBinFor(dir) : '';
    if (bin === null) console.warn(`compare-compiler: ${name} SKIPPED — its go.mod needs a newer Go than any installed`);
    it.skipIf(bin === null)(name, () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/compare-compiler.mjs'), dir, '--platforms', PLATFORMS, '--rules', 'gated-symbol', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: 'local', ...(bin ? { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` } : {}) },
        maxBuffer: 1 << 26,
      });
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as { falsePositiveList: string[]; missed: string[]; truePositives: number };
      expect({ falsePositives: s.falsePositiveList, missed: s.missed }).toEqual({ falsePositives: [], missed: [] });
      if (!path.basename(dir).startsWith('ok-')) expect(s.truePositives).toBeGreaterThan(0);
    }, 600_000);
  }
});

// --mode int-overflow: the compiler's constant overflow errors on 32-bit platforms against
// int-overflow-32bit, on the type-layer fixtures (every conversion point) and their twins.
const OVERFLOW_PLATFORMS = 'linux/386,linux/arm,linux/amd64';
const overflowDirs = ['paths', 'ok-paths', 'inferred', 'ok-inferred'].map((c) => path.join(ROOT, 'fixtures', 'int-overflow-32bit', c));

describe.skipIf(!hasGo)('int-overflow-32bit agrees with the Go compiler (compare-compiler --mode int-overflow)', () => {
  for (const dir of overflowDirs) {
    const name = path.relative(path.join(ROOT, 'fixtures'), dir);
    it(name, () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/compare-compiler.mjs'), dir, '--mode', 'int-overflow', '--platforms', OVERFLOW_PLATFORMS, '--json'], {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: 'local' },
        maxBuffer: 1 << 26,
      });
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as { falsePositiveList: string[]; missed: string[]; truePositives: number; brokenEverywhere: number };
      expect({ falsePositives: s.falsePositiveList, missed: s.missed, brokenEverywhere: s.brokenEverywhere }).toEqual({ falsePositives: [], missed: [], brokenEverywhere: 0 });
      if (path.basename(dir).startsWith('ok-')) expect(s.truePositives).toBe(0);
      else expect(s.truePositives).toBeGreaterThan(0);
    }, 600_000);
  }
});
