/**
 * The type model of the type layer, after go/types: basic, named, pointer, slice, array, map, chan,
 * signature, struct, interface, tuple and type parameter types, and the objects that names denote.
 * A type goport cannot establish is `undefined` ("unknown") wherever a type is expected: composite
 * types are never built over an unknown part, so a known type is known all the way down (except the
 * underlying type of a named type, which is resolved lazily and may turn out unknown).
 */
import type { ConstValue } from './constant.js';
import { Dep, touch, within } from './track.js';

export type BasicKind =
  | 'bool' | 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'uintptr' | 'float32' | 'float64' | 'complex64' | 'complex128' | 'string' | 'unsafe.Pointer'
  | 'untyped bool' | 'untyped int' | 'untyped rune' | 'untyped float' | 'untyped complex' | 'untyped string'
  | 'untyped nil' | 'invalid';

/**
 * The alias a type was spelled through (go/types' Alias, materialized from Go 1.23): a copy of the
 * aliased type tagged with the alias, identical to it and with the same underlying type, printed
 * by the alias's name. `under` and `unalias` drop the tag.
 */
export interface AliasTag {
  readonly obj: TypeName;
  /** The actual (untagged) type. */
  readonly actual: Type;
  /** A generic alias's type parameters (uninstantiated), or its type arguments (an instance). */
  readonly tparams?: readonly TypeParam[];
  readonly targs?: readonly Type[];
}

interface Aliasable {
  readonly alias?: AliasTag;
}

export interface Basic extends Aliasable {
  readonly k: 'basic';
  readonly kind: BasicKind;
  /** The name printed: `byte` and `rune` are uint8 and int32 under another name (as in go/types). */
  readonly name: string;
}

export interface TypeName {
  readonly k: 'typename';
  readonly name: string;
  /** Import path of the declaring package ('' for the universe). */
  readonly pkg: string;
  /** The named type, or for an alias the aliased type (resolved lazily). */
  type: Type | undefined;
  alias?: boolean;
  /** Declared inside a function body (not a package-level name). */
  local?: boolean;
  /** A generic alias's type parameters. */
  tparams?: readonly TypeParam[];
}

export interface Named extends Aliasable {
  readonly k: 'named';
  readonly obj: TypeName;
  /** Resolved on first use; undefined while unknown. */
  underlying(): Type | undefined;
  /** Methods declared on the type (for an instance: of its origin, substituted on lookup). */
  methods(): readonly FuncObj[];
  /** The methods named `name` (what a selector reads: platform grouping then compares those alone). */
  methodsNamed?(name: string): readonly FuncObj[];
  /**
   * When the underlying type is unknown only because some fields of a struct have unknown types:
   * the known fields and the holes, for field and method lookup only (never a type).
   */
  partial?(): PartialStruct | undefined;
  readonly tparams?: readonly TypeParam[];
  readonly targs?: readonly Type[];
  readonly origin?: Named;
}

export interface Pointer extends Aliasable { readonly k: 'pointer'; readonly elem: Type }
export interface Slice extends Aliasable { readonly k: 'slice'; readonly elem: Type }
export interface ArrayT extends Aliasable { readonly k: 'array'; readonly len: bigint; readonly elem: Type }
export interface MapT extends Aliasable { readonly k: 'map'; readonly key: Type; readonly elem: Type }
export type ChanDir = 'both' | 'send' | 'recv';
export interface Chan extends Aliasable { readonly k: 'chan'; readonly dir: ChanDir; readonly elem: Type }

export interface VarObj {
  readonly k: 'var';
  readonly name: string;
  readonly pkg: string;
  type: Type | undefined;
  /** A struct field (or an interface's embedded position). */
  readonly field?: boolean;
  readonly embedded?: boolean;
}

export interface Tuple { readonly k: 'tuple'; readonly vars: readonly VarObj[] }

export interface Signature extends Aliasable {
  readonly k: 'signature';
  readonly params: Tuple;
  readonly results: Tuple;
  readonly variadic: boolean;
  readonly recv?: VarObj;
  readonly tparams?: readonly TypeParam[];
}

