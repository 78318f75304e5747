/**
 * The `go` command as an oracle for the conformance tests: which files does `go list` say Go
 * compiles, per package directory and platform, and the same question asked of `goport files`.
 *
 * Everything here is hermetic: the go command runs with a scrubbed environment (no GOFLAGS,
 * GOOS, GOEXPERIMENT, GOAMD64… from the caller), a private HOME/GOPATH/GOCACHE, no network
 * (GOPROXY=off) and no workspace (GOWORK=off), so results depend only on the installed Go.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { distListOf } from '../../src/platform/releases.js';

export interface GoToolchain {
  /** The go command: `go` (from PATH) or an absolute path. */
  bin: string;
  /** `go env GOVERSION`, e.g. "go1.19.8". */
  version: string;
  /** Minor version: 19 for go1.19.8. */
  minor: number;
  /** `go tool dist list` of this Go. */
  distList: string[];
  /** Private HOME/GOPATH/GOCACHE for every go invocation. */
  home: string;
  /**
   * This toolchain's GOARCH feature levels (GO386, GOAMD64, GOARM...), which distributions may
   * build with other defaults than upstream (Debian's Go: GO386=softfloat). goport is given the
   * same values through the environment, as a user of that toolchain would.
   */
  archEnv: Record<string, string>;
}

const ARCH_OF_VAR: Record<string, string> = {
  GO386: '386', GOAMD64: 'amd64', GOARM: 'arm', GOARM64: 'arm64', GOMIPS: 'mips', GOMIPS64: 'mips64', GOPPC64: 'ppc64le', GORISCV64: 'riscv64',
};

/** A scrubbed environment for the go command: only PATH-like variables survive from the caller. */
export function goEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Every GO*/CGO_* setting of the caller could change the answer (GOFLAGS=-tags=…, GOAMD64=v3,
    // GOEXPERIMENT=…); GOROOT is kept for Go installs that need it.
    if ((/^(GO|CGO_)/.test(k) && k !== 'GOROOT') || k === 'HOME') continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    GOPATH: path.join(home, 'gopath'),
    GOCACHE: path.join(home, 'gocache'),
    GOENV: 'off',
    GOFLAGS: '-mod=mod',
    GOWORK: 'off',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GO111MODULE: 'on',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    // go list must answer with go/build itself. Go 1.19's module index (cmd/go/internal/modindex,
    // used for directories whose files are more than 2s old) returns early at the first file with
    // an invalid //go:build line and drops every later file of the directory: results would
    // depend on file ages. goindex=0 turns the index off.
    GODEBUG: 'goindex=0',
    ...extra,
  };
}

const detectedBy = new Map<string, GoToolchain | null>();

/**
 * The go command `bin` (default: `go` on PATH), or null when there is none (or it does not answer).
 * Asked once per command.
 */
export function detectGo(bin = 'go'): GoToolchain | null {
  const hit = detectedBy.get(bin);
  if (hit !== undefined) return hit;
  let detected: GoToolchain | null = null;
  detectedBy.set(bin, null);
  if (process.env.GOPORT_NO_GO === '1' || (bin !== 'go' && !fs.existsSync(bin))) return detected;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-gohome-'));
  const env = goEnv(home);
  const run = (args: string[]) => spawnSync(bin, args, { encoding: 'utf8', env, timeout: 60_000 });
  try {
    const v = run(['env', 'GOVERSION']);
    if (v.error || v.status !== 0) return detected;
    const version = v.stdout.trim();
    const m = /^go1\.(\d+)/.exec(version);
    if (!m) return detected;
    const d = run(['tool', 'dist', 'list']);
    if (d.error || d.status !== 0) return detected;
    const distList = d.stdout.split('\n').map((s) => s.trim()).filter((s) => /^[a-z0-9]+\/[a-z0-9]+$/.test(s));
    if (distList.length === 0) return detected;
    const archEnv: Record<string, string> = {};
    for (const [k, arch] of Object.entries(ARCH_OF_VAR)) {
      const r = spawnSync(bin, ['env', k], { encoding: 'utf8', env: { ...env, GOARCH: arch }, timeout: 60_000 });
      const val = r.status === 0 ? r.stdout.trim() : '';
      if (val) archEnv[k] = val;
    }
    detected = { bin, version, minor: Number(m[1]), distList, home, archEnv };
  } catch {
    detected = null;
  }
  if (!detected) fs.rmSync(home, { recursive: true, force: true });
  detectedBy.set(bin, detected);
  return detected;
}

