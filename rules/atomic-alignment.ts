/**
 * atomic-alignment: a 64-bit atomic operation on a word that is not 8-byte aligned on a 32-bit
 * platform ("panic: unaligned 64-bit atomic operation" on 386, arm, mips, mipsle).
 *
 * Everything goes through the type layer (src/types/atomic.ts): for every `atomic.AddInt64(&x.a.b.f, …)`
 * (and the other 64-bit functions of sync/atomic) and every method call on a go.uber.org/atomic
 * Int64/Uint64/Float64/Duration, the address operand is followed through fields, embedded fields,
 * locals (`p := &s.x`), pointers and array elements, across packages, and its offset from the start
 * of the allocation it lives in (a pointer on the way starts a new one) is computed with gc's layout
 * rules on the type layer's types (src/layout/types.ts: std, vendored and module types alike, from
 * their declarations). Calls of functions and methods whose pointer parameter or receiver reaches such
 * an operation are judged at the call site (atomic summaries). The work is done once per arch group
 * (platforms with the same types and layout), not per platform.
 */
import { defineRule, type RuleContext } from '../src/engine/define-rule.js';
import type { Related } from '../src/engine/types.js';
import type { Workspace } from '../src/engine/workspace.js';
import type { PackageModel, SourceFile } from '../src/model/program.js';
import type { FieldFact, Span, TypeExpr } from '../src/parser/facts.js';
import { PTR_SIZE } from '../src/platform/known.js';
import type { Platform, PlatformMask } from '../src/platform/targets.js';
import { type Addr, atomicSummaries, type MisalignedDirect, type PathStep, summaryBodies, WRAPPER_TYPES } from '../src/types/atomic.js';
import type { TypeDeclSite } from '../src/symbols/table.js';
import { typeLayer } from '../src/types/layer.js';

type Msg = 'misaligned' | 'elementMisaligned' | 'callMisaligned';

/** Wrapper types that are a plain 64-bit word (only 4-aligned on 32-bit platforms) → the sync/atomic type to use. */
const WRAPPERS = WRAPPER_TYPES;

/** Related notes per finding. */
const MAX_NOTES = 6;

// ------------------------------------------------------------------------------------------------
// Where the fields on the way are written (for notes and the move-field fix).

/** The written fields of a struct in the tree, and the file. */
interface Written { file: SourceFile; fields: readonly FieldFact[] }

interface StepRec {
  offset: number;
  struct: string;
  decl?: { file: SourceFile; fields: readonly FieldFact[]; index: number };
}

/** The struct a named type of the tree declares on platform `bit`, as written (`decls`: its declarations in its package, from the summaries). */
function writtenNamed(step: PathStep, decls: readonly TypeDeclSite[] | undefined, bit: PlatformMask): Written | undefined {
  if (step.name === undefined || !step.model) return undefined;
  const sites = decls?.filter((s) => (s.mask & bit) !== 0n);
  const t = sites?.length === 1 ? sites[0]!.type : undefined;
  if (t?.k !== 'struct' || t.fields.length !== step.fieldCount) return undefined;
  return { file: sites![0]!.file, fields: t.fields };
}

function stepRecs(steps: readonly PathStep[], sites: MisalignedDirect['sites'], bit: PlatformMask): StepRec[] {
  let prev: Written | undefined;
  let prevIndex = -1;
  return steps.map((s, i) => {
    let w: Written | undefined;
    if (s.named) w = writtenNamed(s, sites[i], bit);
    else if (s.nested && prev) {
      const t: TypeExpr | undefined = prev.fields[prevIndex]?.type;
      if (t?.k === 'struct' && t.fields.length === s.fieldCount) w = { file: prev.file, fields: t.fields };
    }
    prev = w;
    prevIndex = s.index;
    return { offset: s.offset, struct: s.label, ...(w ? { decl: { file: w.file, fields: w.fields, index: s.index } } : {}) };
  });
}

// ------------------------------------------------------------------------------------------------