export interface Field {
  readonly name: string;
  readonly pkg: string;
  readonly type: Type;
  readonly embedded: boolean;
  readonly tag?: string;
}
export interface Struct extends Aliasable { readonly k: 'struct'; readonly fields: readonly Field[] }
/** A struct declaration with fields of unknown type (holes, in any position): see `Named.partial`. */
export interface PartialStruct {
  readonly fields: readonly Field[];
  readonly holes: readonly { readonly name: string; readonly pkg: string; readonly embedded: boolean }[];
}

export interface Term { readonly tilde: boolean; readonly type: Type }
export interface Interface extends Aliasable {
  readonly k: 'interface';
  /** Explicit methods, sorted as go/types sorts them. */
  readonly methods: readonly FuncObj[];
  /** Embedded interfaces, and type-set elements (unions of terms). */
  readonly embeddeds: readonly (Type | Union)[];
  /** Written `any` (go/types prints the universe's any by its name). */
  readonly any?: boolean;
  /** The implicit interface of a constraint written as a bare type set: `[T ~int]`. */
  readonly implicit?: boolean;
}
export interface Union { readonly k: 'union'; readonly terms: readonly Term[] }

export interface TypeParam extends Aliasable {
  readonly k: 'typeparam';
  readonly name: string;
  /** Identity: the declaring object and index. */
  readonly id: number;
  constraint(): Type | undefined;
}

export type Type = Basic | Named | Pointer | Slice | ArrayT | MapT | Chan | Signature | Struct | Interface | Tuple | TypeParam | Union;

export interface FuncObj {
  readonly k: 'func';
  readonly name: string;
  readonly pkg: string;
  type(): Signature | undefined;
  /** Method: whether the receiver is a pointer. */
  readonly ptrRecv?: boolean;
}

export interface ConstObj {
  readonly k: 'const';
  readonly name: string;
  readonly pkg: string;
  /** Type (possibly untyped) and value, resolved lazily. */
  resolve(): { type: Type; value: ConstValue } | undefined;
}

export interface PkgNameObj {
  readonly k: 'pkgname';
  readonly name: string;
  readonly path: string;
}

export interface BuiltinObj { readonly k: 'builtin'; readonly name: string }
export interface NilObj { readonly k: 'nil' }

export type Obj = TypeName | VarObj | FuncObj | ConstObj | PkgNameObj | BuiltinObj | NilObj;

// ------------------------------------------------------------------ helpers

/**
 * How many times a part was read while it was being computed (a cycle: it answered undefined then,
 * and may answer otherwise later). A memo of an answer that read such a part must not keep it
 * (lookup.ts): compare the count before and after.
 */
export let cycleReads = 0;

/** Counts a read of a part while it is being computed (see cycleReads). */
export function readInCycle(): void {
  cycleReads++;
}

/** A memoized thunk for lazily resolved parts; while it runs (a cycle) it answers undefined. */
export function lazy<T>(f: () => T | undefined): () => T | undefined {
  let state: 0 | 1 | 2 = 0;
  let value: T | undefined;
  // Dropped once called: what it captured (a checker, its scopes) is not kept by the value.
  let make: (() => T | undefined) | undefined = f;
  // A node of its own (track.ts): whoever reads the value depends on what computing it read.
  const dep = new Dep();
  return () => {
    touch(dep);
    if (state === 0) {
      state = 1;
      const m = make!;
      make = undefined;
      value = within(dep, m);
      state = 2;
    } else if (state === 1) cycleReads++;
    return value;
  };
}

/** The methods of `n` named `name`. */
export function namedMethods(n: Named, name: string): readonly FuncObj[] {
  return n.methodsNamed ? n.methodsNamed(name) : n.methods().filter((m) => m.name === name);
}

/** `t` without its alias tag. */
export function unalias<T extends Type | undefined>(t: T): T {
  return (t?.k !== 'tuple' && t?.k !== 'union' && t?.alias ? t.alias.actual : t) as T;
}

const tagged = new WeakMap<TypeName, Type>();

/** `t` as spelled through the alias `obj` (one object per alias, so identity-keyed caches still hit). */
export function aliasType(obj: TypeName, t: Type, targs?: readonly Type[], tparams?: readonly TypeParam[]): Type {
  if (t.k === 'tuple' || t.k === 'union') return t;
  if (!targs) {
    const hit = tagged.get(obj);
    if (hit && unalias(hit) === unalias(t)) return hit;
  }
  const actual = unalias(t);
  const out = { ...actual, alias: { obj, actual, ...(targs ? { targs } : {}), ...(tparams ? { tparams } : {}) } } as Type;
  if (!targs) tagged.set(obj, out);
  return out;
}

