/**
 * int-overflow-32bit: an integer constant that becomes an int, uint or uintptr (or a type defined
 * from one) and does not fit in 32 bits: "cannot use X (untyped int constant N) as int value in
 * ... (overflows)" / "X overflows int" on 386, arm, mips and mipsle, while 64-bit builds pass.
 *
 * The const-exprs extractor records constant declarations and the places where a constant is
 * given a type; this rule evaluates them exactly (src/constant/expr.ts) on each 32-bit target,
 * resolving the package's constants, types, variables and functions with that target's files.
 */
import { defineRule, type RuleContext } from '../src/engine/define-rule.js';
import { factsReleased, type PackageModel, type SourceFile } from '../src/model/program.js';
import type { TypeExpr } from '../src/parser/facts.js';
import type { ConstDeclFact, ConstExprFacts, ConstTarget, ConstUseFact, FuncSigFact } from '../src/parser/extractors/const-exprs.js';
import { PTR_SIZE } from '../src/platform/known.js';
import type { PlatformMask } from '../src/platform/targets.js';
import type { SymbolTable } from '../src/symbols/table.js';
import type { Workspace } from '../src/engine/workspace.js';
import type { PackageGroup, TypeLayer } from '../src/types/layer.js';
import { typeLayer } from '../src/types/layer.js';
import { type ConstantConversion, constantConversions } from '../src/types/query.js';
import {
  type CExpr,
  type ConstEnv,
  type CType,
  type CValue,
  evalConst,
  fits,
  isClosed,
  predeclaredType,
  stdConst,
  WORD_TYPES,
} from '../src/constant/expr.js';

type Msg = 'assignOverflow' | 'typedOverflow' | 'truncatedOperand' | 'constOverflow' | 'convertFailed' | 'arrayLength' | 'typedIndex';

const SUGGESTION =
  'int, uint and uintptr are 32 bits on 386, arm, mips and mipsle: use int64/uint64 for this value, or keep it within 32 bits';

/** A resolved type: an integer type, a known non-integer type, or structure for composite literals. */
type Resolved = CType | 'other' | undefined;

const MAX_DEPTH = 10;

interface DeclIndex {
  consts: Map<string, { mask: PlatformMask; decl: ConstDeclFact }[]>;
  funcs: Map<string, { mask: PlatformMask; sig: FuncSigFact }[]>;
}

/**
 * A package's constant declarations and function signatures by name (read from its facts once,
 * whichever package imports it). Kept as long as the facts of its first file: the engine releases a
 * package's facts once no package left to check imports it, and an index kept by the package (alive
 * for the whole run) kept every declaration of the tree, and with each name the whole text of the
 * file it was sliced from (on grafana/loki, modernc.org's 4 MB per-GOARCH files to the end).
 */
const declIndexes = new WeakMap<object, DeclIndex>();

/** The facts object the index of `pkg` is kept by: its first file's, when they are held (reading released facts would parse the file again). */
const indexKey = (pkg: PackageModel): object | undefined => pkg.files.find(({ file }) => !factsReleased(file) && file.facts)?.file.facts;

function declIndex(pkg: PackageModel): DeclIndex {
  const held = indexKey(pkg);
  let ix = held && declIndexes.get(held);
  if (ix) return ix;
  ix = { consts: new Map(), funcs: new Map() };
  for (const { file, mask } of pkg.files) {
    const ce = file.facts?.extra.constExprs;
    if (!ce) continue;
    for (const d of ce.consts) {
      if (d.local) continue;
      const l = ix.consts.get(d.name) ?? [];
      l.push({ mask, decl: d });
      ix.consts.set(d.name, l);
    }
    for (const s of ce.funcs) {
      const key = `${s.recv ?? ''}.${s.name}`;
      const l = ix.funcs.get(key) ?? [];
      l.push({ mask, sig: s });
      ix.funcs.set(key, l);
    }
  }
  const kept = indexKey(pkg);
  if (kept) declIndexes.set(kept, ix);
  return ix;
}