const is32 = (p: Platform) => PTR_SIZE[p.goarch] === 4;

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
function moveFieldFix(steps: readonly StepRec[]): Outcome['fix'] {
  const last = steps[steps.length - 1];
  const d = last?.decl;
  if (!d || d.index === 0 || steps.slice(0, -1).some((s) => s.offset % 8 !== 0)) return undefined;
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
  bodies({ program, workspace: ws, targets, focus }) {
    // The functions of other files whose summaries the calls in the focus files may need.
    if ((targets.maskOf(is32) & program.packages.reduce((m, p) => m | p.mask, 0n)) === 0n || !treeImportsAtomic(ws)) return new Map();
    return summaryBodies(typeLayer(ws), focus);
  },
  check(ctx) {
    const { pkg, targets, workspace: ws } = ctx;
    const mask32 = targets.maskOf(is32) & pkg.mask;
    if (mask32 === 0n) return;
    if (!treeImportsAtomic(ws)) return;
    const platforms = targets.platforms(mask32).map((p) => ({ p, bit: targets.bit(p.id) }));
    report(ctx, mask32, platforms, ctx.program.opts.build.goMinor);
  },
});

const atomicUse = new WeakMap<Workspace, boolean>();

/** Whether any file of the tree imports sync/atomic or a wrapper package (else nothing to summarize); from the headers: packages are checked while later ones are still being parsed. */
function treeImportsAtomic(ws: Workspace): boolean {
  let u = atomicUse.get(ws);
  if (u === undefined) {
    u = ws.program.packages.some((p) => p.files.some(({ file }) => file.header.imports.some((i) => i.path === 'sync/atomic' || Object.hasOwn(WRAPPERS, i.path))));
    atomicUse.set(ws, u);
  }
  return u;
}

interface Group { o: Outcome; mask: PlatformMask; notes: Map<string, { file: SourceFile; span: Span; note: string; ids: string[] }> }

/**
 * Direct 64-bit atomic accesses at a misaligned address, and calls of functions and methods whose
 * pointer parameter or receiver reaches one (atomic summaries) with a misaligned argument. One
 * finding per call and message, over the platforms that agree; computed per arch group.
 */
