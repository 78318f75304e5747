import { type ArchEnv, archFeatureTags, KNOWN_ARCH, KNOWN_OS, KNOWN_SINCE, NEWEST_GO_MINOR, UNIX_OS } from '../platform/known.js';
import type { Platform } from '../platform/targets.js';

/** What a build sees: go/build.Context reduced to what constraints read. */
export interface BuildContext {
  goos: string;
  goarch: string;
  cgo: boolean;
  /** User tags (-tags). */
  tags: ReadonlySet<string>;
  /** Go release minor version: release tags go1.1 … go1.<goMinor> are set. */
  goMinor: number;
  /** GOARCH feature tags (amd64.v1, arm.7, ...). */
  features: ReadonlySet<string>;
}

export interface BuildOptions {
  /** cgo on for every target. */
  cgo: boolean;
  /** Platform ids with cgo on even when `cgo` is false (`cgo: [darwin/*]` in .goport.yml). */
  cgoPlatforms?: readonly string[];
  tags: readonly string[];
  goMinor: number;
  /** GOAMD64, GOARM, GO386... as the go command reads them from the environment. */
  archEnv?: ArchEnv;
}

export const DEFAULT_BUILD_OPTIONS: BuildOptions = { cgo: false, tags: [], goMinor: NEWEST_GO_MINOR };

export function buildContext(p: Platform, opts: BuildOptions): BuildContext {
  return {
    goos: p.goos,
    goarch: p.goarch,
    cgo: opts.cgo || (opts.cgoPlatforms?.includes(p.id) ?? false),
    tags: new Set(opts.tags),
    goMinor: opts.goMinor,
    features: new Set(archFeatureTags(p.goarch, opts.goMinor, opts.archEnv)),
  };
}

/** go/build's Context.matchTag. */
export function matchTag(ctx: BuildContext, name: string): boolean {
  if (ctx.cgo && name === 'cgo') return true;
  if (name === ctx.goos || name === ctx.goarch || name === 'gc') return true;
  if (ctx.goos === 'android' && name === 'linux') return true;
  if (ctx.goos === 'illumos' && name === 'solaris') return true;
  if (ctx.goos === 'ios' && name === 'darwin') return true;
  if (name === 'unix' && UNIX_OS.has(ctx.goos)) return true;
  if (name === 'boringcrypto') name = 'goexperiment.boringcrypto';
  if (ctx.tags.has(name)) return true;
  if (ctx.features.has(name)) return true;
  // ReleaseTags are go1.1 … go1.<minor>, spelled without leading zeros: go1.01 and go1.0 match nothing.
  const m = /^go1\.([1-9]\d*)$/.exec(name);
  if (m && Number(m[1]) <= ctx.goMinor) return true;
  return false;
}

function knownFor(list: readonly string[], goMinor: number): Set<string> {
  return new Set(list.filter((n) => (KNOWN_SINCE[n] ?? 0) <= goMinor));
}

const osCache = new Map<number, Set<string>>();
const archCache = new Map<number, Set<string>>();

export function knownOS(goMinor: number): Set<string> {
  let s = osCache.get(goMinor);
  if (!s) osCache.set(goMinor, (s = knownFor(KNOWN_OS, goMinor)));
  return s;
}

export function knownArch(goMinor: number): Set<string> {
  let s = archCache.get(goMinor);
  if (!s) archCache.set(goMinor, (s = knownFor(KNOWN_ARCH, goMinor)));
  return s;
}

/**
 * The GOOS/GOARCH constraint implied by a file name (go/build goodOSArchFile):
 * `name_GOOS_GOARCH.go`, `name_GOOS.go`, `name_GOARCH.go`, each optionally followed by `_test`.
 * Returns the tags that must match, or an empty list when the name implies nothing.
 */
export function fileNameTags(name: string, goMinor: number): string[] {
  const dot = name.indexOf('.');
  let base = dot >= 0 ? name.slice(0, dot) : name;
  const us = base.indexOf('_');
  if (us < 0) return [];
  base = base.slice(us);
  const l = base.split('_');
  if (l.length > 0 && l[l.length - 1] === 'test') l.pop();
  const n = l.length;
  const oses = knownOS(goMinor);
  const arches = knownArch(goMinor);
  if (n >= 2 && oses.has(l[n - 2]!) && arches.has(l[n - 1]!)) return [l[n - 2]!, l[n - 1]!];
  if (n >= 1 && (oses.has(l[n - 1]!) || arches.has(l[n - 1]!))) return [l[n - 1]!];
  return [];
}
