/**
 * The API index of one Go package: which exported names, struct fields and methods exist on which
 * platforms. Only what differs between platforms is stored:
 *
 * - `present`: the platforms where the package has at least one (non-test) Go file;
 * - `known`: the platforms the indexed source supports at all (its Go release's `go tool dist list`);
 *   goport never answers for a platform outside it;
 * - `names`: exported package-level names whose platforms differ from `present`;
 * - `members`: `Type.Member` (field or method, promoted ones included) whose platforms differ from
 *   the type's own platforms;
 * - `open`: `Type` → platforms where its members can't be listed (it embeds or is defined from a
 *   type of another package): no answer about its members there;
 * - `fieldTypes`: `Type.Field` → the named type of a differing-aware chain (`st.Atim.Sec`), when the
 *   field has the same named type of the same package wherever it exists.
 *
 * A name or member absent from the tables exists everywhere its container exists (or nowhere).
 * Masks are bit sets over `platforms` (bit i = platforms[i]), written as lowercase hex.
 *
 * On disk (data/api/**, the user's cache) one JSON document per package, written by `serializeApi`
 * with one group of names per line, sorted, so regenerating from the same source gives the same bytes.
 */

export const API_FORMAT = 1;

export interface ApiSource {
  /** `std` for the standard library, else the module path. */
  module: string;
  /** The Go release (`go1.19.8`) or the module version (`v0.47.0`); `devel` when unknown. */
  version: string;
}

export interface PackageApi {
  path: string;
  /** The package clause's name. */
  name: string;
  source: ApiSource;
  /** Platform ids the masks are over. */
  platforms: readonly string[];
  known: bigint;
  present: bigint;
  names: Map<string, bigint>;
  members: Map<string, bigint>;
  open: Map<string, bigint>;
  fieldTypes: Map<string, string>;
}

/** The serialized form (see the module comment). Groups are [mask hex, space-separated names]. */
export interface PackageApiJson {
  format: number;
  path: string;
  name: string;
  module: string;
  version: string;
  platforms: string[];
  known: string;
  present: string;
  names: [string, string][];
  members: [string, string][];
  open: [string, string][];
  fieldTypes: Record<string, string>;
}

const hex = (m: bigint) => m.toString(16);

function groups(map: Map<string, bigint>): [string, string][] {
  const by = new Map<string, string[]>();
  for (const [name, mask] of map) {
    const k = hex(mask);
    const l = by.get(k);
    if (l) l.push(name);
    else by.set(k, [name]);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...by]
    .map(([k, names]) => [k, names.sort(cmp).join(' ')] as [string, string])
    .sort((a, b) => (a[0].length - b[0].length) || cmp(a[0], b[0]));
}

/** Stable JSON: keys in a fixed order, one group per line. */
export function serializeApi(api: PackageApi): string {
  const j: PackageApiJson = {
    format: API_FORMAT,
    path: api.path,
    name: api.name,
    module: api.source.module,
    version: api.source.version,
    platforms: [...api.platforms],
    known: hex(api.known),
    present: hex(api.present),
    names: groups(api.names),
    members: groups(api.members),
    open: groups(api.open),
    fieldTypes: Object.fromEntries([...api.fieldTypes].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  };
  const line = (v: unknown) => JSON.stringify(v);
  const list = (l: unknown[]) => (l.length === 0 ? '[]' : `[\n    ${l.map(line).join(',\n    ')}\n  ]`);
  const ft = Object.entries(j.fieldTypes);
  return [
    '{',
    `  "format": ${j.format},`,
    `  "path": ${line(j.path)},`,
    `  "name": ${line(j.name)},`,
    `  "module": ${line(j.module)},`,
    `  "version": ${line(j.version)},`,
    `  "platforms": ${line(j.platforms)},`,
    `  "known": ${line(j.known)},`,
    `  "present": ${line(j.present)},`,
    `  "names": ${list(j.names)},`,
    `  "members": ${list(j.members)},`,
    `  "open": ${list(j.open)},`,
    `  "fieldTypes": ${ft.length === 0 ? '{}' : `{\n    ${ft.map(([k, v]) => `${line(k)}: ${line(v)}`).join(',\n    ')}\n  }`}`,
    '}',
    '',
  ].join('\n');
}

export class ApiFormatError extends Error {}

const HEX_RE = /^[0-9a-f]+$/;

function parseMask(s: unknown, what: string): bigint {
  if (typeof s !== 'string' || !HEX_RE.test(s)) throw new ApiFormatError(`bad mask for ${what}`);
  return BigInt(`0x${s}`);
}

function ungroup(g: unknown, what: string): Map<string, bigint> {
  if (!Array.isArray(g)) throw new ApiFormatError(`${what} is not a list`);
  const out = new Map<string, bigint>();
  for (const e of g) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[1] !== 'string') throw new ApiFormatError(`bad ${what} group`);
    const m = parseMask(e[0], what);
    for (const n of (e[1] as string).split(' ')) if (n) out.set(n, m);
  }
  return out;
}

/** Parses and validates a serialized index; throws ApiFormatError on anything unexpected. */
export function parseApi(text: string): PackageApi {
  let j: PackageApiJson;
  try {
    j = JSON.parse(text) as PackageApiJson;
  } catch (e) {
    throw new ApiFormatError(`not JSON: ${(e as Error).message}`);
  }
  if (!j || typeof j !== 'object' || j.format !== API_FORMAT) throw new ApiFormatError('unknown format');
  if (typeof j.path !== 'string' || typeof j.name !== 'string' || typeof j.module !== 'string' || typeof j.version !== 'string') {
    throw new ApiFormatError('missing package fields');
  }
  if (!Array.isArray(j.platforms) || !j.platforms.every((p) => typeof p === 'string')) throw new ApiFormatError('bad platforms');
  if (!j.fieldTypes || typeof j.fieldTypes !== 'object') throw new ApiFormatError('bad fieldTypes');
  return {
    path: j.path,
    name: j.name,
    source: { module: j.module, version: j.version },
    platforms: j.platforms,
    known: parseMask(j.known, 'known'),
    present: parseMask(j.present, 'present'),
    names: ungroup(j.names, 'names'),
    members: ungroup(j.members, 'members'),
    open: ungroup(j.open, 'open'),
    fieldTypes: new Map(Object.entries(j.fieldTypes).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}