/** What the package declares on one platform, evaluated lazily and cached. */
class PackageEnv {
  private readonly consts: DeclIndex['consts'];
  private readonly funcs: DeclIndex['funcs'];
  private readonly table: SymbolTable;
  private readonly cache = new Map<string, CValue | null>();
  private readonly envs = new Map<string, ConstEnv>();

  constructor(
    readonly pkg: PackageModel,
    private readonly ws: Workspace,
    readonly others: (path: string) => PackageEnv | undefined,
  ) {
    this.table = ws.symbols(pkg);
    ({ consts: this.consts, funcs: this.funcs } = declIndex(pkg));
  }

  /** The one declaration of `name` on platform `bit`, when all of the package's declarations there agree. */
  private siteKind(name: string, bit: PlatformMask): string | undefined {
    const info = this.table.names.get(name);
    if (!info) return undefined;
    const kinds = new Set(info.sites.filter((s) => s.mask & bit).map((s) => s.kind));
    return kinds.size === 1 ? [...kinds][0] : kinds.size === 0 ? undefined : 'ambiguous';
  }

  env(bit: PlatformMask, wordBits: 32 | 64, iota?: number): ConstEnv {
    const key = `${bit}|${wordBits}|${iota ?? ''}`;
    let e = this.envs.get(key);
    if (e) return e;
    e = {
      wordBits,
      iota,
      name: (n) => this.constValue(n, bit, wordBits),
      qual: (path, n) => stdConst(path, n, wordBits) ?? this.others(path)?.constValue(n, bit, wordBits),
      type: (t) => this.typeOf(t, bit),
    };
    this.envs.set(key, e);
    return e;
  }

  /** The declaration of constant `name` on platform `bit`, if exactly one. */
  constDecl(name: string, bit: PlatformMask): ConstDeclFact | undefined {
    if (this.siteKind(name, bit) !== 'const') return undefined;
    const ds = (this.consts.get(name) ?? []).filter((d) => d.mask & bit);
    return ds.length === 1 ? ds[0]!.decl : undefined;
  }

