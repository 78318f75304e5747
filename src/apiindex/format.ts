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
 *
 * A table can also be written as a difference from another table of the same package over the same
 * platforms (`serializeApiDelta`: the bundled std tables of later Go releases against the oldest):
 * `base` names the base's version, `names`/`members`/`open`/`fieldTypes` hold only the entries whose
 * value differs from the base's, and `drop` the stored entries of the base this release does not
 * store (so they fall back to "everywhere the container exists, or nowhere"). `known` and `present`
 * are always the table's own. Further tables (declarations: signatures, field types, layouts) fit as
 * more keyed maps of the same kind, with the same difference rule.
 */

export const API_FORMAT = 2;

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
  /** A difference from the table of this version (see the module comment). */
  base?: string;
  drop?: { names: string; members: string; open: string; fieldTypes: string };
}

const hex = (m: bigint) => m.toString(16);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groups(map: ReadonlyMap<string, bigint>): [string, string][] {
  const by = new Map<string, string[]>();
  for (const [name, mask] of map) {
    const k = hex(mask);
    const l = by.get(k);
    if (l) l.push(name);
    else by.set(k, [name]);
  }
  return [...by]
    .map(([k, names]) => [k, names.sort(cmp).join(' ')] as [string, string])
    .sort((a, b) => (a[0].length - b[0].length) || cmp(a[0], b[0]));
}

/** Stable JSON: keys in a fixed order, one group per line. */
export function serializeApi(api: PackageApi): string {
  return writeTable(api, api.names, api.members, api.open, api.fieldTypes, null);
}

/** Entries of `now` whose value differs from `base`'s, and the keys `base` stores that `now` does not. */
function diff<V>(now: ReadonlyMap<string, V>, base: ReadonlyMap<string, V>): { set: Map<string, V>; drop: string[] } {
  const set = new Map<string, V>();
  for (const [k, v] of now) if (base.get(k) !== v) set.set(k, v);
  const drop = [...base.keys()].filter((k) => !now.has(k)).sort(cmp);
  return { set, drop };
}

/** `api` written as a difference from `base` (same package, same platforms; see the module comment). */
export function serializeApiDelta(api: PackageApi, base: PackageApi): string {
  if (api.path !== base.path || api.platforms.join() !== base.platforms.join()) throw new Error(`${api.path}: a difference needs the same package over the same platforms`);
  const names = diff(api.names, base.names);
  const members = diff(api.members, base.members);
  const open = diff(api.open, base.open);
  const fieldTypes = diff(api.fieldTypes, base.fieldTypes);
  return writeTable(api, names.set, members.set, open.set, fieldTypes.set, {
    base: base.source.version,
    drop: { names: names.drop.join(' '), members: members.drop.join(' '), open: open.drop.join(' '), fieldTypes: fieldTypes.drop.join(' ') },
  });
}

function writeTable(
  api: PackageApi,
  names: ReadonlyMap<string, bigint>,
  members: ReadonlyMap<string, bigint>,
  open: ReadonlyMap<string, bigint>,
  fieldTypes: ReadonlyMap<string, string>,
  delta: { base: string; drop: NonNullable<PackageApiJson['drop']> } | null,
): string {
  const line = (v: unknown) => JSON.stringify(v);
  const list = (l: unknown[]) => (l.length === 0 ? '[]' : `[\n    ${l.map(line).join(',\n    ')}\n  ]`);
  const ft = [...fieldTypes].sort((a, b) => cmp(a[0], b[0]));
  const out = [
    '{',
    `  "format": ${API_FORMAT},`,
    `  "path": ${line(api.path)},`,
    `  "name": ${line(api.name)},`,
    `  "module": ${line(api.source.module)},`,
    `  "version": ${line(api.source.version)},`,
  ];
  if (delta) out.push(`  "base": ${line(delta.base)},`);
  out.push(
    `  "platforms": ${line(api.platforms)},`,
    `  "known": ${line(hex(api.known))},`,
    `  "present": ${line(hex(api.present))},`,
    `  "names": ${list(groups(names))},`,
    `  "members": ${list(groups(members))},`,
    `  "open": ${list(groups(open))},`,
    `  "fieldTypes": ${ft.length === 0 ? '{}' : `{\n    ${ft.map(([k, v]) => `${line(k)}: ${line(v)}`).join(',\n    ')}\n  }`}${delta ? ',' : ''}`,
  );
  if (delta) {
    const d = delta.drop;
    out.push(`  "drop": {\n    "names": ${line(d.names)},\n    "members": ${line(d.members)},\n    "open": ${line(d.open)},\n    "fieldTypes": ${line(d.fieldTypes)}\n  }`);
  }
  out.push('}', '');
  return out.join('\n');
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

/** The base version a serialized table is a difference from, or null for a whole table (no parsing of the rest). */
export function apiBaseOf(j: PackageApiJson): string | null {
  return typeof j.base === 'string' ? j.base : null;
}

/**
 * Parses and validates a serialized index; throws ApiFormatError on anything unexpected. A difference
 * (`base`) needs its base table, `resolveBase(version)` (the base's version must match), which it
 * consumes: the base's maps become the result's, so the resolver hands over a table of its own.
 */
export function parseApi(text: string, resolveBase?: (version: string) => PackageApi | null): PackageApi {
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
  const api: PackageApi = {
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
  const baseVersion = apiBaseOf(j);
  if (baseVersion === null) return api;
  const base = resolveBase?.(baseVersion) ?? null;
  if (!base || base.path !== api.path || base.source.version !== baseVersion || base.platforms.join() !== api.platforms.join()) {
    throw new ApiFormatError(`${api.path}: base table ${baseVersion} missing or of another package`);
  }
  const d = j.drop;
  if (!d || typeof d !== 'object' || ![d.names, d.members, d.open, d.fieldTypes].every((x) => typeof x === 'string')) throw new ApiFormatError('bad drop');
  const apply = <V>(set: Map<string, V>, out: Map<string, V>, drop: string): Map<string, V> => {
    for (const k of drop.split(' ')) if (k) out.delete(k);
    for (const [k, v] of set) out.set(k, v);
    return out;
  };
  return {
    ...api,
    names: apply(api.names, base.names, d.names),
    members: apply(api.members, base.members, d.members),
    open: apply(api.open, base.open, d.open),
    fieldTypes: apply(api.fieldTypes, base.fieldTypes, d.fieldTypes),
  };
}
