/**
 * Type layout as gc computes it (cmd/compile/internal/types/size.go: CalcSize, calcStructOffset; the
 * same rules as go/types' gc sizes): sizes, alignments and field offsets of TypeExprs for one GOARCH.
 *
 * Everything here is pure: the answer depends only on the type, the ArchLayout and what the
 * TypeResolver says. `undefined` means "unknown": callers stay silent rather than guess.
 */
import type { FieldFact, TypeExpr } from '../parser/facts.js';
import type { ArchLayout } from './arch.js';
import { evalIntConst } from './const-expr.js';
import { ATOMIC_ALIGN64_PKGS, isStdPath, stdDef } from './std.js';

/** A reference to a declared type: `T`, `T[A, B]`, `pkg.T`. */
export type NamedRef = Extract<TypeExpr, { k: 'name' | 'qual' }>;

export interface NamedDef {
  /** The declaration's right-hand side (for an alias `type A = B`, the type B). */
  type: TypeExpr;
  /** The scope `type` is written in (the declaring package's). */
  scope: TypeResolver;
  /** Type parameter names of a generic type, bound in order to the reference's `args`. */
  typeParams?: string[];
}

export interface TypeResolver {
  /**
   * Import path of the package this scope belongs to, when known. Only used to recognise the
   * `align64` marker of sync/atomic and the runtime's atomic packages when their real source is loaded.
   */
  readonly pkgPath?: string;
  /**
   * The definition a named or qualified type refers to in this scope, or undefined if unknown. A
   * `name` the resolver doesn't define falls back to the predeclared type of that name; a `qual` of
   * a standard-library package is looked up in goport's std table (std.ts) first.
   */
  resolveNamed(t: NamedRef): NamedDef | undefined;
  /** The value of an integer constant expression written in this scope (array lengths). */
  constValue?(expr: string): number | undefined;
}

export interface FieldLayout {
  name: string;
  /** Offset from the start of the struct. */
  offset: number;
  size: number;
  align: number;
  embedded: boolean;
  /** The field's type as declared (it may mention the struct's type parameters). */
  type: TypeExpr;
}

export interface Layout {
  size: number;
  align: number;
  /** For structs (also through named types and aliases): every field, blank ones included, in order. */
  fields?: readonly FieldLayout[];
}

export interface PathStep {
  /** The field's name (for an embedded field, its type's name). */
  name: string;
  /** Offset from the start of the allocation the field lives in (see PathOffset.resetAt). */
  offset: number;
  size: number;
  align: number;
  /** An embedded field the selector passes through implicitly to reach a promoted field. */
  implicit: boolean;
  type: TypeExpr;
  /** `T`, `pkg/path.T` or `*T` when the field's type is (a pointer to) a named type. */
  typeName?: string;
}

export interface PathOffset {
  /** Offset of the selected field from the start of its allocation. */
  offset: number;
  size: number;
  align: number;
  /** Every field selected, the implicit embedded ones included. */
  steps: PathStep[];
  /**
   * Set when the selection goes through a pointer (the root itself, a pointer field, or an embedded
   * `*T`): steps from this index on are offsets into the pointed-to allocation, which starts at 0.
   */
  resetAt?: number;
}

/** Size, alignment (and fields) of `t` on `arch`, or undefined when something in it is unknown or invalid. */
export function layoutOf(t: TypeExpr, arch: ArchLayout, scope: TypeResolver): Layout | undefined {
  return lay(t, { scope }, newWalk(arch));
}

/**
 * Offset of the field `path` selects from a value of type `t` (`x.a.b` is ['a', 'b']), following Go's
 * selector rules: a promoted field is found through embedded structs at the shallowest depth, and two
 * candidates at that depth make the selector ambiguous (undefined). Selecting through a pointer starts a
 * new allocation (see `resetAt`). Methods are not known here: a name that is a method, or a field
 * shadowed by a shallower method, gives a wrong or undefined answer the caller must rule out.
 */
export function offsetOfPath(
  t: TypeExpr, path: readonly string[], arch: ArchLayout, scope: TypeResolver,
): PathOffset | undefined {
  const w = newWalk(arch);
  if (path.length === 0) {
    const l = lay(t, { scope }, w);
    return l && { offset: 0, size: l.size, align: l.align, steps: [] };
  }
  let cur: Binding = { t, ctx: { scope } };
  let base = 0;
  let resetAt: number | undefined;
  const steps: PathStep[] = [];
  for (const name of path) {
    const s = structAt(cur.t, cur.ctx, w);
    if (!s || s === NOT_STRUCT) return undefined;
    const sels = lookupField(s, name, w);
    if (!sels) return undefined;
    sels.forEach((sel, i) => {
      if (sel.deref) {
        base = 0;
        resetAt = steps.length;
      }
      const offset = base + sel.field.offset;
      const typeName = nameOf(sel.field.type);
      steps.push({
        name: sel.field.name, offset, size: sel.field.size, align: sel.field.align,
        implicit: i < sels.length - 1, type: sel.field.type, ...(typeName ? { typeName } : {}),
      });
      base = offset;
    });
    const last = sels[sels.length - 1];
    cur = { t: last.field.type, ctx: last.ctx };
  }
  const last = steps[steps.length - 1];
  return { offset: last.offset, size: last.size, align: last.align, steps, ...(resetAt === undefined ? {} : { resetAt }) };
}

