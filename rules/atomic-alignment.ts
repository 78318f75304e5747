/**
 * atomic-alignment: a 64-bit atomic operation on a word that is not 8-byte aligned on a 32-bit
 * platform ("panic: unaligned 64-bit atomic operation" on 386, arm, mips, mipsle).
 *
 * For every `atomic.AddInt64(&x.a.b.f, …)` (and the other 64-bit functions of sync/atomic) and every
 * method call on a go.uber.org/atomic Int64/Uint64/Float64/Duration field, the field's offset is
 * computed on each 32-bit target along the whole selection path, from the start of the allocation it
 * lives in (a pointer in the path starts a new one). Calls of functions and methods whose pointer
 * parameter or receiver reaches such an operation are judged at the call site, with the atomic
 * summaries of the type layer (src/types/atomic.ts).
 */
import { defineRule, type RuleContext } from '../src/engine/define-rule.js';
import type { Related } from '../src/engine/types.js';
import { PackageTypeScope, typeScopes, type TypeScopes } from '../src/engine/type-scopes.js';
import type { Workspace } from '../src/engine/workspace.js';
import {
  archLayout, isStdPath, layoutOf, offsetOfPath, stdDef,
  type ArchLayout, type NamedDef, type NamedRef, type TypeResolver,
} from '../src/layout/index.js';
import type { PackageModel, SourceFile } from '../src/model/program.js';
import type { AtomicCallFact, AtomicStep } from '../src/parser/extractors/atomic-calls.js';
import type { FieldFact, Span, TypeExpr } from '../src/parser/facts.js';
import { PTR_SIZE } from '../src/platform/known.js';
import type { Platform, PlatformMask } from '../src/platform/targets.js';
import { PREDECLARED } from '../src/symbols/table.js';
import { atomicSummaries, type MisalignedCall, WRAPPER_TYPES } from '../src/types/atomic.js';
import { typeLayer } from '../src/types/layer.js';

type Msg = 'misaligned' | 'elementMisaligned' | 'callMisaligned';

/** Wrapper types that are a plain 64-bit word (only 4-aligned on 32-bit platforms) → the sync/atomic type to use. */
const WRAPPERS = WRAPPER_TYPES;

/** Related notes per finding. */
const MAX_NOTES = 6;

// ------------------------------------------------------------------------------------------------
// Types in their scopes.

/** A type as written in some scope; `file` is where it is written, when goport has read it. */
interface Pos {
  t: TypeExpr;
  scope: TypeResolver;
  file?: SourceFile;
}

interface Named {
  /** Identity: declaring package id (or std:path) and name. */
  id: string;
  name: string;
}

interface Under extends Pos {
  /** The first named type followed (the type as written), if any. */
  named?: Named;
}

type Fail = { fail: string };
const fail = (reason: string): Fail => ({ fail: reason });
const isFail = (x: unknown): x is Fail => typeof x === 'object' && x !== null && 'fail' in x;

function scopeId(s: TypeResolver): string {
  return s instanceof PackageTypeScope ? s.pkg.id : `std:${s.pkgPath ?? '?'}`;
}

const BASIC = new Set(['bool', 'int8', 'uint8', 'byte', 'int16', 'uint16', 'int32', 'uint32', 'rune', 'float32', 'int64',
  'uint64', 'float64', 'complex64', 'complex128', 'int', 'uint', 'uintptr', 'string', 'error', 'any']);

/** The definition `t` names in `scope`, as the layout engine finds it; 'basic' for predeclared types. */
function resolve(t: NamedRef, scope: TypeResolver, goMinor: number): NamedDef | 'basic' | undefined {
  if (t.k === 'name') {
    const def = scope.resolveNamed(t);
    if (def) return def;
    return BASIC.has(t.name) && PREDECLARED.has(t.name) ? 'basic' : undefined;
  }
  if (t.pkg === 'unsafe') return t.name === 'Pointer' ? 'basic' : undefined;
  const table = () => stdDef(t.pkg, t.name, goMinor);
  const tree = () => scope.resolveNamed(t);
  return isStdPath(t.pkg) ? table() ?? tree() : tree() ?? table();
}

/** What the path walk needs: the scopes, the Go release (std layouts) and the package being checked. */
interface Env {
  scopes: TypeScopes;
  goMinor: number;
  home: PackageModel;
}

