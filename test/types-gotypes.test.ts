/**
 * The type layer against go/types: for the packages of fixtures/types/ and the installed GOROOT's
 * own std packages, on linux/amd64, linux/386 and windows/amd64, the type goport records for every
 * identifier use and selector operand must equal the one go/types records (test/helpers/gotypes
 * prints those). goport may not know a type (counted); it may never claim a different one, nor
 * claim one where go/types records none. Runs for each installed Go: `go` on PATH (CI: Go 1.19.8)
 * and /usr/lib/go-1.27 (CI installs it), each against its own GOROOT.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAll } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { discover } from '../src/loader/discover.js';
import { Program } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { recordedLines } from '../src/types/dump.js';
import { TypeLayer, type TypeLayerOptions } from '../src/types/layer.js';
import { bundledDecls } from '../src/types/decl-bundle.js';
import { goEnv } from './helpers/go.js';

const PLATFORMS = process.env.GOPORT_XCHECK_PLATFORMS?.split(',') ?? ['linux/amd64', 'linux/386', 'windows/amd64'];
/** std packages the declaration tables leave out, which import the ones they bundle: real code reading std through them. */
const STD_USERS = ['archive/tar', 'compress/gzip', 'container/list', 'encoding/csv', 'encoding/json', 'hash/crc32', 'mime', 'net/url', 'regexp/syntax', 'text/tabwriter'];
/**
 * std packages not checked: unsafe (no package source for go/types). A package without Go files
 * for a platform (runtime/cgo with cgo off, syscall/js…) has no records on either side.
 */
const STD_SKIP = new Set(['unsafe', 'builtin']);
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/types');
const HELPER = path.resolve(import.meta.dirname, 'helpers/gotypes/main.go');

/** A local run: every disagreement appended to this file, nothing asserted. */
const DUMP = process.env.GOPORT_XCHECK_DUMP;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-gotypes-'));
const env = goEnv(home);

interface Toolchain {
  bin: string;
  goroot: string;
  version: string;
  minor: number;
}

function probe(bin: string): Toolchain | null {
  if (process.env.GOPORT_NO_GO === '1' || (bin !== 'go' && !fs.existsSync(bin))) return null;
  const r = spawnSync(bin, ['env', 'GOROOT', 'GOVERSION'], { encoding: 'utf8', env, timeout: 60_000 });
  if (r.status !== 0) return null;
  const [goroot = '', version = ''] = r.stdout.trim().split('\n');
  const minor = Number(/^go1\.(\d+)/.exec(version)?.[1] ?? 0);
  return goroot && minor >= 19 ? { bin, goroot, version, minor } : null;
}

const TOOLCHAINS: Toolchain[] = [];
for (const bin of [process.env.GOPORT_TEST_GO ?? 'go', '/usr/lib/go-1.27/bin/go']) {
  const t = probe(bin);
  if (t && !TOOLCHAINS.some((u) => u.goroot === t.goroot)) TOOLCHAINS.push(t);
}
if (TOOLCHAINS.length === 0) console.log('types-gotypes: skipped (no go)');

/**
 * Fixture packages and the Go release they need (a directory `goNNN` or below one needs Go 1.NNN:
 * range over int, iterator functions, generic aliases…); go/types of an older release rejects them.
 */
function fixturePatterns(minor: number): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    const ents = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (ents.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(`./${rel}`);
    for (const e of ents) {
      if (!e.isDirectory()) continue;
      const need = /^go1(\d+)$/.exec(e.name);
      if (need && Number(need[1]) > minor) continue;
      walk(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
    }
  };
  walk(FIXTURES, '');
  return out;
}

/**
 * The std packages of the toolchain (`go list std`), those with Go files for the platforms.
 * GOPORT_XCHECK_STD limits them (a comma-separated list) for a local run.
 */
