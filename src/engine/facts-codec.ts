/**
 * The one encoding of FileFacts: what a parse worker hands the main thread and what the facts cache
 * keeps on disk, byte for byte. A worker encodes the facts it extracted (on its own core), the main
 * thread decodes them lazily and the cache writes the same bytes, so a cold run never encodes on the
 * main thread and a warm run decodes exactly what a cold run decoded.
 *
 * An entry is UTF-8 lines of JSON (JSON.stringify never writes a raw newline), then binary data:
 * - a header: the key (a file copied into the wrong place is a miss), the names of the `extra` keys,
 *   the names of the other fields beyond the core ones, the UTF-16 length of every following line
 *   and, when there are typed arrays, the UTF-8 byte length of the lines and each array's type and
 *   byte length (so a truncated entry is a miss before anything is used; a line patched in place is
 *   found when it is read: empty facts and a corrupt count);
 * - the eager fields in one line, then a line per LAZY_FIELDS field, per other field and per `extra`
 *   key, each decoded and parsed only when first read;
 * - the bytes of the typed arrays, each at an offset that is a multiple of 8.
 *
 * Typed arrays (Int32Array, Float64Array...) travel as raw bytes, never as JSON, when they are a
 * field's value or a property of a field's plain-object value (`extra.decls = { strings, data }`):
 * a compact fact made of typed arrays and a string table costs a copy, not a JSON walk.
 */
import type { FileFacts } from '../parser/facts.js';

/**
 * Fields parsed only when a rule reads them: a file's own package needs them all, but the files of
 * the packages it imports (loaded for their declarations) mostly need none, and of `extra` one or
 * two extractors' facts.
 */
export const LAZY_FIELDS = ['refs', 'qualRefs', 'selectors', 'litKeys', 'skips'] as const;

/** The fields of FileFacts the eager line holds (everything the type declares that is not lazy). */
const EAGER_FIELDS = new Set(['path', 'pkgName', 'generated', 'syntaxErrors', 'imports', 'decls', 'methods', 'invalidUtf8']);

interface Header {
  k: string;
  /** `extra` keys, in line order. */
  x: string[];
  /** Other top-level fields (added by other modules), in line order after LAZY_FIELDS. */
  o?: string[];
  /** Lengths (UTF-16 units) of the following lines: eager fields, LAZY_FIELDS, `o`, then `x`. */
  n: number[];
  /** With typed arrays: the UTF-8 byte length of the lines (from the byte after the header's newline). */
  tb?: number;
  /** With typed arrays: [constructor name, byte length] of each, in blob order. */
  b?: [string, number][];
  /** With typed arrays: the indexes (into `n`) of the lines that refer to them. */
  r?: number[];
}

/** The placeholder a typed array leaves in its line's JSON. */
const BLOB = '\u0000b';

type View = Exclude<ArrayBufferView, DataView>;

const VIEWS: Record<string, new (b: ArrayBuffer) => View> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

function isView(v: unknown): v is View {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && VIEWS[v.constructor.name] !== undefined && !Buffer.isBuffer(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True when `v` is a typed array or a plain object with one among its own properties. */
function holdsViews(v: unknown): boolean {
  if (isView(v)) return true;
  if (!isPlainObject(v)) return false;
  for (const k in v) if (isView(v[k])) return true;
  return false;
}

const align8 = (n: number) => (n + 7) & ~7;

/**
 * Encodes facts as an entry for `hash`. The result owns its ArrayBuffer (never a pooled one), so a
 * worker can transfer it.
 */
export function encodeEntry(hash: string, facts: FileFacts): Uint8Array {
  const all = facts as unknown as Record<string, unknown>;
  const eager: Record<string, unknown> = {};
  const other: string[] = [];
  for (const k of Object.keys(all)) {
    if (k === 'extra' || (LAZY_FIELDS as readonly string[]).includes(k)) continue;
    if (EAGER_FIELDS.has(k)) eager[k] = all[k];
    else if (all[k] !== undefined) other.push(k);
  }
  const extra = (facts.extra ?? {}) as Record<string, unknown>;
  const x = Object.keys(extra);
  const blobs: View[] = [];
  const refs: number[] = [];
  const line = (v: unknown, index: number): string => {
    if (!holdsViews(v)) return JSON.stringify(v);
    refs.push(index);
    if (isView(v)) {
      blobs.push(v);
      return JSON.stringify({ [BLOB]: blobs.length - 1 });
    }
    const o: Record<string, unknown> = {};
    const obj = v as Record<string, unknown>;
    for (const k in obj) {
      const p = obj[k];
      if (isView(p)) {
        blobs.push(p);
        o[k] = { [BLOB]: blobs.length - 1 };
      } else o[k] = p;
    }
    return JSON.stringify(o);
  };
  const values = [eager, ...LAZY_FIELDS.map((k) => all[k] ?? []), ...other.map((k) => all[k]), ...x.map((k) => extra[k] ?? null)];
  const lines = values.map((v, i) => line(v, i));
  const header: Header = { k: hash, x, n: lines.map((l) => l.length) };
  if (other.length > 0) header.o = other;
  const body = lines.join('\n');
  if (blobs.length === 0) return fresh(`${JSON.stringify(header)}\n${body}`);
  // The body is UTF-8 encoded once (its byte length goes into the header before it).
  const bodyBytes = Buffer.from(body, 'utf8');
  header.tb = bodyBytes.length;
  header.b = blobs.map((v) => [v.constructor.name, v.byteLength]);
  header.r = refs;
  const head = `${JSON.stringify(header)}\n`;
  const headBytes = Buffer.byteLength(head);
  const textBytes = headBytes + bodyBytes.length + 1;
  let size = align8(textBytes);
  for (const v of blobs) size = align8(size + v.byteLength);
  const out = new Uint8Array(new ArrayBuffer(size));
  Buffer.from(out.buffer, 0, size).write(head, 0, 'utf8');
  out.set(bodyBytes, headBytes);
  out[textBytes - 1] = 10;
  let pos = align8(textBytes);
  for (const v of blobs) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), pos);
    pos = align8(pos + v.byteLength);
  }
  return out;
}