/** `Name` for a type of the package being checked, `pkg.Name` for another package's. */
function nameIn(def: NamedDef, name: string, env: Env): string {
  const s = def.scope;
  if (s instanceof PackageTypeScope) return s.pkg.dir === env.home.dir ? name : `${s.pkg.name}.${name}`;
  const path = s.pkgPath ?? '';
  return path ? `${path.slice(path.lastIndexOf('/') + 1)}.${name}` : name;
}

/** Follows named types to a type literal (or a predeclared type). */
function underlying(p: Pos, env: Env): Under | Fail {
  let cur: Pos = p;
  let named: Named | undefined;
  for (let i = 0; i < 32; i++) {
    const t = cur.t;
    if (t.k === 'tparam') return fail('generic-type');
    if (t.k !== 'name' && t.k !== 'qual') return named ? { ...cur, named } : { ...cur };
    if (t.args?.length) return fail('generic-type');
    const def = resolve(t, cur.scope, env.goMinor);
    if (def === 'basic') return named ? { ...cur, named } : { ...cur };
    if (!def) return fail('unknown-type');
    if (def.typeParams?.length) return fail('generic-type');
    named ??= { id: `${scopeId(def.scope)}#${t.name}`, name: nameIn(def, t.name, env) };
    const file = env.scopes.fileOf(def.type);
    cur = { t: def.type, scope: def.scope, ...(file ? { file } : {}) };
  }
  return fail('type-cycle');
}

interface StructAt extends Under {
  t: Extract<TypeExpr, { k: 'struct' }>;
  viaPtr: boolean;
}

/** The struct `p` denotes, directly or through one pointer (selection dereferences implicitly). */
function structOf(p: Pos, env: Env): StructAt | Fail {
  let u = underlying(p, env);
  if (isFail(u)) return u;
  let viaPtr = false;
  if (u.t.k === 'ptr') {
    viaPtr = true;
    u = underlying({ t: u.t.elem, scope: u.scope, ...(u.file ? { file: u.file } : {}) }, env);
    if (isFail(u)) return u;
  }
  if (u.t.k !== 'struct') return fail('not-a-struct');
  return { ...u, t: u.t, viaPtr };
}

