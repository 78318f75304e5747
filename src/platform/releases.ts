/**
 * The ports of each Go release goport knows (src/platform/ports-table.ts, generated from each
 * release's `go tool dist list -json -broken`): what `--platforms all`, patterns and validation use
 * for the configured Go version.
 */
import { RELEASE_PORTS } from './ports-table.js';

export interface ReleasePorts {
  /** N of go1.N. */
  minor: number;
  /** The release the list came from (`go1.19.8`). */
  version: string;
  /** How the list was obtained. */
  source: string;
  /** `goos/goarch` → flags: `c` cgo supported, `f` first-class port. */
  ports: Readonly<Record<string, string>>;
  /** Ports cmd/dist marks broken (`go tool dist list` leaves them out), with the same flags. */
  broken: Readonly<Record<string, string>>;
}

export const OLDEST_GO_MINOR = RELEASE_PORTS[0]!.minor;
export const NEWEST_RELEASE_MINOR = RELEASE_PORTS[RELEASE_PORTS.length - 1]!.minor;

/** The release table answering for go1.`minor`: the nearest release not newer, else the oldest. */
export function releasePorts(minor: number): ReleasePorts {
  let best = RELEASE_PORTS[0]!;
  for (const r of RELEASE_PORTS) if (r.minor <= minor) best = r;
  return best;
}

const sortIds = (ids: Iterable<string>) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** `go tool dist list` of go1.`minor`, sorted. */
export function distListOf(minor: number): string[] {
  return sortIds(Object.keys(releasePorts(minor).ports));
}

/** Every port of any release goport knows, sorted. */
export const ALL_PORTS: readonly string[] = sortIds(new Set(RELEASE_PORTS.flatMap((r) => Object.keys(r.ports))));

/** Whether cgo works on a port in go1.`minor` (`CgoSupported`); false for a pair the release lacks. */
export function cgoSupported(id: string, minor: number): boolean {
  const r = releasePorts(minor);
  return (r.ports[id] ?? r.broken[id] ?? '').includes('c');
}

/** Whether a port is first class in go1.`minor` (`FirstClass`). */
export function firstClass(id: string, minor: number): boolean {
  return (releasePorts(minor).ports[id] ?? '').includes('f');
}

/** `1.19–1.23, 1.25` for a sorted list of minors. */
function ranges(minors: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < minors.length; ) {
    let j = i;
    while (j + 1 < minors.length && minors[j + 1] === minors[j]! + 1) j++;
    out.push(i === j ? `1.${minors[i]}` : `1.${minors[i]}–1.${minors[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * Why `id` is not a port of go1.`minor`, naming the releases that list it (and those where it is
 * broken), e.g. `a port of Go 1.19–1.23 (marked broken in Go 1.24–1.25)`; null when no release has it.
 */
export function portHistory(id: string): string | null {
  const listed = RELEASE_PORTS.filter((r) => id in r.ports).map((r) => r.minor);
  const broken = RELEASE_PORTS.filter((r) => id in r.broken).map((r) => r.minor);
  if (listed.length === 0 && broken.length === 0) return null;
  if (listed.length === 0) return `a broken port in Go ${ranges(broken)}`;
  return `a port of Go ${ranges(listed)}${broken.length > 0 ? ` (marked broken in Go ${ranges(broken)})` : ''}`;
}