export function under(t: Type | undefined): Type | undefined {
  let u = unalias(t);
  for (let i = 0; u && u.k === 'named' && i < 100; i++) u = unalias(u.underlying());
  return u;
}

/** Underlying type, with a type parameter's core type when its constraint has one. */
export function coreType(t: Type | undefined): Type | undefined {
  const u = under(t);
  if (u?.k !== 'typeparam') return u;
  const c = under(u.constraint());
  if (c?.k !== 'interface') return undefined;
  let core: Type | undefined;
  for (const e of c.embeddeds) {
    if (e.k !== 'union') return undefined;
    for (const term of e.terms) {
      const tu = under(term.type);
      if (!tu) return undefined;
      if (core === undefined) core = tu;
      else if (!identical(core, tu)) return undefined;
    }
  }
  return core;
}

export function isUntyped(t: Type | undefined): boolean {
  return t?.k === 'basic' && t.kind.startsWith('untyped');
}

export function isInteger(t: Type | undefined): boolean {
  const u = under(t);
  return u?.k === 'basic' && /^(u?int(8|16|32|64)?|uintptr|untyped (int|rune))$/.test(u.kind);
}

export function isUnsigned(t: Type | undefined): boolean {
  const u = under(t);
  return u?.k === 'basic' && /^(uint(8|16|32|64)?|uintptr)$/.test(u.kind);
}

export function isNumeric(t: Type | undefined): boolean {
  const u = under(t);
  return u?.k === 'basic' && /^(u?int|uintptr|float|complex|untyped (int|rune|float|complex))/.test(u.kind);
}

export function isString(t: Type | undefined): boolean {
  const u = under(t);
  return u?.k === 'basic' && (u.kind === 'string' || u.kind === 'untyped string');
}

export function isBoolean(t: Type | undefined): boolean {
  const u = under(t);
  return u?.k === 'basic' && (u.kind === 'bool' || u.kind === 'untyped bool');
}

export function isInterface(t: Type | undefined): boolean {
  return under(t)?.k === 'interface';
}

/** Type identity, as the spec defines it (named types by origin object and type arguments). */
export function identical(a: Type | undefined, b: Type | undefined): boolean {
  a = unalias(a);
  b = unalias(b);
  if (a === b) return a !== undefined;
  if (!a || !b || a.k !== b.k) return false;
  switch (a.k) {
    case 'basic':
      return a.kind === (b as Basic).kind;
    case 'named': {
      const n = b as Named;
      if ((a.origin ?? a).obj !== (n.origin ?? n).obj) return false;
      const x = a.targs ?? [];
      const y = n.targs ?? [];
      return x.length === y.length && x.every((t, i) => identical(t, y[i]));
    }
    case 'pointer':
    case 'slice':
      return identical(a.elem, (b as Pointer).elem);
    case 'array':
      return a.len === (b as ArrayT).len && identical(a.elem, (b as ArrayT).elem);
    case 'map':
      return identical(a.key, (b as MapT).key) && identical(a.elem, (b as MapT).elem);
    case 'chan':
      return a.dir === (b as Chan).dir && identical(a.elem, (b as Chan).elem);
    case 'tuple': {
      const y = (b as Tuple).vars;
      return a.vars.length === y.length && a.vars.every((v, i) => identical(v.type, y[i]!.type));
    }
    case 'signature': {
      const s = b as Signature;
      return a.variadic === s.variadic && !a.tparams && !s.tparams && identical(a.params, s.params) && identical(a.results, s.results);
    }
    case 'struct': {
      const y = (b as Struct).fields;
      return (
        a.fields.length === y.length &&
        a.fields.every((f, i) => {
          const g = y[i]!;
          return f.name === g.name && f.embedded === g.embedded && (f.tag ?? '') === (g.tag ?? '') && (isExportedName(f.name) || f.pkg === g.pkg) && identical(f.type, g.type);
        })
      );
    }
    case 'interface': {
      const y = b as Interface;
      // Only the plain method-only case is decided; embedded or type-set interfaces compare by object.
      if (a.embeddeds.length > 0 || y.embeddeds.length > 0) return false;
      return a.methods.length === y.methods.length && a.methods.every((m, i) => m.name === y.methods[i]!.name && identical(m.type(), y.methods[i]!.type()));
    }
    case 'typeparam':
      return a.id === (b as TypeParam).id;
    case 'union':
      return false;
  }
}