/** Offset of field `i`: it depends only on the fields before it and its own alignment. */
function fieldOffset(fields: readonly FieldFact[], i: number, arch: ArchLayout, scope: TypeResolver): number | undefined {
  return layoutOf({ k: 'struct', fields: fields.slice(0, i + 1) }, arch, scope)?.fields?.[i]?.offset;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function arrayLen(len: number | string, scope: TypeResolver): number | undefined {
  if (typeof len === 'number') return len;
  if (len === '...') return undefined;
  return scope.constValue?.(len);
}

// ------------------------------------------------------------------------------------------------
// The path from the allocation to the word.

interface StepRec {
  /** Offset from the allocation start. */
  offset: number;
  /** The struct that declares the field, for the message. */
  struct: string;
  /** Where that struct's fields are written, when in the tree (for the move-field fix). */
  decl?: { file: SourceFile; fields: readonly FieldFact[]; index: number };
}

interface Access {
  /** Offset of the word from the start of its allocation (index 0 for variable indexes). */
  offset: number;
  /** gcd of the strides of variable indexes since the allocation start (0: none). */
  stride: number;
  /** The element type whose stride is not a multiple of 8 (for the message). */
  strideElem?: string;
  baseName: string;
  /** Field names selected since the allocation start (implicit embedded ones left out). */
  fields: string[];
  steps: StepRec[];
  /** Declaration of the last field selected. */
  decl?: { file: SourceFile; span: Span };
  /** Type of the addressed value. */
  final: Pos;
}

function evalAccess(
  root: Pos, rootKind: 'local' | 'fresh' | 'var', steps: readonly AtomicStep[], arch: ArchLayout, env: Env,
): Access | Fail {
  // A pointer root (receiver, parameter, local) is taken to point to the start of an allocation:
  // where it really points is its callers' business (atomic summaries, src/types/atomic.ts), so a
  // method is never reported because some container holds its type misaligned.
  let cur: Pos = root;
  const top = underlying(root, env);
  if (isFail(top)) return top;
  if (top.t.k === 'ptr') cur = { t: top.t.elem, scope: top.scope, ...(top.file ? { file: top.file } : {}) };
  const start = underlying(cur, env);
  if (isFail(start)) return start;
  const a: Access = {
    offset: 0, stride: 0, baseName: start.named?.name ?? (start.t.k === 'array' ? 'array' : 'struct'), fields: [], steps: [], final: cur,
  };
  const reset = (name: string) => {
    a.offset = 0;
    a.stride = 0;
    delete a.strideElem;
    a.fields = [];
    a.steps = [];
    a.baseName = name;
  };

  for (const step of steps) {
    if (typeof step === 'string') {
      // A field declared by the struct itself needs only the fields before it; a promoted one is
      // looked up through the embedded structs by the layout engine.
      const own = structOf(cur, env);
      if (isFail(own)) return own;
      const direct = own.t.fields.some((f) => f.name === step);
      const path = direct ? [{ name: step, implicit: false }] : offsetOfPath(cur.t, [step], arch, cur.scope)?.steps;
      if (!path) return fail('unknown-layout');
      for (const ps of path) {
        const st = structOf(cur, env);
        if (isFail(st)) return st;
        if (st.viaPtr) reset(st.named?.name ?? 'struct');
        const i = st.t.fields.findIndex((f) => f.name === ps.name);
        const off = i < 0 ? undefined : fieldOffset(st.t.fields, i, arch, st.scope);
        if (off === undefined) return fail('unknown-layout');
        const fd: FieldFact = st.t.fields[i]!;
        a.offset += off;
        a.steps.push({ offset: a.offset, struct: st.named?.name ?? a.baseName, ...(st.file ? { decl: { file: st.file, fields: st.t.fields, index: i } } : {}) });
        if (!ps.implicit) a.fields.push(ps.name);
        if (st.file) a.decl = { file: st.file, span: fd.span };
        else delete a.decl;
        cur = { t: fd.type, scope: st.scope, ...(st.file ? { file: st.file } : {}) };
      }
      continue;
    }
    // An index step.
    let u = underlying(cur, env);
    if (isFail(u)) return u;
    if (u.t.k === 'ptr') {
      // (*[N]T)[i]: the array is somewhere else.
      u = underlying({ t: u.t.elem, scope: u.scope, ...(u.file ? { file: u.file } : {}) }, env);
      if (isFail(u)) return u;
      if (u.t.k !== 'array') return fail('not-indexable');
      reset('array');
    }
    if (u.t.k !== 'array' && u.t.k !== 'slice') return fail('not-indexable');
    const elem: Pos = { t: u.t.elem, scope: u.scope, ...(u.file ? { file: u.file } : {}) };
    const el = layoutOf(elem.t, arch, elem.scope);
    if (!el) return fail('unknown-layout');
    const elemU = underlying(elem, env);
    const elemName = !isFail(elemU) && elemU.named ? elemU.named.name : 'element';
    let varies: boolean;
    if (u.t.k === 'slice') {
      reset(elemName);
      varies = step === null;
    } else {
      const n = arrayLen(u.t.len, u.scope);
      if (n === undefined && step === null && el.size % 8 !== 0) return fail('unknown-array-length');
      varies = step === null && n !== undefined && n > 1;
      // `x.counts[i]`: the index is part of the field's name in the message.
      const ix = `[${step ?? 'i'}]`;
      if (a.fields.length > 0) a.fields[a.fields.length - 1] += ix;
      else a.baseName += ix;
    }
    if (typeof step === 'number') a.offset += step * el.size;
    else if (varies) {
      a.stride = gcd(a.stride, el.size);
      if (el.size % 8 !== 0) a.strideElem ??= elemName;
    }
    cur = elem;
  }
  a.final = cur;
  return a;
}

// ------------------------------------------------------------------------------------------------

const is32 = (p: Platform) => PTR_SIZE[p.goarch] === 4;

function wrapperOf(t: TypeExpr): { pkg: string; name: string; fix: string } | undefined {
  if (t.k !== 'qual') return undefined;
  const fix = WRAPPERS[t.pkg]?.[t.name];
  return fix ? { pkg: t.pkg, name: t.name, fix: `sync/atomic.${fix}` } : undefined;
}

const wrapperUse = new WeakMap<Workspace, boolean>();

/** Whether any file of the tree imports a wrapper package (else method calls need no look). */
function treeUsesWrappers(ws: Workspace): boolean {
  let u = wrapperUse.get(ws);
  if (u === undefined) {
    u = ws.program.packages.some((p) => p.files.some(({ file }) => file.facts?.imports.some((i) => Object.hasOwn(WRAPPERS, i.path))));
    wrapperUse.set(ws, u);
  }
  return u;
}

interface Outcome {
  messageId: Msg;
  data: Record<string, string>;
  suggestion: string;
  notes: { file: SourceFile; span: Span; note: string }[];
  fix?: { description: string; edits: { file: SourceFile; span: Span; text: string; copy?: Span }[] };
}

/** Field types that are never 64-bit words, so moving a field before them cannot misalign an atomic. */
const NOT_64BIT = new Set(['bool', 'int8', 'uint8', 'byte', 'int16', 'uint16', 'int32', 'uint32', 'rune', 'float32', 'int', 'uint', 'uintptr', 'string', 'error']);
const never64 = (t: TypeExpr): boolean =>
  (t.k === 'name' && NOT_64BIT.has(t.name)) || t.k === 'ptr' || t.k === 'slice' || t.k === 'map' || t.k === 'chan' || t.k === 'func' || t.k === 'iface';

/**
 * The edit that moves a misaligned 64-bit field, written on lines of its own, to the start of its
 * struct: the fields before it shift by 8 bytes (their alignment mod 8 is unchanged), so the fix is
 * offered only when no field after it can hold a 64-bit word and the struct sits aligned itself
 * (every step before the field is at a multiple of 8).
 */
function moveFieldFix(a: Access): Outcome['fix'] {
  const last = a.steps[a.steps.length - 1];
  const d = last?.decl;
  if (!d || d.index === 0 || a.steps.slice(0, -1).some((s) => s.offset % 8 !== 0)) return undefined;
  const f = d.fields[d.index]!;
  const first = d.fields[0]!;
  const lines = (x: FieldFact) => [x.span[0], x.span[2]] as const;
  const [fl, fel] = lines(f);
  const shares = d.fields.some((o, i) => i !== d.index && lines(o)[0] <= fel && lines(o)[1] >= fl);
  if (shares || first.span[0] === fl || d.fields.slice(d.index + 1).some((o) => !never64(o.type))) return undefined;
  return {
    description: `move ${f.name} to the start of ${last.struct}`,
    edits: [
      { file: d.file, span: [first.span[0], 1, first.span[0], 1], text: '', copy: [fl, 1, fel + 1, 1] },
      { file: d.file, span: [fl, 1, fel + 1, 1], text: '' },
    ],
  };
}

export default defineRule<Msg>({
  meta: {
    id: 'atomic-alignment',
    title: 'misaligned 64-bit atomic access on 32-bit platforms',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: {
      misaligned: '{call} on non 64-bit aligned field {field}: move it to the start of {struct} or use {fix}',
      elementMisaligned:
        '{call} on {field}, which is not 64-bit aligned in elements after the first of an array or slice of {type} (its size is not a multiple of 8): pad {type} or use {fix}',
      callMisaligned:
        '{call} makes a 64-bit atomic access ({via}) to {arg}, which is not 64-bit aligned (offset {offset}): move it to the start of its struct or use {fix}',
    },
  },
  prepare(ctx) {
    // What the atomic summaries need of this package's calls, before its body types are released.
    const { pkg, targets, workspace: ws } = ctx;
    const mask32 = targets.maskOf(is32);
    if ((mask32 & pkg.mask) === 0n || !treeImportsAtomic(ws)) return;
    atomicSummaries(typeLayer(ws), ctx.program.opts.build.goMinor).collect(pkg, targets.platforms(mask32).map((p) => ({ bit: targets.bit(p.id), goarch: p.goarch })));
  },
  check(ctx) {
    const { pkg, targets, workspace: ws } = ctx;
    const mask32 = targets.maskOf(is32) & pkg.mask;
    if (mask32 === 0n) return;
    if (!treeImportsAtomic(ws)) return;
    const files = pkg.files.filter(({ file, mask }) => (mask & mask32) !== 0n && file.facts?.extra.atomicCalls?.calls.length);
    const scopes = typeScopes(ws);
    const goMinor = ctx.program.opts.build.goMinor;
    const wrappers = treeUsesWrappers(ws);
    const platforms = targets.platforms(mask32).map((p) => ({ p, bit: targets.bit(p.id) }));
    reportSummarized(ctx, mask32, platforms, goMinor);

    for (const { file, mask } of files) {
      for (const call of file.facts!.extra.atomicCalls!.calls) {
        if (call.kind === 'method' && !wrappers) continue;
        checkCall(ctx, scopes, file, mask & mask32, call, platforms, goMinor);
      }
    }
  },
});

const atomicUse = new WeakMap<Workspace, boolean>();

/** Whether any file of the tree imports sync/atomic or a wrapper package (else nothing to summarize). */
function treeImportsAtomic(ws: Workspace): boolean {
  let u = atomicUse.get(ws);
  if (u === undefined) {
    u = ws.program.packages.some((p) => p.files.some(({ file }) => file.facts?.imports.some((i) => i.path === 'sync/atomic' || Object.hasOwn(WRAPPERS, i.path))));
    atomicUse.set(ws, u);
  }
  return u;
}

/**
 * Calls of functions and methods whose pointer parameter or receiver reaches a 64-bit atomic
 * operation (atomic summaries), with an argument that is not 64-bit aligned; and direct atomic
 * calls through a local pointer. One finding per call and message, over the platforms that agree.
 */
function reportSummarized(ctx: RuleContext<Msg>, mask32: PlatformMask, platforms: { p: Platform; bit: PlatformMask }[], goMinor: number): void {
  const sums = atomicSummaries(typeLayer(ctx.workspace), goMinor);
  const byKey = new Map<string, { f: MisalignedCall; data: Record<string, string>; mask: PlatformMask }>();
  const unknown = new Map<string, string>();
  for (const { p, bit } of platforms) {
    if ((mask32 & bit) === 0n) continue;
    const ans = sums.findings(ctx.pkg, bit, p.goarch);
    for (const u of ans.unknown) unknown.set(JSON.stringify([u.file.path, u.span]), u.reason);
    for (const f of ans.calls) {
      const offset = `${f.offset}${f.stride ? ` + ${f.stride}×i` : ''}`;
      const data = { call: f.direct ? f.callee : `${f.callee}(…)`, via: f.via, arg: f.arg, offset, fix: f.fix };
      const key = JSON.stringify([f.file.path, f.span, data]);
      const g = byKey.get(key);
      if (g) g.mask |= bit;
      else byKey.set(key, { f, data, mask: bit });
    }
  }
  for (const r of unknown.values()) ctx.skip(r);
  for (const { f, data, mask } of byKey.values()) {
    ctx.report({
      file: f.file, span: f.span, messageId: 'callMisaligned', data, platforms: mask, symbol: f.arg,
      suggestion: `move the 64-bit word to the start of its struct, or use ${f.fix}`,
    });
  }
}

function checkCall(
  ctx: RuleContext<Msg>, scopes: TypeScopes, file: SourceFile, live: PlatformMask, call: AtomicCallFact,
  platforms: { p: Platform; bit: PlatformMask }[], goMinor: number,
): void {
  const { pkg, workspace: ws } = ctx;
  if (call.root.k === 'unknown') {
    if (call.kind === 'func') ctx.skip(call.root.reason);
    return;
  }
  const byKey = new Map<string, { o: Outcome; mask: PlatformMask; notes: Map<string, { file: SourceFile; span: Span; note: string; ids: string[] }> }>();
  const skipped = new Set<string>();
  const skip = (reason: string) => skipped.add(reason);
  /** Method calls matter only on a wrapper type: skips of other method calls are not counted. */
  let relevant = call.kind === 'func';
  for (const { p, bit } of platforms) {
    if ((live & bit) === 0n) continue;
    const arch = archLayout(p.goarch, goMinor);
    const root = rootPos(call, pkg, ws, scopes, bit);
    if (isFail(root)) {
      skip(root.fail);
      continue;
    }
    const a = evalAccess(root.pos, root.kind, call.steps, arch, { scopes, goMinor, home: pkg });
    if (isFail(a)) {
      skip(a.fail);
      continue;
    }
    let callName: string;
    let fix: string;
    if (call.kind === 'method') {
      const w = wrapperOf(a.final.t);
      if (!w) continue; // not a 64-bit wrapper: not this rule's business
      relevant = true;
      callName = `${w.pkg}.${w.name}.${call.name}`;
      fix = w.fix;
    } else {
      callName = `atomic.${call.name}`;
      fix = call.name.endsWith('Uint64') ? 'atomic.Uint64' : 'atomic.Int64';
    }
    const o = outcome(a, callName, fix);
    if (!o) continue;
    const key = JSON.stringify([o.messageId, o.data]);
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { o, mask: 0n, notes: new Map() }));
    g.mask |= bit;
    for (const n of o.notes) {
      const nk = JSON.stringify([n.file.path, n.span, n.note]);
      const e = g.notes.get(nk);
      if (e) e.ids.push(p.id);
      else g.notes.set(nk, { ...n, ids: [p.id] });
    }
  }
  // A path goport could not follow on some platform is counted; findings stand on the others.
  if (relevant) for (const r of skipped) ctx.skip(r);
  for (const { o, mask, notes } of byKey.values()) {
    // One fix for every platform, or none: a struct whose layout differs by platform is left alone.
    const fixes = new Set([...byKey.values()].map((g) => JSON.stringify(g.o.fix?.edits.map((e) => [e.file.path, e.span, e.copy]) ?? null)));
    const related: Related[] = [...notes.values()].slice(0, MAX_NOTES).map((n) => ({
      file: n.file.path, line: n.span[0], column: n.span[1], message: `${n.note} on ${n.ids.join(', ')}`,
    }));
    ctx.report({
      file, span: call.span, messageId: o.messageId, data: o.data, platforms: mask,
      symbol: o.data.field, related, suggestion: o.suggestion,
      ...(o.fix && fixes.size === 1 ? { fix: o.fix } : {}),
    });
  }
}

