/**
 * Raw system call numbers per platform, read from the generated `zsysnum_GOOS[_GOARCH].go` files of
 * the standard library's syscall package and of golang.org/x/sys/unix (the `SYS_*` constants), and
 * written as data/sysnum/<source>.json. The rule hardcoded-platform checks integer trap numbers
 * against them. Regenerate with `npm run index -- --xsys DIR@VERSION` (see data/sysnum/README.md); the
 * output is a pure function of the source files, byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DIST_LIST } from '../platform/known.js';

/** One source's table: for each platform, the numbers of its `SYS_*` constants (names without `SYS_`). */
export interface SysnumTable {
  /** `go1.19.8` for the standard library, `golang.org/x/sys@v0.47.0` for x/sys. */
  source: string;
  /** The package whose constants these are: `syscall` or `golang.org/x/sys/unix`. */
  pkg: string;
  platforms: Record<string, Record<string, number>>;
}

const FILE_RE = /^zsysnum_([a-z0-9]+?)(?:_([a-z0-9]+))?\.go$/;
const CONST_RE = /^\s*SYS_([A-Z0-9_]+)\s*=\s*(0[xX][0-9a-fA-F]+|\d+)\b/;

/** `SYS_*` constants of one zsysnum file that are system call numbers (not `SYS_SYSCALL_BASE` and the like). */
export function parseSysnumFile(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = CONST_RE.exec(line);
    if (!m || /(?:^|_)BASE$/.test(m[1]!)) continue;
    out[m[1]!] = Number(m[2]!);
  }
  return out;
}

/** The platforms a zsysnum file is for: its GOOS/GOARCH, or every port of a GOOS for `zsysnum_plan9.go`. */
function platformsOf(file: string): string[] {
  const m = FILE_RE.exec(file);
  if (!m) return [];
  const [, goos, goarch] = m;
  if (goarch !== undefined) return [`${goos}/${goarch}`];
  return DIST_LIST.filter((p) => p.startsWith(`${goos}/`));
}

/** The table of one package directory (GOROOT/src/syscall or x/sys/unix). */
export function buildSysnumTable(dir: string, source: string, pkg: string): SysnumTable {
  const platforms: Record<string, Record<string, number>> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    const ids = platformsOf(f);
    if (ids.length === 0) continue;
    const consts = parseSysnumFile(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (Object.keys(consts).length === 0) continue;
    for (const id of ids) platforms[id] = { ...platforms[id], ...consts };
  }
  return { source, pkg, platforms };
}

/** Deterministic JSON: platforms sorted, one per line, constants by number then name. */
export function serializeSysnumTable(t: SysnumTable): string {
  const ids = Object.keys(t.platforms).sort();
  const lines = ids.map((id) => {
    const entries = Object.entries(t.platforms[id]!).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `    ${JSON.stringify(id)}: {${entries.map(([n, v]) => `${JSON.stringify(n)}:${v}`).join(',')}}`;
  });
  return `{\n  "source": ${JSON.stringify(t.source)},\n  "pkg": ${JSON.stringify(t.pkg)},\n  "platforms": {\n${lines.join(',\n')}\n  }\n}\n`;
}

/** The Go release of a GOROOT (`go1.19.8`), from its VERSION file. */
export function gorootVersion(goroot: string): string {
  return fs.readFileSync(path.join(goroot, 'VERSION'), 'utf8').split('\n')[0]!.trim();
}

/**
 * Both tables: the standard library's from `goroot`, x/sys's from `xsys` (a module directory
 * `DIR@VERSION` or a checkout with its version given as `DIR@VERSION`).
 */
export function generateSysnumTables(goroot: string, xsys: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  out.set('syscall.json', serializeSysnumTable(buildSysnumTable(path.join(goroot, 'src/syscall'), gorootVersion(goroot), 'syscall')));
  if (xsys !== undefined) {
    const at = xsys.lastIndexOf('@');
    if (at < 0) throw new Error(`${xsys}: name the x/sys directory as DIR@VERSION`);
    // The module cache's own name (…/golang.org/x/sys@v0.47.0), or a checkout given as DIR@VERSION.
    const dir = fs.existsSync(xsys) ? xsys : xsys.slice(0, at);
    const version = xsys.slice(at + 1);
    out.set('unix.json', serializeSysnumTable(buildSysnumTable(path.join(dir, 'unix'), `golang.org/x/sys@${version}`, 'golang.org/x/sys/unix')));
  }
  return out;
}