// ---------------------------------------------------------------------------------------------------

/** A type written in some context: the scope it names things in and the type arguments it sees. */
interface Binding { readonly t: TypeExpr; readonly ctx: Ctx }
interface Ctx {
  readonly scope: TypeResolver;
  /** Type parameters of the generic declaration `t` is written in; null = no argument given. */
  readonly env?: ReadonlyMap<string, Binding | null>;
}
interface Walk {
  readonly arch: ArchLayout;
  readonly archKey: string;
  /** Declared types being laid out: meeting one again means it contains itself (invalid Go). */
  readonly active: Set<string>;
  depth: number;
}

/** Nesting limit for named types, bindings and embedded structs (guards runaway generic expansion). */
const MAX_DEPTH = 100;

function newWalk(arch: ArchLayout): Walk {
  return { arch, archKey: `${arch.goarch}/${arch.ptrSize}/${arch.regSize}/${arch.goMinor}`, active: new Set(), depth: 0 };
}

function lay(t: TypeExpr, ctx: Ctx, w: Walk): Layout | undefined {
  const p = w.arch.ptrSize;
  switch (t.k) {
    case 'ptr': case 'map': case 'chan': case 'func':
      return { size: p, align: p };
    case 'slice':
      return { size: 3 * p, align: p };
    case 'iface':
      return { size: 2 * p, align: p };
    case 'array': {
      const n = arrayLen(t.len, ctx);
      const e = n === undefined ? undefined : lay(t.elem, ctx, w);
      return e && { size: n! * e.size, align: e.align };
    }
    case 'struct':
      return layStruct(t.fields, ctx, w);
    case 'name': case 'qual': case 'tparam':
      return layNamed(t, ctx, w);
    default:
      return undefined;
  }
}

/** gc's calcStructOffset for a struct type (flag 1). */
function layStruct(fields: readonly FieldFact[], ctx: Ctx, w: Walk): Layout | undefined {
  let o = 0;
  let maxAlign = 1;
  let lastZero = 0;
  const out: FieldLayout[] = [];
  for (const fd of fields) {
    const l = lay(fd.type, ctx, w);
    if (!l) return undefined;
    if (l.align > maxAlign) maxAlign = l.align;
    o = roundUp(o, l.align);
    out.push({ name: fd.name, offset: o, size: l.size, align: l.align, embedded: fd.embedded, type: fd.type });
    if (l.size === 0) lastZero = o;
    o += l.size;
  }
  // A non-empty struct ending in a zero-size field gets a byte of padding, so that the field's address
  // can't point at the next object (go.dev/issue/9401).
  if (o > 0 && o === lastZero) o++;
  return { size: roundUp(o, maxAlign), align: maxAlign, fields: out };
}

const roundUp = (o: number, a: number) => Math.ceil(o / a) * a;

const layoutCache = new WeakMap<TypeResolver, Map<string, Layout>>();

function layNamed(t: NamedRef | Extract<TypeExpr, { k: 'tparam' }>, ctx: Ctx, w: Walk): Layout | undefined {
  const tg = target(t, ctx, w.arch);
  if (!tg) return undefined;
  if ('layout' in tg) return tg.layout;
  if (!tg.key) return deeper(w, () => lay(tg.t, tg.ctx, w));

  let cache = layoutCache.get(ctx.scope);
  if (!cache) layoutCache.set(ctx.scope, (cache = new Map()));
  const ck = `${w.archKey}|${tg.key}`;
  const hit = cache.get(ck);
  if (hit) return hit;
  if (w.active.has(tg.key)) return undefined; // a type containing itself by value
  w.active.add(tg.key);
  const l = deeper(w, () => lay(tg.t, tg.ctx, w));
  w.active.delete(tg.key);
  if (!l) return undefined;
  const frozen = Object.freeze({ ...l, ...(l.fields ? { fields: Object.freeze(l.fields.map((f) => Object.freeze(f))) } : {}) });
  cache.set(ck, frozen);
  return frozen;
}