/** A string's UTF-8 bytes in an ArrayBuffer of their own. */
function fresh(text: string): Uint8Array {
  const n = Buffer.byteLength(text);
  const out = new Uint8Array(new ArrayBuffer(n));
  Buffer.from(out.buffer, 0, n).write(text, 0, 'utf8');
  return out;
}

/**
 * Defines `field` on `obj` as the JSON `raw` gives, read and parsed on first read (then a plain
 * property); `raw` gives undefined for a damaged line.
 */
function defineLazy(
  obj: Record<string, unknown>,
  field: string,
  raw: () => string | undefined,
  revive: ((v: unknown) => unknown) | undefined,
  valid: (v: unknown) => boolean,
  fallback: () => unknown,
  onCorrupt: () => void,
): void {
  Object.defineProperty(obj, field, {
    enumerable: true,
    configurable: true,
    get() {
      let v: unknown;
      try {
        const text = raw();
        v = text === undefined ? undefined : JSON.parse(text);
        if (revive) v = revive(v);
      } catch {
        v = undefined;
      }
      if (!valid(v)) {
        // A line of the wrong length, or one that does not parse: a damaged disk. Empty facts, never a crash.
        onCorrupt();
        v = fallback();
      }
      Object.defineProperty(obj, field, { value: v, writable: true, enumerable: true, configurable: true });
      return v;
    },
    set(v: unknown) {
      Object.defineProperty(obj, field, { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
}

/**
 * Decodes an entry (bytes, or its text when it holds no typed arrays), or undefined when it is not
 * one for this hash. Lazy fields parse on first read.
 */
export function decodeEntry(hash: string, entry: Uint8Array | string, onCorrupt: () => void = () => undefined): FileFacts | undefined {
  let text: string;
  let nl: number;
  let bytes: Uint8Array | undefined;
  if (typeof entry === 'string') {
    text = entry;
    nl = text.indexOf('\n');
  } else {
    bytes = entry;
    nl = bytes.indexOf(10);
    text = '';
  }
  if (nl < 0) return undefined;
  let header: Header;
  try {
    header = JSON.parse(bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, nl).toString('utf8') : text.slice(0, nl)) as Header;
  } catch {
    return undefined;
  }
  const other = header?.o ?? [];
  if (
    typeof header !== 'object' ||
    header === null ||
    header.k !== hash ||
    !Array.isArray(header.x) ||
    !header.x.every((k) => typeof k === 'string') ||
    !Array.isArray(other) ||
    !other.every((k) => typeof k === 'string' && k !== 'extra' && !EAGER_FIELDS.has(k)) ||
    !Array.isArray(header.n) ||
    header.n.length !== 1 + LAZY_FIELDS.length + other.length + header.x.length
  ) {
    return undefined;
  }
  // The typed arrays: views of the entry's own bytes where they are aligned for their type (an
  // entry from a worker or read from a file owns its buffer, and no one writes to facts), else copies.
  let blobs: View[] = [];
  let textEnd: number;
  if (header.b !== undefined) {
    if (!bytes || typeof header.tb !== 'number' || !Array.isArray(header.b) || !Array.isArray(header.r)) return undefined;
    textEnd = nl + 1 + header.tb;
    if (textEnd + 1 > bytes.length || bytes[textEnd] !== 10) return undefined;
    let pos = align8(textEnd + 1);
    for (const b of header.b) {
      if (!Array.isArray(b) || typeof b[1] !== 'number' || b[1] < 0) return undefined;
      const Ctor = VIEWS[b[0]];
      if (Ctor === undefined || pos + b[1] > bytes.length) return undefined;
      const at = bytes.byteOffset + pos;
      const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      try {
        if (b[1] % size !== 0) throw new Error('length');
        blobs.push(at % size === 0 ? new (Ctor as unknown as new (b: ArrayBuffer, o: number, n: number) => View)(bytes.buffer as ArrayBuffer, at, b[1] / size) : new Ctor(bytes.buffer.slice(at, at + b[1]) as ArrayBuffer));
      } catch {
        return undefined; // a length that is not a multiple of the element size
      }
      pos = align8(pos + b[1]);
    }
    if (pos !== align8(bytes.length)) return undefined;
  } else {
    blobs = [];
    textEnd = bytes ? bytes.length : text.length;
  }
  // Each line's text, or undefined when its length is not the recorded one (a damaged entry).
  const parts: (() => string | undefined)[] = [];
  if (bytes && header.b !== undefined) {
    // Bytes with binary data (every parsed file: its syntax table): the lines are cut at their
    // newlines (JSON.stringify never writes one, and no UTF-8 sequence holds the byte) and each is
    // decoded only when its field is read, never the whole body at once. The truncation checks are
    // the binary data's above; a line of a wrong length is found when it is read.
    let from = nl + 1;
    for (let i = 0; i < header.n.length; i++) {
      const len = header.n[i];
      const to = bytes.indexOf(10, from);
      // A line's UTF-8 bytes are at least as many as its UTF-16 units and at most three times as many.
      if (typeof len !== 'number' || len < 0 || to < 0 || to > textEnd || to - from < len || to - from > 3 * len) return undefined;
      const at = bytes.byteOffset + from;
      const n = to - from;
      parts.push(() => {
        const line = Buffer.from(bytes.buffer, at, n).toString('utf8');
        return line.length === len ? line : undefined;
      });
      from = to + 1;
    }
    if (from !== textEnd + 1) return undefined;
  } else {
    const body = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset + nl + 1, textEnd - nl - 1).toString('utf8') : text.slice(nl + 1);
    // Cut the lines by the recorded lengths; the whole must match exactly.
    let pos = 0;
    for (const len of header.n) {
      if (typeof len !== 'number' || len < 0 || pos + len > body.length) return undefined;
      const line = body.slice(pos, pos + len);
      parts.push(() => line);
      pos += len + 1;
    }
    if (pos - 1 !== body.length) return undefined;
  }
  const referring = new Set(header.r ?? []);
  const revive = (v: unknown): unknown => {
    const blob = (p: unknown): unknown => {
      if (!isPlainObject(p) || !(BLOB in p)) return p;
      const b = blobs[p[BLOB] as number];
      if (b === undefined) throw new Error('no such blob');
      return b;
    };
    if (isPlainObject(v) && BLOB in v) return blob(v);
    if (isPlainObject(v)) for (const k in v) v[k] = blob(v[k]);
    return v;
  };
  const reviverOf = (line: number) => (referring.has(line) ? revive : undefined);
  let facts: Record<string, unknown>;
  try {
    facts = JSON.parse(parts[0]!() ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof facts !== 'object' || facts === null || typeof facts.pkgName !== 'string' || !Array.isArray(facts.imports) || !Array.isArray(facts.decls) || !Array.isArray(facts.syntaxErrors)) {
    return undefined;
  }
  let line = 1;
  for (const field of LAZY_FIELDS) defineLazy(facts, field, parts[line]!, reviverOf(line++), Array.isArray, () => [], onCorrupt);
  for (const field of other) defineLazy(facts, field, parts[line]!, reviverOf(line++), (v) => v !== undefined, () => undefined, onCorrupt);
  const extra: Record<string, unknown> = {};
  for (const key of header.x) defineLazy(extra, key, parts[line]!, reviverOf(line++), (v) => v !== undefined, () => undefined, onCorrupt);
  facts.extra = extra;
  return facts as unknown as FileFacts;
}