export function isExportedName(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

// ------------------------------------------------------------------ printing (types.TypeString)

/**
 * Prints `t` as go/types' TypeString with packages qualified by their import path. `ids`: type
 * parameters carry their identity (`T#12`), so two of the same name print apart (instance keys).
 */
export function typeString(t: Type | undefined, ids = false): string {
  const seen = new Set<Type>();
  const w = (t: Type | undefined): string => {
    if (!t) return '?';
    if (t.k !== 'tuple' && t.k !== 'union' && t.alias) {
      const o = t.alias.obj;
      let s = o.pkg ? `${o.pkg}.${o.name}` : o.name;
      if (t.alias.targs && t.alias.targs.length > 0) s += `[${t.alias.targs.map(w).join(', ')}]`;
      return s;
    }
    switch (t.k) {
      case 'basic':
        return t.name;
      case 'named': {
        const o = t.obj;
        let s = o.pkg ? `${o.pkg}.${o.name}` : o.name;
        if (t.targs && t.targs.length > 0) s += `[${t.targs.map(w).join(', ')}]`;
        return s;
      }
      case 'pointer':
        return `*${w(t.elem)}`;
      case 'slice':
        return `[]${w(t.elem)}`;
      case 'array':
        return `[${t.len}]${w(t.elem)}`;
      case 'map':
        return `map[${w(t.key)}]${w(t.elem)}`;
      case 'chan': {
        const pre = t.dir === 'send' ? 'chan<- ' : t.dir === 'recv' ? '<-chan ' : 'chan ';
        const paren = t.dir === 'both' && t.elem.k === 'chan' && t.elem.dir === 'recv';
        return pre + (paren ? `(${w(t.elem)})` : w(t.elem));
      }
      case 'tuple':
        return tuple(t, false);
      case 'signature':
        return `func${sig(t)}`;
      case 'struct': {
        if (seen.has(t)) return 'struct{...}';
        seen.add(t);
        const parts = t.fields.map((f) => {
          let s = f.embedded ? w(f.type) : `${f.name} ${w(f.type)}`;
          if (f.tag !== undefined && f.tag !== '') s += ` ${JSON.stringify(f.tag)}`;
          return s;
        });
        seen.delete(t);
        return `struct{${parts.join('; ')}}`;
      }
      case 'interface': {
        if (t.any) return 'any';
        if (t.implicit && t.methods.length === 0 && t.embeddeds.length === 1) return w(t.embeddeds[0]);
        const parts = [...t.methods.map((m) => m.name + sig(m.type()!)), ...t.embeddeds.map(w)];
        return `interface{${parts.join('; ')}}`;
      }
      case 'union':
        return t.terms.map((x) => (x.tilde ? '~' : '') + w(x.type)).join(' | ');
      case 'typeparam':
        return ids ? `${t.name}#${t.id}` : t.name;
    }
  };
  const tuple = (t: Tuple, variadic: boolean): string => {
    const parts = t.vars.map((v, i) => {
      let ty = w(v.type);
      if (variadic && i === t.vars.length - 1 && v.type?.k === 'slice') ty = `...${w(v.type.elem)}`;
      return v.name ? `${v.name} ${ty}` : ty;
    });
    return `(${parts.join(', ')})`;
  };
  const sig = (s: Signature): string => {
    let out = '';
    if (s.tparams && s.tparams.length > 0) {
      // As go/types: consecutive parameters with the same bound (object) share it: [K, V any].
      let prev: Type | undefined;
      out += '[';
      s.tparams.forEach((p, i) => {
        const b = p.constraint();
        if (i > 0) {
          if (b !== prev) out += ` ${w(prev)}`;
          out += ', ';
        }
        prev = b;
        out += p.name;
      });
      out += ` ${w(prev)}]`;
    }
    out += tuple(s.params, s.variadic);
    const r = s.results.vars;
    if (r.length === 0) return out;
    if (r.length === 1 && !r[0]!.name) return `${out} ${w(r[0]!.type)}`;
    return `${out} ${tuple(s.results, false)}`;
  };
  return w(t);
}
