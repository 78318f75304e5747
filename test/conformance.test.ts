/**
 * Conformance with the Go toolchain: for every platform of `go tool dist list` of the installed
 * Go (that goport knows), `goport files` must list exactly the files `go list -e -json ./...`
 * reports as GoFiles + TestGoFiles + XTestGoFiles (+ CgoFiles with cgo), per package directory.
 * A directory go list does not print for a platform counts as zero files.
 *
 * Three data sets: the hand-written fixtures/constraints module (every go/build rule, valid Go,
 * no errors), a temp module of edge cases that make go/build report errors or are not valid Go,
 * and a seeded pseudo-random stress module of thousands of files.
 *
 * Without a `go` command the suite is skipped with a warning, so `npm test` passes anywhere.
 * GOPORT_CONFORMANCE_SEED and GOPORT_CONFORMANCE_FILES change the stress module.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BuildSettings,
  compareFiles,
  countGoFiles,
  describeMismatches,
  detectGo,
  goListMatrix,
  goportFiles,
  platformsFor,
} from './helpers/go.js';
import { writeEdgeModule, writeStressModule } from './helpers/go-stress.js';

const go = detectGo();
if (!go) {
  console.warn('conformance: SKIPPED — no working `go` command on PATH; install Go to compare goport with `go list`.');
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/constraints');
const SEED = Number(process.env.GOPORT_CONFORMANCE_SEED ?? 20240611);
const STRESS_FILES = Number(process.env.GOPORT_CONFORMANCE_FILES ?? 3000);
const STRESS_DIRS = 30;
const TIMEOUT = 300_000;

// The temp modules and the private HOME/GOCACHE of the go command.
const temps: string[] = go ? [go.home] : [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

interface PassResult {
  label: string;
  decisions: number;
  mismatchedFiles: number;
  details: string;
  goportErrors: number;
}

async function runPass(label: string, root: string, platforms: string[], s: BuildSettings): Promise<PassResult> {
  const [goList, goport] = await Promise.all([
    goListMatrix(go!, root, platforms, s, 2),
    goportFiles(root, platforms, go!.version, s),
  ]);
  expect(goport.platforms).toEqual(platforms);
  const cmp = compareFiles(platforms, goList, goport.files, countGoFiles(root));
  return {
    label,
    decisions: cmp.decisions,
    mismatchedFiles: cmp.mismatchedFiles,
    details: cmp.mismatches.length ? describeMismatches(root, cmp.mismatches) : '',
    goportErrors: goport.errors.length,
  };
}

function summarize(name: string, passes: PassResult[], ms: number): void {
  const files = passes.map((p) => `${p.label}: ${p.decisions} decisions, ${p.mismatchedFiles} mismatches`).join('; ');
  console.log(`conformance ${name} (${go!.version}, ${(ms / 1000).toFixed(1)}s): ${files}`);
}

describe.skipIf(!go)('conformance: goport files = go list', () => {
  const { usable, skipped } = go ? platformsFor(go) : { usable: [], skipped: [] };
  if (go && skipped.length) {
    console.warn(`conformance: ${go.version} pairs goport does not know, skipped: ${skipped.join(' ')}`);
  }

  it('uses every platform of `go tool dist list` that goport knows', () => {
    expect(usable.length).toBeGreaterThanOrEqual(30);
  });

  it('fixtures/constraints: default, -tags foo,bar and cgo', { timeout: TIMEOUT }, async () => {
    const t0 = Date.now();
    const passes: PassResult[] = [];
    for (const [label, s] of [
      ['default', {}],
      ['tags foo,bar', { tags: ['foo', 'bar'] }],
      ['cgo', { cgo: true }],
      ['tests=false', { tests: false }],
    ] as const) {
      passes.push(await runPass(label, FIXTURES, usable, s));
    }
    summarize(`fixtures/constraints (${usable.length} platforms)`, passes, Date.now() - t0);
    for (const p of passes) expect(p.details, `fixtures, ${p.label}`).toBe('');
    // The fixtures are valid Go that go/build accepts without complaint.
    for (const p of passes) expect(p.goportErrors, `goport errors on fixtures (${p.label})`).toBe(0);
  });

  it('edge cases: invalid constraints, NUL bytes, cgo in tests, byte order marks, escapes', { timeout: TIMEOUT }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-edge-'));
    temps.push(root);
    writeEdgeModule(root);
    const t0 = Date.now();
    const passes = [
      await runPass('default', root, usable, {}),
      await runPass('cgo', root, usable, { cgo: true }),
      await runPass('tags linux,cgo', root, usable, { tags: ['linux', 'cgo'] }),
    ];
    summarize('edge cases', passes, Date.now() - t0);
    for (const p of passes) expect(p.details, `edge cases, ${p.label}`).toBe('');
  });

  it(`stress: ${STRESS_FILES} generated files, default, -tags foo,bar, cgo and odd -tags`, { timeout: TIMEOUT }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-stress-'));
    temps.push(root);
    const mod = writeStressModule(root, { seed: SEED, files: STRESS_FILES, dirs: STRESS_DIRS });
    const t0 = Date.now();
    const passes = [
      await runPass('default', root, usable, {}),
      await runPass('tags foo,bar', root, usable, { tags: ['foo', 'bar'] }),
      await runPass('cgo', root, usable, { cgo: true }),
      // User tags that name a GOOS, a feature, a release, cgo, unix and ignore.
      await runPass('tags odd', root, usable, { tags: ['linux', 'cgo', 'ignore', 'unix', 'amd64.v2', 'go1.99', 'arm64'] }),
    ];
    summarize(`stress (seed ${mod.seed}, ${mod.files} files in ${mod.dirs} dirs × ${usable.length} platforms)`, passes, Date.now() - t0);
    for (const p of passes) expect(p.details, `stress seed ${mod.seed}, ${p.label}`).toBe('');
  });
});