/** Pairs of this Go that goport knows for its release (the ports table of that release), and the rest. */
export function platformsFor(go: GoToolchain): { usable: string[]; skipped: string[] } {
  const known = new Set(distListOf(go.minor));
  return {
    usable: go.distList.filter((p) => known.has(p)),
    skipped: go.distList.filter((p) => !known.has(p)),
  };
}

/** Splits the concatenated JSON objects that `go list -json` prints. */
export function parseJsonStream<T = unknown>(text: string): T[] {
  const out: T[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}') {
      if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as T);
    }
  }
  if (depth !== 0) throw new Error('go list: truncated JSON output');
  return out;
}

interface GoListPackage {
  Dir: string;
  ImportPath: string;
  Name?: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
}

export interface BuildSettings {
  tags?: readonly string[];
  cgo?: boolean;
  /** false: only GoFiles (+CgoFiles), and `goport files --tests=false`. */
  tests?: boolean;
}

/** dir (relative to the module, `/`-separated, "." for the root) → sorted file names. */
export type DirFiles = Map<string, string[]>;

function toRel(root: string, dir: string): string {
  const r = path.relative(root, dir).split(path.sep).join('/');
  return r === '' ? '.' : r;
}

/** `go list -e -json ./...` in `moduleDir` for one platform. */
export function goListFiles(go: GoToolchain, moduleDir: string, platform: string, s: BuildSettings = {}): Promise<DirFiles> {
  const [goos, goarch] = platform.split('/') as [string, string];
  const args = ['list', '-e', '-json'];
  if (s.tags?.length) args.push(`-tags=${s.tags.join(',')}`);
  args.push('./...');
  const env = goEnv(go.home, { GOOS: goos, GOARCH: goarch, CGO_ENABLED: s.cgo ? '1' : '0' });
  return new Promise((resolve, reject) => {
    const child = spawn(go.bin, args, { cwd: moduleDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      // With -e, go list exits 0 even for broken packages; anything else is a broken setup.
      if (code !== 0) {
        reject(new Error(`GOOS=${goos} GOARCH=${goarch} go ${args.join(' ')} exited ${code}:\n${err.slice(0, 2000)}`));
        return;
      }
      const files: DirFiles = new Map();
      for (const p of parseJsonStream<GoListPackage>(text)) {
        const list = [...(p.GoFiles ?? []), ...(s.cgo ? (p.CgoFiles ?? []) : [])];
        if (s.tests !== false) list.push(...(p.TestGoFiles ?? []), ...(p.XTestGoFiles ?? []));
        files.set(toRel(moduleDir, p.Dir), [...new Set(list)].sort());
      }
      resolve(files);
    });
  });
}

/** Runs async jobs with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `go list` for every platform, `concurrency` processes at a time. */
export async function goListMatrix(
  go: GoToolchain,
  moduleDir: string,
  platforms: readonly string[],
  s: BuildSettings = {},
  concurrency = 2,
): Promise<Map<string, DirFiles>> {
  const lists = await pool(platforms, concurrency, (p) => goListFiles(go, moduleDir, p, s));
  return new Map(platforms.map((p, i) => [p, lists[i]!]));
}

export interface GoportFiles {
  code: number;
  stderr: string;
  platforms: string[];
  /** platform → dir → files. */
  files: Map<string, DirFiles>;
  errors: { file: string; message: string }[];
}

/** `goport files ./... --format json` in `moduleDir`, in process, once for all platforms. */
export async function goportFiles(
  moduleDir: string,
  platforms: readonly string[],
  goVersion: string,
  s: BuildSettings = {},
  /** The toolchain's GOARCH feature levels (GoToolchain.archEnv), given as a user of it would. */
  archEnv: Record<string, string> = {},
): Promise<GoportFiles> {
  let stdout = '';
  let stderr = '';
  const argv = ['files', './...', '--format', 'json', '--platforms', platforms.join(','), '--go-version', goVersion];
  if (s.tags?.length) argv.push('--tags', s.tags.join(','));
  if (s.cgo) argv.push('--cgo');
  if (s.tests === false) argv.push('--tests=false');
  const env = { ...archEnv };
  const code = await main(argv, { stdout: (x) => (stdout += x), stderr: (x) => (stderr += x), cwd: moduleDir, isTTY: false, env });
  if (stdout === '') throw new Error(`goport files printed nothing (exit ${code}):\n${stderr}`);
  const report = JSON.parse(stdout) as {
    platforms: string[];
    packages: { dir: string; files: Record<string, string[]> }[];
    errors: { file: string; message: string }[];
  };
  const files = new Map<string, DirFiles>();
  for (const p of report.platforms) files.set(p, new Map());
  for (const pkg of report.packages) {
    for (const p of report.platforms) files.get(p)!.set(pkg.dir, [...(pkg.files[p] ?? [])].sort());
  }
  return { code, stderr, platforms: report.platforms, files, errors: report.errors };
}