function outcome(a: Access, call: string, fix: string): Outcome | undefined {
  const field = [a.baseName, ...a.fields].join('.');
  const declNote = (note: string) => (a.decl ? [{ file: a.decl.file, span: a.decl.span, note }] : []);
  if (a.offset % 8 !== 0) {
    // The first field on the way that is misaligned is the one to move.
    const culprit = a.steps.find((s) => s.offset % 8 !== 0);
    const struct = culprit?.struct ?? a.baseName;
    const move = culprit === a.steps[a.steps.length - 1] && a.stride % 8 === 0 ? moveFieldFix(a) : undefined;
    return {
      messageId: 'misaligned',
      data: { call, field, struct, fix },
      suggestion: `move the field to the start of ${struct}, or use ${fix}`,
      notes: declNote(`${field} is at offset ${a.offset}${a.stride ? ` + ${a.stride}×i` : ''} (needs a multiple of 8)`),
      ...(move ? { fix: move } : {}),
    };
  }
  if (a.stride % 8 !== 0) {
    const type = a.strideElem ?? 'element';
    return {
      messageId: 'elementMisaligned',
      data: { call, field, type, fix },
      suggestion: `pad ${type} to a multiple of 8 bytes with the 64-bit field first, or use ${fix}`,
      notes: declNote(`${field} is at offset ${a.offset} + ${a.stride}×i (needs a multiple of 8)`),
    };
  }
  return undefined;
}

