/**
 * Type layout as gc computes it (cmd/compile/internal/types/size.go: CalcSize, CalcStructSize; the
 * same rules as go/types' gc sizes), over the type layer's types (src/types): the standard library,
 * vendored and module types all come from their declarations (source or the bundled declaration
 * tables), so there is no table of std layouts to keep in step with Go releases.
 *
 * `undefined` means unknown (a type goport could not establish, a type parameter, an array too large
 * to lay out): callers stay silent and count it, never guess.
 */
import type { ArchLayout } from './arch.js';
import { type Field, type Named, type Struct, type Type, under } from '../types/types.js';
import { Dep, touch, within } from '../types/track.js';

export interface SizeAlign {
  readonly size: number;
  readonly align: number;
}

export interface StructLayout extends SizeAlign {
  /** Offset of each field (blank ones included), in declaration order. */
  readonly offsets: readonly number[];
}

/** Packages whose `align64` empty struct makes its container 8-aligned (gc's isAtomicStdPkg). */
export const ATOMIC_ALIGN64_PKGS: ReadonlySet<string> = new Set([
  'sync/atomic', 'runtime/internal/atomic', 'internal/runtime/atomic',
]);

/** Nesting limit for named types and composite types (a type that contains itself is invalid Go). */
const MAX_DEPTH = 100;

const archKey = (a: ArchLayout) => `${a.ptrSize}/${a.regSize}`;

/**
 * Per type object and layout parameters: the answer (null: unknown), and the node of what laying it
 * out read (src/types/track.ts: a hit reads the same parts again, so an answer computed after
 * grouping still knows every lazily resolved part it depends on). Types are immutable once built.
 */
const cache = new WeakMap<object, Map<string, { v: SizeAlign | StructLayout | null; dep: Dep }>>();

function cached<T extends SizeAlign>(t: object, arch: ArchLayout, f: () => T | undefined): T | undefined {
  const k = archKey(arch);
  let m = cache.get(t);
  if (!m) cache.set(t, (m = new Map()));
  const hit = m.get(k);
  if (hit) {
    touch(hit.dep);
    return (hit.v as T | null) ?? undefined;
  }
  const e = { v: null as SizeAlign | StructLayout | null, dep: new Dep() }; // reached again while being laid out: contains itself, unknown
  m.set(k, e);
  touch(e.dep);
  const v = within(e.dep, f);
  e.v = v ?? null;
  return v;
}

/** Whether `t` is sync/atomic's (or the runtime's) align64 marker. */
export function isAlign64(t: Named): boolean {
  const u = t.underlying();
  return t.obj.name === 'align64' && ATOMIC_ALIGN64_PKGS.has(t.obj.pkg) && u?.k === 'struct' && u.fields.length === 0;
}

/** Size and alignment of `t` on `arch`, or undefined when unknown. */
export function sizeAlign(t: Type | undefined, arch: ArchLayout, depth = 0): SizeAlign | undefined {
  if (!t || depth > MAX_DEPTH) return undefined;
  const p = arch.ptrSize;
  switch (t.k) {
    case 'basic':
      switch (t.kind) {
        case 'bool': case 'int8': case 'uint8': return { size: 1, align: 1 };
        case 'int16': case 'uint16': return { size: 2, align: 2 };
        case 'int32': case 'uint32': case 'float32': return { size: 4, align: 4 };
        case 'int64': case 'uint64': case 'float64': return { size: 8, align: arch.regSize };
        case 'complex64': return { size: 8, align: 4 };
        case 'complex128': return { size: 16, align: arch.regSize };
        case 'int': case 'uint': case 'uintptr': case 'unsafe.Pointer': return { size: p, align: p };
        case 'string': return { size: 2 * p, align: p };
        default: return undefined; // untyped and invalid types have no layout
      }
    case 'pointer': case 'map': case 'chan': case 'signature':
      return { size: p, align: p };
    case 'slice':
      return { size: 3 * p, align: p };
    case 'interface':
      return { size: 2 * p, align: p };
    case 'array':
      return cached(t, arch, () => {
        const e = sizeAlign(t.elem, arch, depth + 1);
        if (!e) return undefined;
        const size = Number(t.len) * e.size;
        return Number.isSafeInteger(size) ? { size, align: e.align } : undefined;
      });
    case 'struct':
      return structLayout(t, arch, depth);
    case 'named':
      return cached(t, arch, () => {
        if (isAlign64(t)) return { size: 0, align: 8 };
        const u = t.underlying();
        if (u?.k === 'struct') {
          const l = structLayout(u, arch, depth + 1);
          return l && { size: l.size, align: l.align };
        }
        return sizeAlign(u, arch, depth + 1);
      });
    default:
      return undefined; // type parameters (their layout depends on the instance), tuples, unions
  }
}

