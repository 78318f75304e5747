/**
 * Conformance with the Go toolchain: for every platform of `go tool dist list` of the installed
 * Go, `goport files --go-version <that Go>` must list exactly the files `go list -e -json ./...`
 * reports as GoFiles + TestGoFiles + XTestGoFiles (+ CgoFiles with cgo), per package directory.
 * A directory go list does not print for a platform counts as zero files. goport's ports table of
 * that release must be exactly its `go tool dist list` (Go 1.19's includes windows/arm and
 * openbsd/mips64, which later releases dropped).
 *
 * Three data sets: the hand-written fixtures/constraints module (every go/build rule, valid Go,
 * no errors), a temp module of edge cases that make go/build report errors or are not valid Go
 * (and a nested module, which `./...` does not enter), and a seeded pseudo-random stress module of
 * thousands of files.
 *
 * The go on PATH runs all three. The newest other toolchain of Debian's golang-1.N-go
 * (/usr/lib/go-1.N/bin/go; GOPORT_CONFORMANCE_GO=/path/to/go names one) runs the first two.
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
  type GoToolchain,
  goListMatrix,
  goportFiles,
  platformsFor,
} from './helpers/go.js';
import { writeEdgeModule, writeStressModule } from './helpers/go-stress.js';

const go = detectGo();
if (!go) {
  console.warn('conformance: SKIPPED — no working `go` command on PATH; install Go to compare goport with `go list`.');
}

/** The newest Debian toolchain other than the go on PATH (or GOPORT_CONFORMANCE_GO). */
function otherToolchain(): GoToolchain | null {
  const named = process.env.GOPORT_CONFORMANCE_GO;
  if (named) return detectGo(named);
  let dirs: string[] = [];
  try {
    dirs = fs.readdirSync('/usr/lib').filter((d) => /^go-1\.\d+$/.test(d));
  } catch {
    return null;
  }
  const byMinor = dirs.map((d) => ({ d, minor: Number(d.slice(5)) })).sort((a, b) => b.minor - a.minor);
  for (const { d, minor } of byMinor) {
    if (go && minor === go.minor) continue;
    const t = detectGo(path.join('/usr/lib', d, 'bin', 'go'));
    if (t) return t;
  }
  return null;
}
const other = otherToolchain();
if (!other) {
  console.warn('conformance: newer toolchain SKIPPED — no /usr/lib/go-1.N/bin/go other than the go on PATH (Debian: apt-get install golang-1.27-go)');
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/constraints');
const SEED = Number(process.env.GOPORT_CONFORMANCE_SEED ?? 20240611);
const STRESS_FILES = Number(process.env.GOPORT_CONFORMANCE_FILES ?? 3000);
const STRESS_DIRS = 30;
const TIMEOUT = 300_000;

// The temp modules and the private HOME/GOCACHE of the go commands.
const temps: string[] = [go, other].flatMap((t) => (t ? [t.home] : []));
// Two toolchains' build caches and the stress module: removing them takes a while on a busy machine.
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
}, 120_000);

interface PassResult {
  label: string;
  decisions: number;
  mismatchedFiles: number;
  details: string;
  goportErrors: number;
}

async function runPass(go: GoToolchain, label: string, root: string, platforms: string[], s: BuildSettings): Promise<PassResult> {
  const [goList, goport] = await Promise.all([
    goListMatrix(go, root, platforms, s, 2),
    goportFiles(root, platforms, go.version, s, go.archEnv),
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

function summarize(go: GoToolchain, name: string, passes: PassResult[], ms: number): void {
  const files = passes.map((p) => `${p.label}: ${p.decisions} decisions, ${p.mismatchedFiles} mismatches`).join('; ');
  console.log(`conformance ${name} (${go.version}, ${(ms / 1000).toFixed(1)}s): ${files}`);
}

/** fixtures/constraints and the edge cases against toolchain `t`. */
function commonSuite(t: GoToolchain | null): void {
  const { usable, skipped } = t ? platformsFor(t) : { usable: [], skipped: [] };

  it('knows exactly the ports of `go tool dist list` of this release', () => {
    expect(skipped, `${t!.version} pairs missing from goport's table for Go 1.${t!.minor}`).toEqual([]);
    expect(usable).toEqual([...t!.distList].sort());
    if (t!.minor === 19) expect(usable).toEqual(expect.arrayContaining(['windows/arm', 'openbsd/mips64']));
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
      passes.push(await runPass(t!, label, FIXTURES, usable, s));
    }
    summarize(t!, `fixtures/constraints (${usable.length} platforms)`, passes, Date.now() - t0);
    for (const p of passes) expect(p.details, `fixtures, ${p.label}`).toBe('');
    // The fixtures are valid Go that go/build accepts without complaint.
    for (const p of passes) expect(p.goportErrors, `goport errors on fixtures (${p.label})`).toBe(0);
  });

  it('edge cases: invalid constraints, NUL bytes, cgo in tests, byte order marks, escapes, a nested module', { timeout: TIMEOUT }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-edge-'));
    temps.push(root);
    writeEdgeModule(root, t!.minor);
    const t0 = Date.now();
    const passes = [
      await runPass(t!, 'default', root, usable, {}),
      await runPass(t!, 'cgo', root, usable, { cgo: true }),
      await runPass(t!, 'tags linux,cgo', root, usable, { tags: ['linux', 'cgo'] }),
    ];
    summarize(t!, 'edge cases', passes, Date.now() - t0);
    for (const p of passes) expect(p.details, `edge cases, ${p.label}`).toBe('');
  });
}

describe.skipIf(!go)('conformance: goport files = go list', () => {
  const { usable } = go ? platformsFor(go) : { usable: [] };

  it('uses every platform of `go tool dist list`', () => {
    expect(usable.length).toBeGreaterThanOrEqual(30);
  });

  commonSuite(go);

  it(`stress: ${STRESS_FILES} generated files, default, -tags foo,bar, cgo and odd -tags`, { timeout: TIMEOUT }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-stress-'));
    temps.push(root);
    const mod = writeStressModule(root, { seed: SEED, files: STRESS_FILES, dirs: STRESS_DIRS });
    const t0 = Date.now();
    const passes = [
      await runPass(go!, 'default', root, usable, {}),
      await runPass(go!, 'tags foo,bar', root, usable, { tags: ['foo', 'bar'] }),
      await runPass(go!, 'cgo', root, usable, { cgo: true }),
      // User tags that name a GOOS, a feature, a release, cgo, unix and ignore.
      await runPass(go!, 'tags odd', root, usable, { tags: ['linux', 'cgo', 'ignore', 'unix', 'amd64.v2', 'go1.99', 'arm64'] }),
    ];
    summarize(go!, `stress (seed ${mod.seed}, ${mod.files} files in ${mod.dirs} dirs × ${usable.length} platforms)`, passes, Date.now() - t0);
    for (const p of passes) expect(p.details, `stress seed ${mod.seed}, ${p.label}`).toBe('');
  });
});

describe.skipIf(!other)(`conformance with ${other?.version ?? 'a newer Go'}: goport files = go list`, () => {
  commonSuite(other);
});