function report(ctx: RuleContext<Msg>, mask32: PlatformMask, platforms: { p: Platform; bit: PlatformMask }[], goMinor: number): void {
  const sums = atomicSummaries(typeLayer(ctx.workspace), goMinor);
  const byKey = new Map<string, { f: { file: SourceFile; span: Span; arg: string; fix: string }; data: Record<string, string>; mask: PlatformMask }>();
  const direct = new Map<string, { file: SourceFile; span: Span; groups: Map<string, Group> }>();
  const unknown = new Map<string, string>();
  const live = platforms.filter(({ bit }) => (mask32 & bit) !== 0n);
  const ids = new Map(live.map(({ p, bit }) => [bit, p.id]));
  for (const g of sums.archGroups(live.map(({ p, bit }) => ({ bit, goarch: p.goarch })))) {
    const ans = g.answers.get(ctx.pkg);
    if (!ans) continue;
    const groupIds = live.filter(({ bit }) => (g.mask & bit) !== 0n).map(({ bit }) => ids.get(bit)!);
    for (const u of ans.unknown) if (ctx.reportsOn(u.file)) unknown.set(JSON.stringify([u.file.path, u.span]), u.reason);
    for (const f of ans.calls) {
      if (!ctx.reportsOn(f.file)) continue;
      const offset = `${f.offset}${f.stride ? ` + ${f.stride}×i` : ''}`;
      const data = { call: f.direct ? f.callee : `${f.callee}(…)`, via: f.via, arg: f.arg, offset, fix: f.fix };
      const key = JSON.stringify([f.file.path, f.span, data]);
      const e = byKey.get(key);
      if (e) e.mask |= g.mask;
      else byKey.set(key, { f, data, mask: g.mask });
    }
    const lowBit = g.mask & -g.mask;
    for (const d of ans.direct) {
      if (!ctx.reportsOn(d.file)) continue;
      const o = outcome(d.addr, stepRecs(d.addr.path.steps, d.sites, lowBit), d.callee, d.fix);
      if (!o) continue;
      const ck = JSON.stringify([d.file.path, d.span]);
      let c = direct.get(ck);
      if (!c) direct.set(ck, (c = { file: d.file, span: d.span, groups: new Map() }));
      const key = JSON.stringify([o.messageId, o.data]);
      let gr = c.groups.get(key);
      if (!gr) c.groups.set(key, (gr = { o, mask: 0n, notes: new Map() }));
      gr.mask |= g.mask;
      for (const n of o.notes) {
        const nk = JSON.stringify([n.file.path, n.span, n.note]);
        const e = gr.notes.get(nk);
        if (e) e.ids.push(...groupIds);
        else gr.notes.set(nk, { ...n, ids: [...groupIds] });
      }
    }
  }
  for (const r of unknown.values()) ctx.skip(r);
  for (const { f, data, mask } of byKey.values()) {
    ctx.report({
      file: f.file, span: f.span, messageId: 'callMisaligned', data, platforms: mask, symbol: f.arg,
      suggestion: `move the 64-bit word to the start of its struct, or use ${f.fix}`,
    });
  }
  for (const { file, span, groups } of direct.values()) {
    // One fix for every platform, or none: a struct whose layout differs by platform is left alone.
    const fixes = new Set([...groups.values()].map((g) => JSON.stringify(g.o.fix?.edits.map((e) => [e.file.path, e.span, e.copy]) ?? null)));
    for (const { o, mask, notes } of groups.values()) {
      const related: Related[] = [...notes.values()].slice(0, MAX_NOTES).map((n) => ({
        file: n.file.path, line: n.span[0], column: n.span[1], message: `${n.note} on ${sortIds(n.ids, live).join(', ')}`,
      }));
      ctx.report({
        file, span, messageId: o.messageId, data: o.data, platforms: mask,
        symbol: o.data.field, related, suggestion: o.suggestion,
        ...(o.fix && fixes.size === 1 ? { fix: o.fix } : {}),
      });
    }
  }
}

/** Platform ids in the order of the run's platforms. */
function sortIds(ids: string[], live: { p: Platform }[]): string[] {
  const order = new Map(live.map(({ p }, i) => [p.id, i]));
  return [...new Set(ids)].sort((a, b) => order.get(a)! - order.get(b)!);
}

function outcome(a: Addr, steps: readonly StepRec[], call: string, fix: string): Outcome | undefined {
  const path = a.path;
  const field = [path.baseName, ...path.fields].join('.');
  const last = steps[steps.length - 1];
  const lastDecl = last?.decl;
  const declNote = (note: string) => (lastDecl ? [{ file: lastDecl.file, span: lastDecl.fields[lastDecl.index]!.span, note }] : []);
  if (a.offset % 8 !== 0) {
    // The first field on the way that is misaligned is the one to move.
    const culprit = steps.find((s) => s.offset % 8 !== 0);
    const struct = culprit?.struct ?? path.baseName;
    const move = culprit === last && a.stride % 8 === 0 ? moveFieldFix(steps) : undefined;
    return {
      messageId: 'misaligned',
      data: { call, field, struct, fix },
      suggestion: `move the field to the start of ${struct}, or use ${fix}`,
      notes: declNote(`${field} is at offset ${a.offset}${a.stride ? ` + ${a.stride}×i` : ''} (needs a multiple of 8)`),
      ...(move ? { fix: move } : {}),
    };
  }
  if (a.stride % 8 !== 0) {
    const type = path.strideElem ?? 'element';
    return {
      messageId: 'elementMisaligned',
      data: { call, field, type, fix },
      suggestion: `pad ${type} to a multiple of 8 bytes with the 64-bit field first, or use ${fix}`,
      notes: declNote(`${field} is at offset ${a.offset} + ${a.stride}×i (needs a multiple of 8)`),
    };
  }
  return undefined;
}
