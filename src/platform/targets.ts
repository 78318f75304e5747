import { KUBERNETES, NEWEST_GO_MINOR } from './known.js';
import { distListOf, OLDEST_GO_MINOR, NEWEST_RELEASE_MINOR, portHistory, releasePorts } from './releases.js';

/** One GOOS/GOARCH target. `id` is `goos/goarch`. */
export interface Platform {
  readonly goos: string;
  readonly goarch: string;
  readonly id: string;
}

export class PlatformError extends Error {}

/** Preset names and what they expand to for go1.`goMinor`. */
export const PRESET_NAMES = ['kubernetes', 'all'] as const;

function preset(name: string, goMinor: number): readonly string[] | undefined {
  if (name === 'kubernetes') return KUBERNETES;
  if (name === 'all') return distListOf(goMinor);
  return undefined;
}

function toPlatform(id: string): Platform {
  const [goos, goarch] = id.split('/') as [string, string];
  return { goos, goarch, id };
}

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${esc}$`);
}

/** `Go 1.27` (with the release the table came from when it answers for a later minor). */
function releaseName(goMinor: number): string {
  const r = releasePorts(goMinor);
  return r.minor === goMinor ? `Go 1.${goMinor}` : `Go 1.${goMinor} (ports of Go 1.${r.minor})`;
}

/**
 * Parses `--platforms` values: presets (`kubernetes`, `all`), comma-separated lists,
 * and patterns (`linux/*`, `*\/arm64`). Order: as given, duplicates dropped.
 * Patterns and `all` expand over `go tool dist list` of go1.`goMinor`; a pair outside that list is an
 * error that says which releases have it.
 * An item starting with `!` removes what it names from the platforms before it (`linux/*,!linux/mips*`).
 */
export function parsePlatforms(specs: readonly string[], goMinor: number = NEWEST_GO_MINOR): Platform[] {
  let out: string[] = [];
  const seen = new Set<string>();
  let remove = false;
  const add = (id: string) => {
    if (remove) {
      seen.delete(id);
      out = out.filter((x) => x !== id);
    } else if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  };
  const dist = distListOf(goMinor);
  const known = new Set(dist);
  const check = (id: string) => {
    if (known.has(id)) return;
    const history = portHistory(id);
    const range = `Go 1.${OLDEST_GO_MINOR}–1.${NEWEST_RELEASE_MINOR}`;
    throw new PlatformError(
      history
        ? `platform "${id}" is not a port of ${releaseName(goMinor)} (its \`go tool dist list\`): ${history}; choose the release with --go-version`
        : `unknown platform "${id}": not a GOOS/GOARCH pair of any Go release goport knows (${range}; see \`go tool dist list\`)`,
    );
  };
  for (const spec of specs) {
    for (const raw of spec.split(',')) {
      let item = raw.trim();
      remove = item.startsWith('!');
      if (remove) item = item.slice(1).trim();
      if (item === '') continue;
      const p = preset(item, goMinor);
      if (p) {
        p.forEach((id) => {
          check(id);
          add(id);
        });
        continue;
      }
      if (!item.includes('/')) {
        throw new PlatformError(
          `unknown platform or preset "${item}": use goos/goarch (e.g. linux/arm64), a pattern (linux/*, */arm64) or a preset (${PRESET_NAMES.join(', ')})`,
        );
      }
      if (item.includes('*') || item.includes('?')) {
        const re = globToRegExp(item);
        const matched = dist.filter((id) => re.test(id));
        if (matched.length === 0) throw new PlatformError(`platform pattern "${item}" matches no GOOS/GOARCH pair of ${releaseName(goMinor)}`);
        matched.forEach(add);
        continue;
      }
      check(item);
      add(item);
    }
  }
  if (out.length === 0) throw new PlatformError('no target platforms given');
  return out.map(toPlatform);
}

/** Sort key: GOOS then GOARCH. */
export function comparePlatformIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A set of target platforms, as a bit mask over the target list (bit i = targets[i]).
 * Masks are bigint so any number of targets fits; operations are plain bigint ops.
 */
export type PlatformMask = bigint;

export class Targets {
  readonly list: readonly Platform[];
  readonly all: PlatformMask;
  private readonly index = new Map<string, number>();

  constructor(list: readonly Platform[]) {
    this.list = list;
    list.forEach((p, i) => this.index.set(p.id, i));
    this.all = (1n << BigInt(list.length)) - 1n;
  }

  bit(id: string): PlatformMask {
    const i = this.index.get(id);
    return i === undefined ? 0n : 1n << BigInt(i);
  }

  /** Platform ids of a mask, in target-list order. */
  ids(mask: PlatformMask): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.list.length; i++) if ((mask >> BigInt(i)) & 1n) out.push(this.list[i]!.id);
    return out;
  }

  platforms(mask: PlatformMask): Platform[] {
    const out: Platform[] = [];
    for (let i = 0; i < this.list.length; i++) if ((mask >> BigInt(i)) & 1n) out.push(this.list[i]!);
    return out;
  }

  maskOf(pred: (p: Platform) => boolean): PlatformMask {
    let m = 0n;
    this.list.forEach((p, i) => {
      if (pred(p)) m |= 1n << BigInt(i);
    });
    return m;
  }

  /**
   * Compact form for display: `windows/*` when the ids cover every target of that GOOS
   * (and the target list has more than one arch for it), `*` when they cover all targets.
   */
  compact(ids: readonly string[]): string[] {
    const have = new Set(ids);
    if (this.list.length > 1 && this.list.every((p) => have.has(p.id))) return ['*'];
    const byOs = new Map<string, string[]>();
    for (const p of this.list) {
      const l = byOs.get(p.goos) ?? [];
      l.push(p.id);
      byOs.set(p.goos, l);
    }
    const out: string[] = [];
    const done = new Set<string>();
    for (const id of ids) {
      if (done.has(id)) continue;
      const goos = id.split('/')[0]!;
      const all = byOs.get(goos);
      if (all && all.length > 1 && all.every((x) => have.has(x))) {
        out.push(`${goos}/*`);
        all.forEach((x) => done.add(x));
      } else {
        out.push(id);
        done.add(id);
      }
    }
    return out;
  }
}

/** Matches a platform id against a glob list such as `windows/*,linux/arm64`; `*` alone is every platform. */
export function matchPlatformGlobs(globs: string, id: string): boolean {
  return globs
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .some((g) => g === '*' || globToRegExp(g).test(id));
}
