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

const ROOT = path.resolve(import.meta.dirname, '..');
const PLATFORMS = 'linux/amd64,linux/arm,linux/386,darwin/arm64,windows/amd64';
const dirs = ['gated-symbol']
  .flatMap((r) => fs.readdirSync(path.join(ROOT, 'fixtures', r)).map((c) => path.join(ROOT, 'fixtures', r, c)))
  .filter((d) => fs.statSync(d).isDirectory());

describe.skipIf(!hasGo)('gated-symbol agrees with the Go compiler', () => {
  for (const dir of dirs) {
    it(path.relative(path.join(ROOT, 'fixtures'), dir), () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/compare-compiler.mjs'), dir, '--platforms', PLATFORMS, '--rules', 'gated-symbol', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: 'local' },
        maxBuffer: 1 << 26,
      });
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as { falsePositiveList: string[]; missed: string[]; truePositives: number };
      expect({ falsePositives: s.falsePositiveList, missed: s.missed }).toEqual({ falsePositives: [], missed: [] });
      if (!path.basename(dir).startsWith('ok-')) expect(s.truePositives).toBeGreaterThan(0);
    }, 600_000);
  }
});