function stdPackages(t: Toolchain): string[] {
  const r = spawnSync(t.bin, ['list', '-e', '-f', '{{.ImportPath}}', 'std'], { encoding: 'utf8', env: { ...env, GO111MODULE: 'off', GOFLAGS: '' }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`go list std: ${r.stderr}`);
  let pkgs = r.stdout.split('\n').filter((p) => p && !STD_SKIP.has(p));
  const only = process.env.GOPORT_XCHECK_STD;
  if (only) pkgs = pkgs.filter((p) => only.split(',').includes(p));
  return pkgs;
}

interface Counts {
  agree: number;
  unknown: number;
  disagree: string[];
  unknowns: string[];
}

/** goport's records for the packages of `patterns` (relative to cwd), per platform: key → type. */
async function goportTypes(
  t: Toolchain,
  cwd: string,
  patterns: string[],
  layerOpts: TypeLayerOptions = { goroot: t.goroot },
): Promise<{ perPlatform: Map<string, Map<string, string>>; packages: { importPath: string; dir: string }[] }> {
  const targets = new Targets(parsePlatforms(PLATFORMS));
  const found = await discover(patterns, { cwd, vendor: false });
  const program = new Program({ cwd, targets, build: { cgo: false, tags: [], goMinor: t.minor, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  const ws = new Workspace(program);
  const layer = new TypeLayer(ws, layerOpts);
  await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), {});
  await parseAll(layer.reachableFiles(program.packages), {});
  const perPlatform = new Map<string, Map<string, string>>();
  const packages: { importPath: string; dir: string }[] = [];
  for (const pkg of program.packages) {
    if (pkg.mask === 0n) continue;
    const ip = layer.pathOf(pkg);
    packages.push({ importPath: ip, dir: pkg.dir.pkgDir.dir });
    PLATFORMS.forEach((plat, i) => {
      const types = layer.typesOn(pkg, 1n << BigInt(i));
      if (!types) return;
      let m = perPlatform.get(plat);
      if (!m) perPlatform.set(plat, (m = new Map()));
      for (const line of recordedLines(types, (p) => `${ip}/${path.basename(p)}`)) {
        const tab = line.indexOf('\t');
        m.set(line.slice(0, tab), line.slice(tab + 1));
      }
    });
  }
  return { perPlatform, packages };
}

function goTypes(t: Toolchain, bin: string, plat: string, packages: { importPath: string; dir: string }[]): Map<string, string> {
  const [goos, goarch] = plat.split('/') as [string, string];
  const list = path.join(home, `paths-${t.minor}-${goos}-${goarch}.txt`);
  fs.writeFileSync(list, packages.map((p) => `${p.importPath}=${p.dir}\n`).join(''));
  const args = ['-goos', goos, '-goarch', goarch, '-paths', list];
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...env, GO111MODULE: 'off', GOROOT: t.goroot }, maxBuffer: 1 << 30, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`gotypes ${plat}: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

function compare(mine: Map<string, string>, theirs: Map<string, string>): Counts {
  const c: Counts = { agree: 0, unknown: 0, disagree: [], unknowns: [] };
  for (const [k, t] of theirs) {
    const m = mine.get(k);
    if (m === undefined) (c.unknown++, c.unknowns.push(`${k}: ${t}`));
    else if (m === t) c.agree++;
    else c.disagree.push(`${k}: goport ${m}, go/types ${t}`);
  }
  for (const [k, m] of mine) if (!theirs.has(k)) c.disagree.push(`${k}: goport ${m}, go/types records nothing`);
  return c;
}

for (const tc of TOOLCHAINS) {
  describe(`types agree with go/types (${tc.version})`, () => {
    let bin = '';
    beforeAll(() => {
      bin = path.join(home, `gotypes-${tc.minor}`);
      // A build cache kept between runs (content-addressed, so sharing it changes no result): a cold
      // one compiles go/types and its imports first.
      const cache = path.join(os.tmpdir(), `goport-gotypes-gocache-${tc.minor}`);
      const r = spawnSync(tc.bin, ['build', '-o', bin, HELPER], { encoding: 'utf8', env: { ...env, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: cache }, timeout: 600_000 });
      if (r.status !== 0) throw new Error(`building gotypes: ${r.error?.message ?? ''} ${r.stderr}`);
    }, 600_000);

    /** `baseline`: a measurement only (the share known without the tables), not asserted. */
    const check = async (cwd: string, patterns: string[], minKnown: number, label: string, layerOpts?: TypeLayerOptions, baseline = false) => {
      const t0 = Date.now();
      const cpu0 = process.cpuUsage();
      const { perPlatform, packages } = await goportTypes(tc, cwd, patterns, layerOpts);
      const cpu = process.cpuUsage(cpu0);
      const t1 = Date.now();
      const shares: number[] = [];
      for (const plat of PLATFORMS) {
        const c = compare(perPlatform.get(plat) ?? new Map(), goTypes(tc, bin, plat, packages));
        const total = c.agree + c.unknown + c.disagree.length;
        console.log(`${tc.version} ${label} ${plat}: ${packages.length} packages, ${total} expressions, agree ${c.agree}, unknown ${c.unknown}, disagree ${c.disagree.length} (known ${((100 * c.agree) / total).toFixed(2)}%)`);
        if (DUMP) fs.appendFileSync(DUMP, c.disagree.map((d) => `${tc.version} ${label} ${plat} ${d}\n`).join(''));
        if (DUMP && label === 'fixtures') fs.appendFileSync(`${DUMP}.unknown`, c.unknowns.map((d) => `${tc.version} ${label} ${plat} ${d}\n`).join(''));
        if (baseline && c.disagree.length) console.log(c.disagree.slice(0, 100).join('\n'));
        shares.push(c.agree / total);
        if (baseline || DUMP) continue;
        expect(c.disagree.slice(0, 20), `${label} ${plat}`).toEqual([]);
        expect(c.agree / total, `${label} ${plat}: share of expressions known`).toBeGreaterThanOrEqual(minKnown);
      }
      console.log(`${tc.version} ${label}: goport ${t1 - t0} ms (${Math.round((cpu.user + cpu.system) / 1000)} ms CPU), go/types ${Date.now() - t1} ms`);
      return shares;
    };

    it('on fixtures/types', async () => {
      await check(FIXTURES, fixturePatterns(tc.minor), 0.97, 'fixtures');
    }, 300_000);

    // Without GOROOT's source: std from the bundled declaration tables of this release (data/decls/;
    // the tables of another release would not be what go/types reads). Each is run without them
    // too, so the log shows the share known before and after.
    const tables = bundledDecls(tc.minor);
    const sameRelease = tables !== null && tables.version === tc.version;
    if (!sameRelease) console.log(`types-gotypes: declaration tables skipped (bundled ${tables?.version ?? 'none'}, go is ${tc.version})`);

    it.skipIf(!sameRelease)('on fixtures/types with std from the declaration tables', async () => {
      const pats = fixturePatterns(tc.minor);
      const before = await check(FIXTURES, pats, 0, 'fixtures, no std', { decls: null }, true);
      const after = await check(FIXTURES, pats, 0.97, 'fixtures, std tables', { decls: tables });
      for (let i = 0; i < PLATFORMS.length; i++) expect(after[i]!).toBeGreaterThan(before[i]!);
    }, 300_000);

    it.skipIf(!sameRelease)('on std packages outside the tables, their imports from the tables', async () => {
      const pkgs = STD_USERS.map((p) => `./${p}`);
      const before = await check(path.join(tc.goroot, 'src'), pkgs, 0, 'std users, no std', { decls: null }, true);
      const after = await check(path.join(tc.goroot, 'src'), pkgs, 0.9, 'std users, std tables', { decls: tables });
      for (let i = 0; i < PLATFORMS.length; i++) expect(after[i]!).toBeGreaterThan(before[i]!);
    }, 600_000);

    it('on the standard library', async () => {
      // All of std on three platforms: about 50 s of goport CPU and 15 s of go/types per platform on
      // 2 cores; far longer when the machine is shared, hence the generous timeout.
      await check(path.join(tc.goroot, 'src'), stdPackages(tc).map((p) => `./${p}`), 0.97, 'std');
    }, 2_400_000);
  });
}
