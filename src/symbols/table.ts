/**
 * Per-package symbol tables over platforms: for every package-level name, method and struct
 * field, the set of target platforms on which the package declares it, and where.
 * Built from FileFacts and the per-file platform masks; no syntax trees.
 */
import type { DeclKind, FieldFact, Span, TypeExpr } from '../parser/facts.js';
import type { PackageModel, SourceFile } from '../model/program.js';
import type { PlatformMask } from '../platform/targets.js';

export interface DeclSite {
  file: SourceFile;
  span: Span;
  kind: DeclKind | 'method' | 'field';
  /** Platforms where this declaration is compiled in the unit. */
  mask: PlatformMask;
}

export interface SymbolInfo {
  /** Platforms where a non-test file declares it. */
  mask: PlatformMask;
  /** Platforms where any file of the unit (tests included) declares it. */
  maskAll: PlatformMask;
  sites: DeclSite[];
}

export interface TypeDeclSite {
  file: SourceFile;
  mask: PlatformMask;
  type: TypeExpr | undefined;
  alias: boolean;
  typeParams?: string[];
}

export interface SymbolTable {
  pkg: PackageModel;
  names: Map<string, SymbolInfo>;
  /** receiver type name → method name → info */
  methods: Map<string, Map<string, SymbolInfo>>;
  /** type name → its declarations (one per file that declares it) */
  types: Map<string, TypeDeclSite[]>;
  /** package-level var name → its declarations with their written types */
  vars: Map<string, { mask: PlatformMask; type: TypeExpr | undefined }[]>;
  /** type name → field name → info (direct fields of struct declarations only) */
  fields: Map<string, Map<string, SymbolInfo>>;
  /** type name → platforms where one of its declarations has an embedded field (promotion possible) */
  embeds: Map<string, PlatformMask>;
}

function add(map: Map<string, SymbolInfo>, name: string, site: DeclSite, isTest: boolean): void {
  let info = map.get(name);
  if (!info) map.set(name, (info = { mask: 0n, maskAll: 0n, sites: [] }));
  if (!isTest) info.mask |= site.mask;
  info.maskAll |= site.mask;
  info.sites.push(site);
}

/** Underlying struct fields of a type expression when it is a struct literal type. */
export function structFields(t: TypeExpr | undefined): FieldFact[] | undefined {
  return t && t.k === 'struct' ? t.fields : undefined;
}

export function buildSymbolTable(pkg: PackageModel): SymbolTable {
  const t: SymbolTable = {
    pkg,
    names: new Map(),
    methods: new Map(),
    types: new Map(),
    vars: new Map(),
    fields: new Map(),
    embeds: new Map(),
  };
  for (const { file, mask } of pkg.files) {
    const facts = file.facts;
    if (!facts) continue;
    for (const d of facts.decls) {
      add(t.names, d.name, { file, span: d.span, kind: d.kind, mask }, file.isTest);
      if (d.kind === 'type') {
        const l = t.types.get(d.name) ?? [];
        const site: TypeDeclSite = { file, mask, type: d.type, alias: d.alias === true };
        if (d.typeParams) site.typeParams = d.typeParams;
        l.push(site);
        t.types.set(d.name, l);
        const fields = structFields(d.type);
        if (fields && !d.alias) {
          let fm = t.fields.get(d.name);
          if (!fm) t.fields.set(d.name, (fm = new Map()));
          for (const f of fields) {
            if (f.embedded) t.embeds.set(d.name, (t.embeds.get(d.name) ?? 0n) | mask);
            if (f.name === '_') continue;
            add(fm, f.name, { file, span: f.span, kind: 'field', mask }, file.isTest);
          }
        }
        if (d.type && d.type.k === 'iface') t.embeds.set(d.name, (t.embeds.get(d.name) ?? 0n) | (d.type.embeds.length > 0 ? mask : 0n));
      } else if (d.kind === 'var') {
        const l = t.vars.get(d.name) ?? [];
        l.push({ mask, type: d.type });
        t.vars.set(d.name, l);
      }
    }
    for (const m of facts.methods) {
      let mm = t.methods.get(m.recv);
      if (!mm) t.methods.set(m.recv, (mm = new Map()));
      add(mm, m.name, { file, span: m.span, kind: 'method', mask }, file.isTest);
    }
  }
  return t;
}

/** Predeclared identifiers of the universe scope (Go 1.21+). */
export const PREDECLARED: ReadonlySet<string> = new Set([
  'any', 'bool', 'byte', 'comparable', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8',
  'int16', 'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'true', 'false', 'iota', 'nil', 'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len',
  'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover',
]);

/** Go's rule for exported identifiers: the first character is an upper-case letter. */
export function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/** The named type a type expression denotes (through one pointer): local `{name}` or `{pkg, name}`. */
export function namedOf(t: TypeExpr | undefined): { pkg?: string; name: string } | undefined {
  if (!t) return undefined;
  if (t.k === 'ptr') t = t.elem;
  if (t.k === 'name') return { name: t.name };
  if (t.k === 'qual') return { pkg: t.pkg, name: t.name };
  return undefined;
}
