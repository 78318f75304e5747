/**
 * The type layer against go/types: for the packages of fixtures/types/ and a fixed selection of the
 * installed GOROOT's own packages, on linux/amd64, linux/386 and windows/amd64, the type goport
 * records for every identifier use and selector operand must equal the one go/types records
 * (test/helpers/gotypes prints those). goport may not know a type (counted); it may never claim a
 * different one, nor claim one where go/types records none. Runs where `go` is installed (CI).
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

const PLATFORMS = ['linux/amd64', 'linux/386', 'windows/amd64'];
/** A fixed selection of std: small and large, platform-specific (os, syscall, net), generic-free for Go 1.19. */
const STD = [
  'bufio', 'bytes', 'container/list', 'encoding/binary', 'encoding/json', 'errors', 'fmt', 'hash/crc32', 'io', 'io/fs',
  'net', 'net/url', 'os', 'path', 'path/filepath', 'reflect', 'regexp/syntax', 'sort', 'strconv', 'strings', 'syscall',
  'time', 'unicode/utf8',
];
/** std packages the declaration tables leave out, which import the ones they bundle: real code reading std through them. */
const STD_USERS = ['archive/tar', 'compress/gzip', 'container/list', 'encoding/csv', 'encoding/json', 'hash/crc32', 'mime', 'net/url', 'regexp/syntax', 'text/tabwriter'];
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/types');
const HELPER = path.resolve(import.meta.dirname, 'helpers/gotypes/main.go');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-gotypes-'));
const env = goEnv(home);
const probe = process.env.GOPORT_NO_GO === '1' ? null : spawnSync('go', ['env', 'GOROOT', 'GOVERSION'], { encoding: 'utf8', env, timeout: 60_000 });
const [GOROOT = '', GOVERSION = ''] = probe && probe.status === 0 ? probe.stdout.trim().split('\n') : [];
const goMinor = Number(/^go1\.(\d+)/.exec(GOVERSION)?.[1] ?? 0);
const hasGo = GOROOT !== '' && goMinor >= 19;
if (!hasGo) console.log('types-gotypes: skipped (no go on PATH)');

interface Counts {
  agree: number;
  unknown: number;
  disagree: string[];
}