function deeper<T>(w: Walk, fn: () => T | undefined): T | undefined {
  if (w.depth >= MAX_DEPTH) return undefined;
  w.depth++;
  try {
    return fn();
  } finally {
    w.depth--;
  }
}

/**
 * What a named type, qualified type or type parameter stands for: a fixed layout (predeclared types,
 * unsafe.Pointer, the align64 marker), or a type to lay out in another context. `key` identifies a
 * declared type instance (for the cycle guard and the cache); bindings of type parameters have none.
 */
type Target = { layout: Layout } | { t: TypeExpr; ctx: Ctx; key?: string };

function target(t: NamedRef | Extract<TypeExpr, { k: 'tparam' }>, ctx: Ctx, arch: ArchLayout): Target | undefined {
  if (t.k === 'tparam' || (t.k === 'name' && !t.args && ctx.env?.has(t.name))) {
    const b = ctx.env?.get(t.name);
    return b ? { t: b.t, ctx: b.ctx } : undefined;
  }
  let def: NamedDef | undefined;
  if (t.k === 'name') {
    def = ctx.scope.resolveNamed(t);
    if (!def) {
      const l = t.args ? undefined : predeclared(t.name, arch);
      return l && { layout: l };
    }
  } else {
    if (t.pkg === 'unsafe') return t.name === 'Pointer' ? { layout: { size: arch.ptrSize, align: arch.ptrSize } } : undefined;
    const fromTable = () => stdDef(t.pkg, t.name, arch.goMinor);
    const fromScope = () => ctx.scope.resolveNamed(t);
    def = isStdPath(t.pkg) ? fromTable() ?? fromScope() : fromScope() ?? fromTable();
    if (!def) return undefined;
  }
  // sync/atomic.align64 (and the runtime's copies): an empty struct that makes its container 8-aligned.
  const pkg = def.scope.pkgPath ?? (t.k === 'qual' ? t.pkg : ctx.scope.pkgPath);
  if (t.name === 'align64' && pkg !== undefined && ATOMIC_ALIGN64_PKGS.has(pkg)
      && def.type.k === 'struct' && def.type.fields.length === 0) {
    return { layout: { size: 0, align: 8 } };
  }
  let env: Map<string, Binding | null> | undefined;
  if (def.typeParams?.length) {
    const args = t.args?.length === def.typeParams.length ? t.args : undefined;
    env = new Map(def.typeParams.map((p, i) => [p, args ? { t: args[i], ctx } : null]));
  }
  return { t: def.type, ctx: env ? { scope: def.scope, env } : { scope: def.scope }, key: canon(t, ctx, 0) };
}

function predeclared(name: string, arch: ArchLayout): Layout | undefined {
  const p = arch.ptrSize;
  const r = arch.regSize;
  switch (name) {
    case 'bool': case 'int8': case 'uint8': case 'byte': return { size: 1, align: 1 };
    case 'int16': case 'uint16': return { size: 2, align: 2 };
    case 'int32': case 'uint32': case 'rune': case 'float32': return { size: 4, align: 4 };
    case 'int64': case 'uint64': case 'float64': return { size: 8, align: r };
    case 'complex64': return { size: 8, align: 4 };
    case 'complex128': return { size: 16, align: r };
    case 'int': case 'uint': case 'uintptr': return { size: p, align: p };
    case 'string': case 'error': case 'any': return { size: 2 * p, align: p };
    default: return undefined;
  }
}