export interface Mismatch {
  platform: string;
  dir: string;
  /** Files go list reports and goport does not. */
  onlyGo: string[];
  /** Files goport reports and go list does not. */
  onlyGoport: string[];
}

export interface Comparison {
  /** (file, platform) decisions compared: every file either side knows × platforms. */
  decisions: number;
  /** (file, platform) pairs both sides include. */
  included: number;
  mismatches: Mismatch[];
  /** Number of (file, platform) pairs that differ. */
  mismatchedFiles: number;
}

/**
 * Compares per platform and directory. A directory go list does not print for a platform
 * (module-mode `./...` matching drops directories with no files for the build context) counts
 * as zero files.
 */
export function compareFiles(
  platforms: readonly string[],
  goList: Map<string, DirFiles>,
  goport: Map<string, DirFiles>,
  /** Every Go file name per directory (for the decision count). */
  universe: Map<string, number>,
): Comparison {
  const cmp: Comparison = { decisions: 0, included: 0, mismatches: [], mismatchedFiles: 0 };
  const totalFiles = [...universe.values()].reduce((a, b) => a + b, 0);
  cmp.decisions = totalFiles * platforms.length;
  for (const p of platforms) {
    const g = goList.get(p) ?? new Map<string, string[]>();
    const o = goport.get(p) ?? new Map<string, string[]>();
    const dirs = new Set([...g.keys(), ...o.keys()]);
    for (const dir of [...dirs].sort()) {
      const gs = new Set(g.get(dir) ?? []);
      const os_ = new Set(o.get(dir) ?? []);
      const onlyGo = [...gs].filter((f) => !os_.has(f)).sort();
      const onlyGoport = [...os_].filter((f) => !gs.has(f)).sort();
      cmp.included += [...gs].filter((f) => os_.has(f)).length;
      if (onlyGo.length || onlyGoport.length) {
        cmp.mismatches.push({ platform: p, dir, onlyGo, onlyGoport });
        cmp.mismatchedFiles += onlyGo.length + onlyGoport.length;
      }
    }
  }
  return cmp;
}

/** Number of .go files per package directory of a module, as `go list ./...` walks it. */
export function countGoFiles(root: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (dir: string) => {
    let n = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name.startsWith('.') || e.name.startsWith('_') || e.name === 'testdata' || e.name === 'vendor') continue;
        if (fs.existsSync(path.join(dir, e.name, 'go.mod'))) continue;
        walk(path.join(dir, e.name));
      } else if (e.isFile() && e.name.endsWith('.go') && !e.name.startsWith('.') && !e.name.startsWith('_')) n++;
    }
    if (n > 0) out.set(toRel(root, dir), n);
  };
  walk(root);
  return out;
}

/** A readable report of the first mismatches, with each file's header for context. */
export function describeMismatches(root: string, mismatches: readonly Mismatch[], limit = 20): string {
  const lines: string[] = [];
  // Group identical file-level differences across platforms.
  const byFile = new Map<string, string[]>();
  for (const m of mismatches) {
    for (const f of m.onlyGo) {
      const k = `${m.dir}/${f}: go list has it, goport does not`;
      byFile.set(k, [...(byFile.get(k) ?? []), m.platform]);
    }
    for (const f of m.onlyGoport) {
      const k = `${m.dir}/${f}: goport has it, go list does not`;
      byFile.set(k, [...(byFile.get(k) ?? []), m.platform]);
    }
  }
  let n = 0;
  for (const [k, plats] of byFile) {
    if (n++ >= limit) {
      lines.push(`… and ${byFile.size - limit} more`);
      break;
    }
    lines.push(`${k} on ${plats.length <= 6 ? plats.join(' ') : `${plats.slice(0, 6).join(' ')} (+${plats.length - 6})`}`);
    const file = path.join(root, k.slice(0, k.indexOf(': ')));
    try {
      const head = fs.readFileSync(file, 'utf8').split('\n').slice(0, 12).join('\n');
      lines.push(head.replace(/^/gm, '    | '));
    } catch {
      /* not readable: name only */
    }
  }
  return lines.join('\n');
}