/** gc's CalcStructSize: field offsets, size and alignment of a struct type. */
export function structLayout(t: Struct, arch: ArchLayout, depth = 0): StructLayout | undefined {
  if (depth > MAX_DEPTH) return undefined;
  return cached(t, arch, () => {
    let off = 0;
    let align = 1;
    const offsets: number[] = [];
    let last: SizeAlign | undefined;
    for (const f of t.fields) {
      const l = sizeAlign(f.type, arch, depth + 1);
      if (!l) return undefined;
      off = roundUp(off, l.align);
      offsets.push(off);
      off += l.size;
      if (l.align > align) align = l.align;
      last = l;
    }
    // A non-empty struct ending in a zero-size field gets a byte of padding, so that the field's
    // address can't point at the next object (go.dev/issue/9401).
    if (off > 0 && last?.size === 0) off++;
    return { offsets, size: roundUp(off, align), align };
  });
}

/** The layout of a named or literal struct type (through named types), or undefined. */
export function layoutOfStruct(t: Type | undefined, arch: ArchLayout): { struct: Struct; layout: StructLayout } | undefined {
  const u = under(t);
  if (u?.k !== 'struct') return undefined;
  const layout = structLayout(u, arch);
  return layout && { struct: u, layout };
}

const roundUp = (o: number, a: number) => Math.ceil(o / a) * a;

/** One field a selector passes through: the struct (as written, named or literal) and the field's index in it. */
export interface FieldStep {
  /** The struct's type as reached (a Named, or a literal struct). */
  holder: Type;
  struct: Struct;
  index: number;
  field: Field;
  /** Offset of the field from the start of `holder`. */
  offset: number;
  /** The selector dereferences an embedded `*T` to reach `holder` (not the operand's own pointer). */
  deref: boolean;
  /** An embedded field passed through implicitly on the way to a promoted field. */
  implicit: boolean;
}

const exported = (name: string) => /^\p{Lu}/u.test(name);

/**
 * The fields selecting `name` in a value of type `t` passes through (the implicit embedded ones,
 * then the field), breadth-first by embedding depth as the spec says: the shallowest wins, two at
 * that depth (or a method of that name at or above it) are no field selection. `t` may be a pointer
 * to a struct (the selector dereferences it). Undefined when not found, ambiguous or unknown.
 */
export function selectField(t: Type | undefined, name: string, fromPkg: string, arch: ArchLayout): FieldStep[] | undefined {
  if (!t || name === '_') return undefined;
  let start = t;
  if (t.k === 'pointer' || (t.k !== 'named' && under(t)?.k === 'pointer')) start = (under(t) as { elem: Type }).elem;
  const matches = (f: { name: string; pkg: string }) => f.name === name && (exported(name) || f.pkg === fromPkg);
  let level: { t: Type; deref: boolean; via: FieldStep[] }[] = [{ t: start, deref: false, via: [] }];
  const seen = new Set<object>();
  for (let d = 0; d < 30 && level.length > 0; d++) {
    const hits: FieldStep[][] = [];
    let methods = 0;
    const next: typeof level = [];
    for (const l of level) {
      if (l.t.k === 'named') {
        const origin = l.t.origin?.obj ?? l.t.obj;
        if (seen.has(origin) && !l.t.targs?.length) continue;
        seen.add(origin);
        if (l.t.methods().some((m) => matches(m))) methods++;
      }
      const u = under(l.t);
      if (!u) return undefined;
      if (u.k === 'interface') {
        // An embedded interface has no fields; its methods could shadow (not followed: unknown).
        if (u.methods.some((m) => m.name === name) || u.embeddeds.length > 0) return undefined;
        continue;
      }
      if (u.k !== 'struct') {
        if (d === 0) return undefined;
        continue;
      }
      const lay = structLayout(u, arch);
      if (!lay) return undefined;
      u.fields.forEach((f, i) => {
        const step: FieldStep = { holder: l.t, struct: u, index: i, field: f, offset: lay.offsets[i]!, deref: l.deref, implicit: false };
        if (matches(f)) hits.push([...l.via, step]);
        else if (f.embedded) {
          const ft = f.type;
          const imp = { ...step, implicit: true };
          if (ft.k === 'pointer') next.push({ t: ft.elem, deref: true, via: [...l.via, imp] });
          else next.push({ t: ft, deref: false, via: [...l.via, imp] });
        }
      });
    }
    if (hits.length + methods > 1) return undefined;
    if (methods === 1) return undefined;
    if (hits.length === 1) return hits[0];
    level = next;
  }
  return undefined;
}