function arrayLen(len: number | string, ctx: Ctx): number | undefined {
  const n = typeof len === 'number' ? len
    : ctx.scope.constValue?.(len) ?? evalIntConst(len, (id) => ctx.scope.constValue?.(id));
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Canonical text of a type in its context: equal texts mean identical types (scopes by identity).

const scopeIds = new WeakMap<TypeResolver, number>();
let nextScopeId = 1;

function sid(s: TypeResolver): number {
  let id = scopeIds.get(s);
  if (id === undefined) scopeIds.set(s, (id = nextScopeId++));
  return id;
}

function canon(t: TypeExpr, ctx: Ctx, depth: number): string {
  if (depth > MAX_DEPTH) return '…';
  const c = (u: TypeExpr) => canon(u, ctx, depth + 1);
  const args = (a?: TypeExpr[]) => (a?.length ? `[${a.map(c).join(',')}]` : '');
  switch (t.k) {
    case 'tparam': case 'name': {
      if (t.k === 'tparam' || (!t.args && ctx.env?.has(t.name))) {
        const b = ctx.env?.get(t.name);
        return b ? canon(b.t, b.ctx, depth + 1) : `?${t.name}`;
      }
      return `${sid(ctx.scope)}:${t.name}${args(t.args)}`;
    }
    case 'qual': return `${sid(ctx.scope)}:${t.pkg}.${t.name}${args(t.args)}`;
    case 'ptr': return `*${c(t.elem)}`;
    case 'slice': return `[]${c(t.elem)}`;
    case 'array': return `[${typeof t.len === 'number' ? t.len : `${sid(ctx.scope)}:${t.len}`}]${c(t.elem)}`;
    case 'map': return `map[${c(t.key)}]${c(t.value)}`;
    case 'chan': return `chan ${c(t.elem)}`;
    case 'func': return 'func';
    case 'iface': return `interface{${t.methods.join(';')}|${t.embeds.map(c).join(';')}}`;
    case 'struct': return `struct{${t.fields.map((f) => `${f.embedded ? '~' : ''}${f.name} ${c(f.type)}`).join(';')}}`;
    default: return `!${t.text}`;
  }
}

function nameOf(t: TypeExpr): string | undefined {
  switch (t.k) {
    case 'name': return t.name;
    case 'qual': return `${t.pkg}.${t.name}`;
    case 'ptr': { const n = nameOf(t.elem); return n && `*${n}`; }
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Field selection.

interface StructInfo {
  fields: readonly FieldLayout[];
  /** Context the field types are written in. */
  ctx: Ctx;
  /** Reaching the struct dereferenced a pointer. */
  deref: boolean;
  /** Identity of the named struct type, if it is one (for the embedded-cycle guard). */
  key?: string;
}

/** The struct `t` denotes, directly or through one pointer; NOT_STRUCT for a known non-struct type. */
const NOT_STRUCT = Symbol('not a struct');

function structAt(t: TypeExpr, ctx: Ctx, w: Walk): StructInfo | typeof NOT_STRUCT | undefined {
  let deref = false;
  let key: string | undefined;
  let cur: Binding = { t, ctx };
  for (let i = 0; i < MAX_DEPTH; i++) {
    const u = cur.t;
    switch (u.k) {
      case 'struct': {
        const l = layStruct(u.fields, cur.ctx, w);
        return l && { fields: l.fields!, ctx: cur.ctx, deref, ...(key ? { key } : {}) };
      }
      case 'ptr':
        if (deref) return NOT_STRUCT; // **T has no fields
        deref = true;
        key = undefined;
        cur = { t: u.elem, ctx: cur.ctx };
        continue;
      case 'name': case 'qual': case 'tparam': {
        const tg = target(u, cur.ctx, w.arch);
        if (!tg) return undefined;
        if ('layout' in tg) return NOT_STRUCT;
        if (tg.key && key === undefined) key = tg.key;
        cur = { t: tg.t, ctx: tg.ctx };
        continue;
      }
      case 'unknown':
        return undefined;
      case 'array':
        return arrayLen(u.len, cur.ctx) === undefined ? undefined : NOT_STRUCT;
      default:
        return NOT_STRUCT;
    }
  }
  return undefined;
}

interface Sel { field: FieldLayout; ctx: Ctx; deref: boolean }

/**
 * The fields selecting `name` in `root` passes through (the implicit embedded ones, then the field),
 * breadth-first by embedding depth as go/types' lookupFieldOrMethod does; undefined if not found,
 * ambiguous, or hidden behind an embedded type goport can't see into.
 */
function lookupField(root: StructInfo, name: string, w: Walk): Sel[] | undefined {
  if (name === '_') return undefined;
  let level: { s: StructInfo; via: Sel[] }[] = [{ s: root, via: [] }];
  const seen = new Set<string>(root.key ? [root.key] : []);
  let incomplete = false;
  for (let depth = 0; level.length > 0 && depth < MAX_DEPTH; depth++) {
    const found: Sel[][] = [];
    const next: { s: StructInfo; via: Sel[] }[] = [];
    let hidden = false; // an embedded type whose fields (one level deeper) can't be seen
    for (const { s, via } of level) {
      for (const field of s.fields) {
        const sel: Sel = { field, ctx: s.ctx, deref: s.deref };
        if (field.name === name) {
          found.push([...via, sel]);
          continue;
        }
        if (!field.embedded) continue;
        const inner = structAt(field.type, s.ctx, w);
        if (inner === NOT_STRUCT) continue; // an embedded interface or non-struct type: no fields
        if (!inner) {
          hidden = true;
          continue;
        }
        next.push({ s: inner, via: [...via, sel] });
      }
    }
    if (found.length > 0) return found.length === 1 && !incomplete ? found[0] : undefined;
    incomplete ||= hidden;
    // A named type met at a shallower depth was searched already (embedded pointer cycles); several
    // occurrences at the same depth stay, so that their fields are ambiguous.
    level = next.filter((e) => !e.s.key || !seen.has(e.s.key));
    for (const e of level) if (e.s.key) seen.add(e.s.key);
  }
  return undefined;
}
