/**
 * FileFacts: everything goport keeps about one Go file after its single parse.
 *
 * Facts are plain, platform-independent, JSON-serializable data (no tree-sitter nodes), so that a
 * cache and worker threads can hold them. Rules never see syntax trees: they read these facts.
 *
 * Positions are 1-based lines and 1-based columns counted in UTF-8 bytes (as `go vet` prints them).
 */

/**
 * [line, column, endLine, endColumn], 1-based, columns in bytes.
 * The end is exclusive (the column just past the last byte), as go/token's `End()`.
 */
export type Span = [number, number, number, number];

/**
 * A type as written in source, resolved as far as the file alone allows.
 * `name` refers to a package-level type of the file's package or a predeclared type
 * (which one is decided later, per platform); `qual` to a type of an imported package,
 * `pkg` being the import's *path*.
 */
export type TypeExpr =
  | { k: 'name'; name: string; args?: TypeExpr[] }
  | { k: 'qual'; pkg: string; name: string; args?: TypeExpr[] }
  | { k: 'ptr'; elem: TypeExpr }
  | { k: 'slice'; elem: TypeExpr }
  /** len: the constant length when the file alone gives it (a literal), else the expression text. */
  | { k: 'array'; len: number | string; elem: TypeExpr }
  | { k: 'map'; key: TypeExpr; value: TypeExpr }
  | { k: 'chan'; elem: TypeExpr }
  | { k: 'func' }
  /** methods: names of the interface's explicit methods; embeds: embedded interfaces/constraints. */
  | { k: 'iface'; methods: string[]; embeds: TypeExpr[] }
  | { k: 'struct'; fields: FieldFact[] }
  /** A type parameter of the enclosing declaration. */
  | { k: 'tparam'; name: string }
  | { k: 'unknown'; text: string };

export interface FieldFact {
  /** Field name; for an embedded field, the type's base name. */
  name: string;
  type: TypeExpr;
  embedded: boolean;
  span: Span;
  /** Raw struct tag, if any (without quotes). */
  tag?: string;
}

export interface ImportFact {
  /** Import path, unquoted. */
  path: string;
  /** How the file refers to it: the alias, or null when no alias was written (the package's own name applies). */
  alias: string | null;
  kind: 'normal' | 'dot' | 'blank';
  span: Span;
}

export type DeclKind = 'const' | 'var' | 'func' | 'type';

/** A package-level declaration (methods are in `methods`). */
export interface DeclFact {
  name: string;
  kind: DeclKind;
  span: Span;
  /** type decls: the type (its underlying type literal or the named type it is defined from);
   *  var/const decls: the declared type when written. */
  type?: TypeExpr;
  /** `type A = B` */
  alias?: boolean;
  /** Type parameter names of a generic type or function. */
  typeParams?: string[];
}

export interface MethodFact {
  /** Receiver base type name (without `*` or type arguments). */
  recv: string;
  ptr: boolean;
  name: string;
  span: Span;
}

/** An identifier that no local scope declares: it names a package-level, universe or dot-imported entity. */
export interface RefFact {
  name: string;
  span: Span;
}

/** `p.Name` where `p` is an import of the file (not shadowed): `pkg` is the import path. */
export interface QualRefFact {
  pkg: string;
  name: string;
  /** Span of the whole `p.Name`. */
  span: Span;
}

/**
 * The root of a selector chain whose type is known with certainty.
 * - `type`: a local value (receiver, parameter, variable, composite literal, new(T), &T{}, x.(T)) of that type
 * - `global`: a package-level variable of the file's package (its type is looked up per platform)
 * - `qualGlobal`: a package-level variable of an imported package
 * - `typeName`: a method expression or value on a type itself, `T.M`
 */
export type SelectorRoot =
  | { k: 'type'; type: TypeExpr }
  | { k: 'global'; name: string }
  | { k: 'qualGlobal'; pkg: string; name: string }
  | { k: 'typeName'; type: TypeExpr };

/** `x.a.b.c`: selections after a root of known type. `path[i]` is a field or method name. */
export interface SelectorFact {
  root: SelectorRoot;
  path: string[];
  /** span of each selected name in `path`. */
  spans: Span[];
}

/** `T{Key: v}` with a named literal type: `Key` is a field if T is a struct, else an expression. */
export interface LitKeyFact {
  type: TypeExpr;
  key: string;
  span: Span;
  /** Set when `key` also names a local variable/constant in scope: if T is not a struct, the key is
   *  that local (not a package-level reference). */
  local?: boolean;
}

/** A reference goport could not resolve, counted for `--verbose` (never reported). */
export interface SkipFact {
  reason: string;
  span: Span;
}

/**
 * Extensible fact map: each extractor (src/parser/extractors/*) adds its own key through
 * declaration merging, e.g. `declare module '../facts.js' { interface FactMap { atomicCalls: AtomicCall[] } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface FactMap {}

export interface FileFacts {
  /** Path relative to the analysis root, `/`-separated. */
  path: string;
  pkgName: string;
  /** True for files carrying Go's `// Code generated ... DO NOT EDIT.` marker. */
  generated: boolean;
  /** tree-sitter ERROR/MISSING nodes (at most a few). */
  syntaxErrors: Span[];
  imports: ImportFact[];
  decls: DeclFact[];
  methods: MethodFact[];
  refs: RefFact[];
  qualRefs: QualRefFact[];
  selectors: SelectorFact[];
  litKeys: LitKeyFact[];
  skips: SkipFact[];
  /** Facts of the optional extractors, by name. */
  extra: Partial<FactMap>;
  /** Set when the file's bytes are not valid UTF-8 (Go rejects such files); columns are then approximate. */
  invalidUtf8?: boolean;
}