/** The root's type on one platform, with the scope it is written in. */
function rootPos(
  call: AtomicCallFact, pkg: PackageModel, ws: Workspace, scopes: TypeScopes, bit: PlatformMask,
): { pos: Pos; kind: 'local' | 'fresh' | 'var' } | Fail {
  const r = call.root;
  switch (r.k) {
    case 'local':
    case 'fresh':
      return { pos: { t: r.type, scope: scopes.scope(pkg, bit, true) }, kind: r.k };
    case 'global':
    case 'qualGlobal': {
      let owner: PackageModel | undefined = pkg;
      let scope: TypeResolver = scopes.scope(pkg, bit, true);
      if (r.k === 'qualGlobal') {
        const s = scopes.importScope(pkg, r.pkg, bit);
        if (!s) return fail('import-outside-tree');
        owner = s.pkg;
        scope = s;
      }
      const vars = ws.symbols(owner).vars.get(r.name)?.filter((v) => (v.mask & bit) !== 0n);
      if (!vars || vars.length !== 1) return fail(vars?.length ? 'var-declared-twice' : 'not-a-package-var');
      const t = vars[0]!.type;
      if (!t) return fail('untyped-package-var');
      return { pos: { t, scope }, kind: 'var' };
    }
    default:
      return fail('unknown-root');
  }
}