/** goport's records for the packages of `dirs` (relative to cwd), per platform: key → type. */
async function goportTypes(cwd: string, patterns: string[], layerOpts: TypeLayerOptions = { goroot: GOROOT }): Promise<{ perPlatform: Map<string, Map<string, string>>; packages: { importPath: string; dir: string }[] }> {
  const targets = new Targets(parsePlatforms(PLATFORMS));
  const found = await discover(patterns, { cwd, vendor: false });
  const program = new Program({ cwd, targets, build: { cgo: false, tags: [], goMinor, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  const ws = new Workspace(program);
  const layer = new TypeLayer(ws, layerOpts);
  await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), {});
  await parseAll(layer.reachableFiles(program.packages), {});
  const perPlatform = new Map<string, Map<string, string>>();
  const packages: { importPath: string; dir: string }[] = [];
  for (const pkg of program.packages) {
    const ip = layer.pathOf(pkg);
    packages.push({ importPath: ip, dir: pkg.dir.pkgDir.dir });
    PLATFORMS.forEach((plat, i) => {
      const t = layer.typesOn(pkg, 1n << BigInt(i));
      if (!t) return;
      let m = perPlatform.get(plat);
      if (!m) perPlatform.set(plat, (m = new Map()));
      for (const line of recordedLines(t, (p) => `${ip}/${path.basename(p)}`)) {
        const tab = line.indexOf('\t');
        m.set(line.slice(0, tab), line.slice(tab + 1));
      }
    });
  }
  return { perPlatform, packages };
}

function goTypes(bin: string, plat: string, packages: { importPath: string; dir: string }[]): Map<string, string> {
  const [goos, goarch] = plat.split('/') as [string, string];
  const args = ['-goos', goos, '-goarch', goarch, ...packages.flatMap((p) => ['-path', `${p.importPath}=${p.dir}`])];
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...env, GO111MODULE: 'off', GOROOT }, maxBuffer: 1 << 28, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`gotypes ${plat}: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

function compare(mine: Map<string, string>, theirs: Map<string, string>): Counts {
  const c: Counts = { agree: 0, unknown: 0, disagree: [] };
  for (const [k, t] of theirs) {
    const m = mine.get(k);
    if (m === undefined) c.unknown++;
    else if (m === t) c.agree++;
    else c.disagree.push(`${k}: goport ${m}, go/types ${t}`);
  }
  for (const [k, m] of mine) if (!theirs.has(k)) c.disagree.push(`${k}: goport ${m}, go/types records nothing`);
  return c;
}

describe.skipIf(!hasGo)('types agree with go/types', () => {
  let bin = '';
  beforeAll(() => {
    bin = path.join(home, 'gotypes');
    const r = spawnSync('go', ['build', '-o', bin, HELPER], { encoding: 'utf8', env, timeout: 300_000 });
    if (r.status !== 0) throw new Error(`building gotypes: ${r.stderr}`);
  });

  /** `baseline`: a measurement only (the share known without the tables), not asserted. */
  const check = async (cwd: string, patterns: string[], minKnown: number, label: string, layerOpts?: TypeLayerOptions, baseline = false) => {
    const { perPlatform, packages } = await goportTypes(cwd, patterns, layerOpts);
    const shares: number[] = [];
    for (const plat of PLATFORMS) {
      const c = compare(perPlatform.get(plat) ?? new Map(), goTypes(bin, plat, packages));
      const total = c.agree + c.unknown + c.disagree.length;
      console.log(`${label} ${plat}: ${total} expressions, agree ${c.agree}, unknown ${c.unknown}, disagree ${c.disagree.length} (known ${((100 * c.agree) / total).toFixed(2)}%)`);
      shares.push(c.agree / total);
      if (baseline) continue;
      expect(c.disagree.slice(0, 20), `${label} ${plat}`).toEqual([]);
      expect(c.agree / total, `${label} ${plat}: share of expressions known`).toBeGreaterThanOrEqual(minKnown);
    }
    return shares;
  };

  it('on fixtures/types', async () => {
    await check(FIXTURES, ['./...'], 0.97, 'fixtures');
  }, 120_000);

  // Without GOROOT's source: std from the bundled declaration tables of the release CI's go is
  // (data/decls/; the tables of another release would not be what go/types reads). Each is run
  // without them too, so the log shows the share known before and after.
  const tables = bundledDecls(goMinor);
  const sameRelease = tables !== null && tables.version === GOVERSION;
  if (!sameRelease) console.log(`types-gotypes: declaration tables skipped (bundled ${tables?.version ?? 'none'}, go is ${GOVERSION})`);

  it.skipIf(!sameRelease)('on fixtures/types with std from the declaration tables', async () => {
    const before = await check(FIXTURES, ['./...'], 0, 'fixtures, no std', { decls: null }, true);
    const after = await check(FIXTURES, ['./...'], 0.97, 'fixtures, std tables', { decls: tables });
    for (let i = 0; i < PLATFORMS.length; i++) expect(after[i]!).toBeGreaterThan(before[i]!);
  }, 120_000);

  it.skipIf(!sameRelease)('on std packages outside the tables, their imports from the tables', async () => {
    const pkgs = STD_USERS.map((p) => `./${p}`);
    const before = await check(path.join(GOROOT, 'src'), pkgs, 0, 'std users, no std', { decls: null }, true);
    const after = await check(path.join(GOROOT, 'src'), pkgs, 0.9, 'std users, std tables', { decls: tables });
    for (let i = 0; i < PLATFORMS.length; i++) expect(after[i]!).toBeGreaterThan(before[i]!);
  }, 300_000);

  it('on the standard library', async () => {
    await check(path.join(GOROOT, 'src'), STD.map((p) => `./${p}`), 0.97, 'std');
  }, 300_000);
});