  /** A package-level constant's value on a platform (undefined: not an integer constant, or in error). */
  constValue(name: string, bit: PlatformMask, wordBits: 32 | 64): CValue | undefined {
    const key = `${bit}|${wordBits}|${name}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    this.cache.set(key, null); // a cycle evaluates to unknown
    const d = this.constDecl(name, bit);
    let v: CValue | undefined;
    if (d) {
      const r = evalDecl(d, this.env(bit, wordBits, d.iota));
      if (!r.overflow) v = r.value;
    }
    this.cache.set(key, v ?? null);
    return v;
  }

  /** What a type expression denotes on a platform. */
  typeOf(t: TypeExpr, bit: PlatformMask, depth = 0): Resolved {
    if (depth > MAX_DEPTH) return undefined;
    if (t.k === 'qual') return this.others(t.pkg)?.typeOf({ k: 'name', name: t.name }, bit, depth + 1);
    if (t.k !== 'name' || t.args) return t.k === 'unknown' || t.k === 'tparam' ? undefined : 'other';
    const kind = this.siteKind(t.name, bit);
    if (kind === undefined) return predeclaredType(t.name);
    if (kind !== 'type') return undefined;
    const decls = (this.table.types.get(t.name) ?? []).filter((d) => d.mask & bit);
    if (decls.length !== 1 || decls[0]!.typeParams) return undefined;
    const u = decls[0]!.type;
    if (!u) return undefined;
    const r = this.typeOf(u, bit, depth + 1);
    // A defined type keeps its own name; an alias is the type it denotes.
    return r && r !== 'other' && !decls[0]!.alias ? { basic: r.basic, name: t.name } : r;
  }

  /** The type expression a named type is defined as on a platform (for composite literals). */
  underlying(t: TypeExpr, bit: PlatformMask, depth = 0): { env: PackageEnv; type: TypeExpr } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (t.k === 'qual') {
      const o = this.others(t.pkg);
      return o?.underlying({ k: 'name', name: t.name }, bit, depth + 1);
    }
    if (t.k !== 'name') return { env: this, type: t };
    if (this.siteKind(t.name, bit) !== 'type') return undefined;
    const decls = (this.table.types.get(t.name) ?? []).filter((d) => d.mask & bit);
    if (decls.length !== 1 || decls[0]!.typeParams || !decls[0]!.type) return undefined;
    return this.underlying(decls[0]!.type, bit, depth + 1);
  }

  /** The declared type of package-level variable `name` on a platform. */
  varType(name: string, bit: PlatformMask): TypeExpr | undefined {
    if (this.siteKind(name, bit) !== 'var') return undefined;
    const vs = (this.table.vars.get(name) ?? []).filter((v) => v.mask & bit);
    return vs.length === 1 ? vs[0]!.type : undefined;
  }

  funcSig(name: string, recv: string | undefined, bit: PlatformMask): FuncSigFact | undefined {
    if (recv === undefined && this.siteKind(name, bit) !== 'func') return undefined;
    const fs = (this.funcs.get(`${recv ?? ''}.${name}`) ?? []).filter((f) => f.mask & bit);
    return fs.length === 1 ? fs[0]!.sig : undefined;
  }

  /** Whether `name` is a type on the platform (a package type or a predeclared one). */
  isType(name: string, bit: PlatformMask): boolean {
    const kind = this.siteKind(name, bit);
    return kind === 'type' || (kind === undefined && predeclaredType(name) !== undefined);
  }

  get workspace(): Workspace {
    return this.ws;
  }
}

/** A declaration's value, converted to its declared type. */
function evalDecl(d: ConstDeclFact, env: ConstEnv): ReturnType<typeof evalConst> {
  const e: CExpr = d.type ? { k: 'call', fn: d.type, x: d.expr } : d.expr;
  return evalConst(e, env);
}

/** How a use gives its constant a type on one platform. */
type Conversion =
  /** No conversion (an untyped constant declaration): only typed arithmetic can overflow. */
  | { k: 'none' }
  | { k: 'default' }
  | { k: 'assign'; type: CType }
  | { k: 'convert'; type: CType }
  | { k: 'index' };

function resolveTarget(t: ConstTarget, env: PackageEnv, bit: PlatformMask): Conversion | undefined {
  const word = (r: Resolved): CType | undefined => (r && r !== 'other' ? r : undefined);
  switch (t.k) {
    case 'default':
      return { k: 'default' };
    case 'type': {
      const ty = word(env.typeOf(t.type, bit));
      return ty ? { k: 'assign', type: ty } : undefined;
    }
    case 'var': {
      const vt = env.varType(t.name, bit);
      const ty = vt ? word(env.typeOf(vt, bit)) : undefined;
      return ty ? { k: 'assign', type: ty } : undefined;
    }
    case 'call': {
      let owner: PackageEnv | undefined = env;
      if (t.pkg !== undefined) owner = env.others(t.pkg);
      if (!owner) return undefined;
      if (t.recv === undefined && owner.isType(t.fn, bit)) {
        if (t.nargs !== 1) return undefined;
        const ty = word(owner.typeOf({ k: 'name', name: t.fn }, bit));
        return ty ? { k: 'convert', type: ty } : undefined;
      }
      const sig = owner.funcSig(t.fn, t.recv, bit);
      if (!sig) return undefined;
      let pt: TypeExpr | undefined = sig.params[t.index];
      if (sig.variadic && t.index >= sig.params.length - 1) pt = sig.params[sig.params.length - 1];
      if (!pt) return undefined;
      if (pt.k === 'iface' || (pt.k === 'name' && pt.name === 'any' && owner.typeOf(pt, bit) === undefined)) return { k: 'default' };
      const ty = word(owner.typeOf(pt, bit));
      return ty ? { k: 'assign', type: ty } : undefined;
    }
    case 'elem': {
      const u = env.underlying(t.lit, bit);
      if (!u) return undefined;
      let et: TypeExpr | undefined;
      const lt = u.type;
      if (lt.k === 'struct') {
        if (t.key === undefined) return undefined;
        const fs = lt.fields.filter((f) => f.name === t.key && !f.embedded);
        et = fs.length === 1 ? fs[0]!.type : undefined;
      } else if (lt.k === 'slice' || lt.k === 'array') et = lt.elem;
      else if (lt.k === 'map') et = lt.value;
      if (!et) return undefined;
      if (et.k === 'iface' && et.methods.length === 0 && et.embeds.length === 0) return { k: 'default' };
      const ty = word(u.env.typeOf(et, bit));
      return ty ? { k: 'assign', type: ty } : undefined;
    }
    case 'index': {
      if (!t.operand) return { k: 'index' };
      const ot = t.operand.k === 'var' ? env.varType(t.operand.name, bit) : t.operand.type;
      if (!ot) return undefined;
      let u = env.underlying(ot, bit)?.type;
      if (u?.k === 'ptr') u = env.underlying(u.elem, bit)?.type ?? undefined;
      if (!u) return undefined;
      if (u.k === 'slice' || u.k === 'array') return { k: 'index' };
      if (u.k === 'name' && u.name === 'string' && env.typeOf(u, bit) !== undefined) return { k: 'index' };
      return undefined;
    }
  }
}

interface Problem {
  messageId: Msg;
  /** The value's full description: what a report on the same line with the same value shares. */
  key: string;
  data: Record<string, string>;
  /** For a constant that takes its default type here (`x := c`, `_ = c`, an `any` argument): the 64-bit type that holds it. */
  fixType?: 'int64' | 'uint64';
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** The compiler's word: an integral float constant is "truncated", an integer "overflows". */
const reason = (v: CValue): string => (v.kind === 'float' && !v.type ? 'truncated' : 'overflows');

function describe(v: CValue): string {
  return v.type ? `constant ${v.v} of type ${v.type.name}` : `untyped ${v.kind} constant ${v.v}`;
}

/** The value as go/types shows it after the expression: left out when the expression is the value. */
function shown(v: CValue, text: string): string {
  if (v.type) return `constant ${v.v} of type ${v.type.name}`;
  const val = v.kind === 'float' ? goFloatString(v.v) : String(v.v);
  return text === val ? `untyped ${v.kind} constant` : `untyped ${v.kind} constant ${val}`;
}

/** The compile error a use gives on one platform, if any (with go/types' words, Go 1.27). */
function problemOf(u: ConstUseFact | { expr: CExpr; text: string; what: string }, conv: Conversion, env: ConstEnv): Problem | undefined {
  const r = evalConst(u.expr, env);
  if (r.overflow && r.overflow.how !== 'convert') {
    const o = r.overflow;
    const desc = o.how === 'operand' ? `untyped int constant ${o.v}` : `constant ${o.v} of type ${o.type.name}`;
    return { messageId: 'typedOverflow', key: desc, data: { expr: u.text, desc, type: o.type.name } };
  }
  const v = r.value;
  if (!v) return undefined;
  const bits = env.wordBits;
  const key = describe(v);
  const desc = shown(v, u.text);
  switch (conv.k) {
    case 'none':
      return undefined;
    case 'default':
      if (v.type || v.kind !== 'int' || fits(v.v, 'int', bits)) return undefined;
      return {
        messageId: 'assignOverflow',
        key,
        data: { expr: u.text, desc, type: 'int', context: u.what, reason: reason(v) },
        ...(v.v >= INT64_MIN && v.v <= INT64_MAX ? { fixType: 'int64' as const } : v.v >= 0n && v.v <= UINT64_MAX ? { fixType: 'uint64' as const } : {}),
      };
    case 'assign':
      if (v.type || fits(v.v, conv.type.basic, bits)) return undefined;
      // An operand of a comparison or operation is converted to the other's underlying type.
      if (u.what === 'comparison' || u.what === 'operation') {
        return { messageId: v.kind === 'float' ? 'truncatedOperand' : 'typedOverflow', key, data: { expr: u.text, desc, type: conv.type.basic } };
      }
      return { messageId: 'assignOverflow', key, data: { expr: u.text, desc, type: conv.type.name, context: u.what, reason: reason(v) } };
    case 'convert':
      if (fits(v.v, conv.type.basic, bits)) return undefined;
      // An integer constant converted to an integer type: go/types' short form (go.dev/issue/63563).
      if (v.kind !== 'float') return { messageId: 'constOverflow', key, data: { value: String(v.v), type: conv.type.name } };
      return { messageId: 'convertFailed', key, data: { expr: u.text, desc, type: conv.type.name } };
    case 'index':
      if (v.v < 0n || fits(v.v, 'int', bits)) return undefined;
      if (u.what === 'array length') return { messageId: 'arrayLength', key, data: { expr: u.text, desc } };
      if (v.type && u.what === 'index') return { messageId: 'typedIndex', key, data: { expr: u.text, desc } };
      return { messageId: 'typedOverflow', key, data: { expr: u.text, desc, type: 'int' } };
  }
}

export default defineRule<Msg>({
  meta: {
    id: 'int-overflow-32bit',
    title: 'integer constant overflows int on 32-bit platforms',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: {
      assignOverflow: 'cannot use {expr} ({desc}) as {type} value in {context} ({reason})',
      typedOverflow: '{expr} ({desc}) overflows {type}',
      truncatedOperand: '{expr} ({desc}) truncated to {type}',
      constOverflow: 'constant {value} overflows {type}',
      convertFailed: 'cannot convert {expr} ({desc}) to type {type}',
      arrayLength: 'invalid array length {expr} ({desc})',
      typedIndex: 'invalid argument: index {expr} ({desc}) overflows int',
    },
  },
  check(ctx) {
    const { pkg, targets, workspace: ws } = ctx;
    const word32 = targets.maskOf((p) => PTR_SIZE[p.goarch] === 4);
    // Bail out early: no 32-bit target, or no constant expression in the package.
    if (!(pkg.mask & word32)) return;
    if (!pkg.files.some(({ file }) => file.facts?.extra.constExprs)) return;

    const envs = new Map<string, PackageEnv | null>();
    const envOf = (p: PackageModel): PackageEnv => {
      let e = envs.get(p.id);
      if (!e) envs.set(p.id, (e = new PackageEnv(p, ws, others)));
      return e;
    };
    const others = (path: string): PackageEnv | undefined => {
      const key = `import:${path}`;
      const hit = envs.get(key);
      if (hit !== undefined) return hit ?? undefined;
      const target = ws.importPackage(pkg, path);
      const e = target && target.mask !== 0n ? envOf(target) : undefined;
      envs.set(key, e ?? null);
      return e;
    };
    const env = envOf(pkg);
    const types = typeLayer(ws);
    // The facts' answers depend on the word size and on the files each platform compiles, here and
    // in what the package imports: the type layer's platform groups are exactly the platforms that
    // agree on those (src/types/layer.ts). Each group of 32-bit platforms is evaluated once, on
    // its first platform, and its answer holds for all of them (issue #13: `--platforms all`).
    const groups = types.groups(pkg);
    for (const { file, mask } of pkg.files) {
      const ce = file.facts?.extra.constExprs;
      const m32 = mask & word32;
      if (!m32 || !ctx.reportsOn(file)) continue;
      const reported = new Set<string>();
      // The type layer first: it knows the most targets and words them as go/types does; the
      // facts then add what it does not type (typed constants, typed arithmetic, array lengths).
      const inferred = checkInferred(ctx, types, pkg, file, m32, reported);
      // A use both paths see is reported once, by the type layer; the facts path still knows when
      // the constant takes its default type there, and so which fix (int64(…)) it carries.
      const fixes = new Map<string, Fix>();
      if (ce) checkFile(ctx, env, file, ce, m32, representatives(groups, m32), reported, fixes);
      for (const f of inferred) {
        const fix = fixes.get(`${f.dedupe}@${f.span.join(':')}`);
        ctx.report({ file, span: f.span, messageId: f.messageId, data: f.data, platforms: f.mask, suggestion: SUGGESTION, ...(fix ? { fix } : {}) });
      }
    }
  },
});

/** One platform per group (its lowest bit) with the group's platforms among `m32`, by ascending bit. */
function representatives(groups: readonly PackageGroup[], m32: PlatformMask): { bit: PlatformMask; mask: PlatformMask }[] {
  const out: { bit: PlatformMask; mask: PlatformMask }[] = [];
  for (const g of groups) {
    const mask = g.mask & m32;
    if (mask) out.push({ bit: mask & -mask, mask });
  }
  return out.sort((a, b) => (a.bit < b.bit ? -1 : a.bit > b.bit ? 1 : 0));
}

interface Fix {
  description: string;
  edits: { span: ConstUseFact['span']; text: string }[];
}

function checkFile(
  ctx: RuleContext<Msg>,
  env: PackageEnv,
  file: SourceFile,
  ce: ConstExprFacts,
  m32: PlatformMask,
  reps: { bit: PlatformMask; mask: PlatformMask }[],
  reported: Set<string>,
  fixes: Map<string, Fix>,
): void {
  const check = (
    u: { expr: CExpr; text: string; what: string; span: ConstUseFact['span'] },
    conv: (bit: PlatformMask) => Conversion | undefined,
    iota?: number,
  ) => {
    // Group platforms by the error they give.
    const groups = new Map<string, { p: Problem; mask: PlatformMask }>();
    for (const { bit, mask: all } of reps) {
      const c = conv(bit);
      if (!c) continue;
      const p32 = problemOf(u, c, env.env(bit, 32, iota));
      if (!p32) continue;
      // The same expression with 64-bit words must compile: else it is an error everywhere.
      if (problemOf(u, c, env.env(bit, 64, iota))) {
        ctx.skip('overflows-on-64-bit-too');
        continue;
      }
      const key = `${p32.messageId}|${JSON.stringify(p32.data)}`;
      const g = groups.get(key);
      if (g) g.mask |= all;
      else groups.set(key, { p: p32, mask: all });
    }
    for (const { p, mask } of groups.values()) {
      const dedupe = `${u.span[0]}:${p.key}`;
      const [l, c, el, ec] = u.span;
      const fix: Fix | undefined = p.fixType && {
        description: `give the constant the type ${p.fixType}`,
        edits: [
          { span: [l, c, l, c] as typeof u.span, text: `${p.fixType}(` },
          { span: [el, ec, el, ec] as typeof u.span, text: ')' },
        ],
      };
      if (reported.has(dedupe)) {
        if (fix) fixes.set(`${dedupe}@${u.span.join(':')}`, fix);
        continue;
      }
      reported.add(dedupe);
      ctx.report({ file, span: u.span, messageId: p.messageId, data: p.data, platforms: mask, suggestion: SUGGESTION, ...(fix ? { fix } : {}) });
    }
  };

  // Constant declarations: a typed one must fit its type; any may overflow in typed arithmetic.
  for (const d of ce.consts) {
    // An untyped constant of literals only is exact: nothing of it depends on the word size.
    if (!d.type && isClosed(d.expr)) continue;
    const decl = { expr: d.type ? ({ k: 'call', fn: d.type, x: d.expr } as CExpr) : d.expr, text: d.text, what: 'constant declaration', span: d.valueSpan };
    check(decl, () => ({ k: 'none' }), d.iota);
    if (d.type) {
      check(
        { ...decl, expr: d.expr },
        (bit) => {
          const t = env.typeOf(d.type!, bit);
          return t && t !== 'other' && WORD_TYPES.has(t.basic) ? { k: 'assign', type: t } : undefined;
        },
        d.iota,
      );
    }
  }
  for (const u of ce.uses) {
    check(u, (bit) => resolveTarget(u.target, env, bit));
  }
}

/**
 * Conversions the type layer saw (src/types): an untyped constant given an int, uint or uintptr
 * type through an inferred or declared-elsewhere type — `reps > 4294967295` for `reps := int(f)`,
 * a struct literal's `int` field, a parameter of type int. Returns the findings for the caller to
 * report (with the facts path's fix where both see the use); their keys go into `reported`.
 */
function checkInferred(
  ctx: RuleContext<Msg>,
  types: TypeLayer,
  pkg: PackageModel,
  file: SourceFile,
  m32: PlatformMask,
  reported: Set<string>,
): { span: ConstUseFact['span']; messageId: Msg; data: Record<string, string>; dedupe: string; mask: PlatformMask }[] {
  const byKey = new Map<string, { span: ConstUseFact['span']; messageId: Msg; data: Record<string, string>; dedupe: string; mask: PlatformMask }>();
  // Only what does not fit a 32-bit word is built (spans and texts of every other constant are never needed).
  const wordOverflow = (value: bigint, basic: string) => WORD_TYPES.has(basic as IntBasicName) && !fits(value, basic as IntBasicName, 32);
  for (const c of constantConversions(types, pkg, file, m32, wordOverflow)) {
    if (!WORD_TYPES.has(c.basic as IntBasicName) || fits(c.value, c.basic as IntBasicName, 32)) continue;
    if (!fits(c.value, c.basic as IntBasicName, 64)) {
      ctx.skip('overflows-on-64-bit-too');
      continue;
    }
    // The facts above report a use with this value on this line already (same key as theirs).
    const dedupe = c.typedFrom !== undefined ? `${c.span[0]}:constant ${c.value} of type ${c.typedFrom}` : `${c.span[0]}:${c.from} constant ${c.value}`;
    if (reported.has(dedupe)) continue;
    const { messageId, data } = compilerMessage(c);
    const key = `${c.span.join(':')}|${messageId}|${JSON.stringify(data)}`;
    const hit = byKey.get(key);
    if (hit) hit.mask |= c.mask;
    else byKey.set(key, { span: c.span, messageId, data, dedupe, mask: c.mask });
  }
  for (const f of byKey.values()) reported.add(f.dedupe);
  return [...byKey.values()];
}

/** go/types' words for a constant that does not fit where it is converted (Go 1.27's messages). */
function compilerMessage(c: ConstantConversion): { messageId: Msg; data: Record<string, string> } {
  const float = c.from === 'untyped float';
  const shown = float ? goFloatString(c.value) : String(c.value);
  // go/types leaves the value out when the expression is the value (`4294967296 (untyped int constant)`).
  const desc = c.text === shown ? `${c.from} constant` : `${c.from} constant ${shown}`;
  const ctxt = c.context();
  switch (ctxt.k) {
    case 'assign':
      return { messageId: 'assignOverflow', data: { expr: c.text, desc, type: c.typeName, context: ctxt.what, reason: float ? 'truncated' : 'overflows' } };
    case 'convert':
      return float
        ? { messageId: 'convertFailed', data: { expr: c.text, desc, type: c.typeName } }
        : { messageId: 'constOverflow', data: { value: String(c.value), type: c.typeName } };
    case 'operand':
      // An operand is converted to the other operand's underlying type.
      return { messageId: float ? 'truncatedOperand' : 'typedOverflow', data: { expr: c.text, desc, type: c.basic } };
  }
}

/** go/constant's String of an integral float constant: `%.6g` of its float64 value. */
function goFloatString(v: bigint): string {
  const s = Number(v).toPrecision(6);
  const m = /^(-?[0-9.]+)(?:e([+-])([0-9]+))?$/.exec(s);
  if (!m) return s;
  let mant = m[1]!;
  if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
  return m[2] ? `${mant}e${m[2]}${m[3]!.padStart(2, '0')}` : mant;
}

type IntBasicName = Parameters<typeof fits>[1];
