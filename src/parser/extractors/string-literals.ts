/**
 * string-literals: string literals that name a GOARCH or a GOOS/GOARCH pair ("amd64", "linux/arm64",
 * "x86_64", "k8s.gcr.io/pause-amd64:3.1"), with the context a rule needs to tell a hardcoded platform
 * from a question about the platform; and integer literals passed as the trap number of
 * syscall.Syscall and its relatives. Feeds rules/hardcoded-platform.ts.
 *
 * The walker gives no parent links, so the extractor keeps the file's root (from the `source_file`
 * visit) and, for the few literals whose text names a platform, finds their ancestors by offset:
 * O(depth · log width) per such literal, nothing for the others.
 */
import type { Span } from '../facts.js';
import type { Extractor, ExtractorContext } from '../extractor.js';
import { unquoteGoString } from '../go-text.js';
import { childByField, namedParts, type GoNode } from '../syntax.js';
import { KNOWN_ARCH, KNOWN_OS } from '../../platform/known.js';

/** Literals longer than this are prose or data blobs: not recorded. */
export const MAX_LITERAL_LENGTH = 500;

/** Spellings of architectures outside Go, by the GOARCH they mean (uname -m, Debian, Docker, RPM). */
export const ARCH_ALIASES: Readonly<Record<string, string>> = {
  x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', arm64v8: 'arm64', armhf: 'arm', armel: 'arm',
  armv6: 'arm', armv6l: 'arm', armv7: 'arm', armv7l: 'arm', arm32v6: 'arm', arm32v7: 'arm', i386: '386',
  i686: '386', ppc64el: 'ppc64le',
};

export const OS_ALIASES: Readonly<Record<string, string>> = { macos: 'darwin', osx: 'darwin' };

/** Names that mean a platform only as half of a pair (`js/wasm`): alone they are file types and MIME types. */
const PAIR_ONLY = new Set(['wasm', 'js']);

const NAMES = [...KNOWN_ARCH, ...Object.keys(ARCH_ALIASES), ...KNOWN_OS, ...Object.keys(OS_ALIASES)]
  .sort((a, b) => b.length - a.length)
  .map((s) => s.replace(/[-]/g, '\\-'));
/** One scan over known names, with letter/digit boundaries (`_`, `-`, `/`, `.` separate words). */
const TOKEN_RE = new RegExp(`(?<![A-Za-z0-9])(?:${NAMES.join('|')})(?![A-Za-z0-9])`, 'g');
const ARCH_SET = new Set<string>(KNOWN_ARCH);

export interface PlatformToken {
  /** As written. */
  text: string;
  /** The GOARCH or GOOS it means. */
  name: string;
  kind: 'arch' | 'os';
  /** UTF-16 offset in the literal's value. */
  index: number;
  /** Where the token starts: `index`, or the offset of its GOOS for a pair. */
  start: number;
  /** For an arch: the GOOS written just before it (`linux/amd64`, `darwin-arm64`, `linux_amd64`). */
  os?: string;
}

/** The platform names in a string value, pairs folded into their arch token. */
export function platformTokens(value: string): PlatformToken[] {
  TOKEN_RE.lastIndex = 0;
  const raw: PlatformToken[] = [];
  for (let m = TOKEN_RE.exec(value); m !== null; m = TOKEN_RE.exec(value)) {
    const text = m[0];
    const i = m.index;
    if (text === '386' && (/[0-9][.,]$/.test(value.slice(0, i)) || /^[.,][0-9]/.test(value.slice(i + 3)))) continue; // 1.386, 386.5
    const arch = ARCH_ALIASES[text] ?? (ARCH_SET.has(text) ? text : undefined);
    if (arch !== undefined) raw.push({ text, name: arch, kind: 'arch', index: i, start: i });
    else raw.push({ text, name: OS_ALIASES[text] ?? text, kind: 'os', index: i, start: i });
  }
  const out: PlatformToken[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k]!;
    const next = raw[k + 1];
    if (t.kind === 'os' && next?.kind === 'arch' && next.index === t.index + t.text.length + 1 && '/-_'.includes(value[next.index - 1]!)) {
      out.push({ ...next, os: t.name, start: t.index });
      k++;
      continue;
    }
    if (PAIR_ONLY.has(t.text)) continue;
    out.push(t);
  }
  return out;
}

/** A string literal that names an architecture. */
export interface PlatformStringFact {
  span: Span;
  /** The literal's value. */
  value: string;
  /**
   * Its nearest syntactic role: an operand of `==`/`!=`, a switch case value, a struct tag, an import
   * path, or anything else (a value).
   */
  role: 'compare' | 'case' | 'tag' | 'import' | 'value';
  /** compare: the other operand as written (`runtime.GOARCH`, `arch`), when a name or selector. */
  other?: string;
  /**
   * The calls whose arguments hold the literal, innermost first, at most 3, within its statement:
   * `fmt.Errorf` (qualified names by import path: `github.com/pkg/errors.Wrap`), `.Skipf` (a method),
   * `panic` (a plain function name).
   */
  calls?: string[];
  /** Position of the literal's argument in the innermost call: [index, number of arguments]. */
  arg?: [number, number];
  /** The key of the keyed element whose value holds the literal (`Image: "…"`). */
  key?: string;
  /** The name the literal initializes or is assigned to (`const defaultArch = "amd64"`, `arch = "arm64"`). */
  decl?: string;
  /** An element without key of a composite literal (`[]string{"amd64"}`). */
  listed?: true;
  /** The enclosing top-level function, `Name` or `Recv.Name` for a method. */
  func?: string;
  /** Inside the branches of an if/else chain or switch that tests runtime.GOOS/GOARCH or a platform name. */
  guarded?: true;
  /**
   * The most distinct architectures or operating systems that the literals of one enclosing lookup
   * table name: its outermost composite literal, switch, if/else chain, package-level const/var
   * declaration, or function (when the function never reads runtime.GOOS/GOARCH).
   */
  table: number;
  /** Inside a composite literal whose keys are platform names (`map[string]string{"amd64": …}`): a lookup by platform. */
  keyedByPlatform?: true;
}

/** An integer literal given as the trap number of a raw system call (`syscall.Syscall(16, …)`). */
export interface RawSyscallFact {
  span: Span;
  /** `syscall.Syscall`, `unix.RawSyscall6`: package name as imported plus function. */
  fn: string;
  /** The literal as written. */
  number: string;
  /** The enclosing top-level function, `Name` or `Recv.Name` for a method. */
  func?: string;
  /** Inside a branch of an if/else chain or switch that tests runtime.GOOS/GOARCH or a platform name. */
  guarded?: true;
}

export interface PlatformLiteralFacts {
  strings: PlatformStringFact[];
  syscalls: RawSyscallFact[];
}

declare module '../facts.js' {
  interface FactMap {
    platformLiterals: PlatformLiteralFacts;
  }
}

/** Raw system call entry points whose first argument is the trap number. */
const SYSCALL_FUNCS = new Set([
  'Syscall', 'Syscall6', 'Syscall9', 'Syscall12', 'Syscall15', 'RawSyscall', 'RawSyscall6', 'RawSyscallNoError',
  'SyscallNoError',
]);
const SYSCALL_PKGS = new Set(['syscall', 'golang.org/x/sys/unix']);

/** Where a literal's statement ends (with every `*_statement` node). */
const STATEMENT_BOUNDARY = new Set([
  'block', 'statement_list', 'func_literal', 'function_declaration', 'method_declaration', 'source_file', 'short_var_declaration',
]);
const RUNTIME_SEL = /\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*GO(?:OS|ARCH)\b/g;
const QUOTED = /"(?:[^"\\\n]|\\.)*"|`[^`]*`/g;

interface Pending {
  fact: PlatformStringFact | null;
  arches: string[];
  oses: string[];
  groups: string[];
  /** The literal is a key of a composite literal and nothing but a platform name. */
  platformKey?: true;
  /** The group of its outermost composite literal. */
  composite?: string;
  /** Function group: counts only when the function never reads runtime.GOOS/GOARCH. */
  func?: { key: string; span: Span };
}

class StringLiterals implements Extractor {
  readonly name = 'string-literals';
  readonly nodeTypes = ['source_file', 'interpreted_string_literal', 'raw_string_literal', 'call_expression'];
  private root: GoNode | undefined;
  private pending: Pending[] = [];
  private syscalls: RawSyscallFact[] = [];
  private readonly platformTest = new Map<number, boolean>();

  begin(): void {
    this.root = undefined;
    this.pending = [];
    this.syscalls = [];
    this.platformTest.clear();
  }

  visit(n: GoNode, ctx: ExtractorContext): void {
    if (n.type === 'source_file') this.root = n;
    else if (n.type === 'call_expression') this.call(n, ctx);
    else this.literal(n, ctx);
  }

  finish(ctx: ExtractorContext): void {
    this.root = undefined;
    this.platformTest.clear();
    if (this.pending.length === 0 && this.syscalls.length === 0) return;
    // A function that reads runtime.GOOS/GOARCH is not a table: it chooses.
    const runtimeRefs = ctx.facts.qualRefs.filter((q) => q.pkg === 'runtime' && (q.name === 'GOOS' || q.name === 'GOARCH'));
    const asks = (s: Span) => runtimeRefs.some((q) => spanWithin(q.span, s));
    const arches = new Map<string, Set<string>>();
    const oses = new Map<string, Set<string>>();
    const add = (m: Map<string, Set<string>>, key: string, names: string[]) => {
      let s = m.get(key);
      if (!s) m.set(key, (s = new Set()));
      for (const x of names) s.add(x);
    };
    const asking = new Map<string, boolean>();
    for (const p of this.pending) {
      if (p.func) {
        let a = asking.get(p.func.key);
        if (a === undefined) asking.set(p.func.key, (a = asks(p.func.span)));
        if (!a) p.groups.push(p.func.key);
      }
      for (const g of p.groups) {
        add(arches, g, p.arches);
        add(oses, g, p.oses);
      }
    }
    const keyed = new Set<string>();
    for (const p of this.pending) if (p.platformKey && p.composite) keyed.add(p.composite);
    const strings: PlatformStringFact[] = [];
    for (const p of this.pending) {
      if (!p.fact) continue;
      let table = 0;
      for (const g of p.groups) table = Math.max(table, arches.get(g)?.size ?? 0, oses.get(g)?.size ?? 0);
      p.fact.table = table;
      if (p.composite && keyed.has(p.composite)) p.fact.keyedByPlatform = true;
      strings.push(p.fact);
    }
    this.pending = [];
    if (strings.length > 0 || this.syscalls.length > 0) ctx.facts.extra.platformLiterals = { strings, syscalls: this.syscalls };
  }

  /** `syscall.Syscall(16, …)`, `unix.RawSyscall(uintptr(39), …)`. */
  private call(n: GoNode, ctx: ExtractorContext): void {
    const fn = childByField(n, 'function');
    if (fn?.type !== 'selector_expression') return;
    const field = childByField(fn, 'field');
    const op = childByField(fn, 'operand');
    if (!field || op?.type !== 'identifier' || !SYSCALL_FUNCS.has(ctx.text(field))) return;
    const path = ctx.importPath(ctx.text(op));
    if (path === undefined || !SYSCALL_PKGS.has(path)) return;
    const args = childByField(n, 'arguments');
    let first = args ? namedParts(args)[0] : undefined;
    // uintptr(16)
    if (first?.type === 'call_expression') {
      const f = childByField(first, 'function');
      const a = childByField(first, 'arguments');
      const inner = a ? namedParts(a) : [];
      if (f?.type === 'identifier' && ctx.text(f) === 'uintptr' && !ctx.isLocal('uintptr') && inner.length === 1) first = inner[0];
    }
    if (first?.type !== 'int_literal') return;
    const fact: RawSyscallFact = { span: ctx.span(first), fn: `${ctx.text(op)}.${ctx.text(field)}`, number: ctx.text(first) };
    const up = this.root ? ancestors(this.root, n) : [];
    const decl = up.find((a) => a.type === 'function_declaration' || a.type === 'method_declaration');
    if (decl) fact.func = funcName(decl, ctx);
    const branch = (a: GoNode, i: number) =>
      (a.type === 'if_statement' && up[i + 1]?.field !== 'condition' && this.chainTestsPlatform(a, ctx)) ||
      (a.type === 'expression_switch_statement' && this.switchTestsPlatform(a, ctx));
    if (up.some(branch)) fact.guarded = true;
    this.syscalls.push(fact);
  }

  private literal(n: GoNode, ctx: ExtractorContext): void {
    if (n.end - n.start > MAX_LITERAL_LENGTH + 2 || this.root === undefined) return;
    const value = unquoteGoString(ctx.text(n));
    const tokens = platformTokens(value);
    if (tokens.length === 0) return;
    const path = ancestors(this.root, n);
    const arches = [...new Set(tokens.filter((t) => t.kind === 'arch').map((t) => t.name))];
    const oses = [...new Set(tokens.flatMap((t) => (t.kind === 'os' ? [t.name] : t.os ? [t.os] : [])))];
    const p: Pending = { fact: null, arches, oses, groups: [] };
    const fact: PlatformStringFact = { span: ctx.span(n), value, role: 'value', table: 0 };
    this.describe(n, path, ctx, fact, p);
    // A key such as "amd64" or "linux/arm64": its literal is a lookup by platform.
    const bare = tokens.length === 1 && tokens[0]!.start === 0 && tokens[0]!.index + tokens[0]!.text.length === value.length;
    if (bare && path[path.length - 1]?.field === 'key' && path[path.length - 2]?.type === 'keyed_element') p.platformKey = true;
    if (arches.length > 0) p.fact = fact;
    this.pending.push(p);
  }

  /** Fills the fact's context from the literal's ancestors (innermost first). */
  private describe(n: GoNode, path: GoNode[], ctx: ExtractorContext, fact: PlatformStringFact, p: Pending): void {
    let roleOpen = true;
    let inStatement = true;
    const calls: string[] = [];
    let outerComposite: GoNode | undefined;
    for (let i = path.length - 1; i >= 0; i--) {
      const a = path[i]!;
      const below = i + 1 < path.length ? path[i + 1]! : n;
      switch (a.type) {
        case 'literal_element':
          if (roleOpen && path[i - 1]?.type === 'literal_value') fact.listed = true;
          continue;
        case 'parenthesized_expression':
        case 'expression_list':
        case 'argument_list':
          continue;
        case 'binary_expression': {
          const op = a.children.find((c) => !c.named && c.field === 'operator')?.type ?? '';
          if (op === '+') continue;
          if (roleOpen && (op === '==' || op === '!=')) {
            fact.role = 'compare';
            const other = a.children.find((c) => c.named && c !== below && (c.field === 'left' || c.field === 'right'));
            if (other && (other.type === 'identifier' || other.type === 'selector_expression')) {
              fact.other = operandName(other, ctx);
            }
          }
          roleOpen = false;
          continue;
        }
        case 'expression_case':
          if (roleOpen && below.field === 'value') fact.role = 'case';
          break;
        case 'field_declaration':
          if (roleOpen && below.field === 'tag') fact.role = 'tag';
          break;
        case 'import_spec':
          if (roleOpen) fact.role = 'import';
          break;
        case 'call_expression':
          if (inStatement && below.field === 'arguments' && calls.length < 3) {
            if (calls.length === 0) {
              const args = namedParts(below);
              const mine = i + 2 < path.length ? path[i + 2]! : n;
              fact.arg = [args.indexOf(mine), args.length];
            }
            calls.push(calleeName(a, ctx));
          }
          break;
        case 'keyed_element':
          if (inStatement && fact.key === undefined && below.field === 'value') {
            const k = childByField(a, 'key');
            const id = k && (k.type === 'literal_element' ? namedParts(k)[0] : k);
            if (id && (id.type === 'identifier' || id.type === 'field_identifier')) fact.key = ctx.text(id);
          }
          break;
        case 'composite_literal':
          if (inStatement) outerComposite = a;
          break;
        case 'const_spec':
        case 'var_spec':
          if (fact.decl === undefined) {
            const name = childByField(a, 'name');
            if (name) fact.decl = ctx.text(name);
          }
          break;
        case 'short_var_declaration':
        case 'assignment_statement':
          if (fact.decl === undefined && below.field === 'right') {
            const left = childByField(a, 'left');
            const ids = left ? namedParts(left) : [];
            if (ids.length === 1) fact.decl = ctx.text(ids[0]!).replace(/^.*\./, '');
          }
          break;
        case 'if_statement': {
          if (below.field === 'condition' || below.field === 'initializer') break;
          // The chain: climb while this if is the else-branch of the if above it.
          let top = i;
          while (top > 0 && path[top - 1]!.type === 'if_statement' && path[top]!.field === 'alternative') top--;
          const head = path[top]!;
          p.groups.push(`i${head.start}`);
          if (this.chainTestsPlatform(head, ctx)) fact.guarded = true;
          i = top;
          break;
        }
        case 'expression_switch_statement':
          p.groups.push(`s${a.start}`);
          if (below.field !== 'value' && this.switchTestsPlatform(a, ctx)) fact.guarded = true;
          break;
        case 'const_declaration':
        case 'var_declaration':
          if (i === 1) p.groups.push(`d${a.start}`);
          break;
        case 'function_declaration':
        case 'method_declaration':
          p.func = { key: `f${a.start}`, span: ctx.span(a) };
          fact.func = funcName(a, ctx);
          break;
        default:
          break;
      }
      roleOpen = false;
      if (STATEMENT_BOUNDARY.has(a.type) || a.type.endsWith('_statement')) inStatement = false;
    }
    if (outerComposite) {
      p.composite = `c${outerComposite.start}`;
      p.groups.push(p.composite);
    }
    if (calls.length > 0) fact.calls = calls;
  }

  /** Whether the conditions of an if/else-if chain read runtime.GOOS/GOARCH or compare with a platform name. */
  private chainTestsPlatform(head: GoNode, ctx: ExtractorContext): boolean {
    const hit = this.platformTest.get(head.start);
    if (hit !== undefined) return hit;
    let r = false;
    for (let cur: GoNode | undefined = head; cur?.type === 'if_statement' && !r; cur = childByField(cur, 'alternative')) {
      const cond = childByField(cur, 'condition');
      if (cond && mentionsPlatform(ctx.text(cond), ctx)) r = true;
    }
    this.platformTest.set(head.start, r);
    return r;
  }

  /** Whether a switch's tag reads runtime.GOOS/GOARCH or its case values name platforms. */
  private switchTestsPlatform(sw: GoNode, ctx: ExtractorContext): boolean {
    const hit = this.platformTest.get(sw.start);
    if (hit !== undefined) return hit;
    let r = false;
    const value = childByField(sw, 'value');
    if (value && mentionsPlatform(ctx.text(value), ctx)) r = true;
    for (const c of sw.children) {
      if (r) break;
      if (c.type !== 'expression_case') continue;
      const v = childByField(c, 'value');
      if (v && mentionsPlatform(ctx.text(v), ctx)) r = true;
    }
    this.platformTest.set(sw.start, r);
    return r;
  }
}

/** Platform names inside identifiers: `isARM64`, `IsAmd64M1Emulation()`, `onWindows`, `isArm`. */
const PLATFORM_IDENT = /amd64|arm64|x86_?64|aarch64|ppc64|s390x?|riscv|loong64|mips|i[36]86|(?:Arm|ARM)(?![a-z])|windows|linux|darwin|mac[oO][sS]|freebsd|openbsd|netbsd|solaris|illumos|android/i;

/** Source text that reads runtime.GOOS/GOARCH, holds a quoted platform name or names a platform in an identifier. */
function mentionsPlatform(text: string, ctx: ExtractorContext): boolean {
  RUNTIME_SEL.lastIndex = 0;
  for (let m = RUNTIME_SEL.exec(text); m !== null; m = RUNTIME_SEL.exec(text)) {
    if (ctx.importPath(m[1]!) === 'runtime') return true;
  }
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(text); m !== null; m = QUOTED.exec(text)) {
    if (platformTokens(unquoteGoString(m[0])).length > 0) return true;
  }
  return PLATFORM_IDENT.test(text.replace(QUOTED, '""'));
}

/** `Name` of a function, `Recv.Name` of a method (receiver without `*` and type arguments). */
export function funcName(decl: GoNode, ctx: ExtractorContext): string {
  const name = childByField(decl, 'name');
  const n = name ? ctx.text(name) : '';
  const recv = childByField(decl, 'receiver');
  if (!recv) return n;
  const pd = namedParts(recv)[0];
  const t = pd && childByField(pd, 'type');
  const base = t ? ctx.text(t).replace(/^[(*\s]+|[)\s]+$/g, '').replace(/\[.*$/, '') : '';
  return base ? `${base}.${n}` : n;
}

/** `runtime.GOARCH` (by import path when the qualifier is an import), `arch`, `cfg.Arch`. */
function operandName(n: GoNode, ctx: ExtractorContext): string {
  if (n.type === 'selector_expression') {
    const op = childByField(n, 'operand');
    const f = childByField(n, 'field');
    if (op?.type === 'identifier' && f) {
      const path = ctx.importPath(ctx.text(op));
      if (path !== undefined) return `${path}.${ctx.text(f)}`;
    }
  }
  const t = ctx.text(n);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** `fmt.Errorf` (import path + name), `.Infof` (a method), `panic` (a plain name), `` (anything else). */
function calleeName(call: GoNode, ctx: ExtractorContext): string {
  let f = childByField(call, 'function');
  while (f?.type === 'parenthesized_expression') f = namedParts(f)[0];
  if (!f) return '';
  if (f.type === 'identifier') return ctx.text(f);
  if (f.type === 'selector_expression') {
    const op = childByField(f, 'operand');
    const field = childByField(f, 'field');
    if (!field) return '';
    if (op?.type === 'identifier') {
      const path = ctx.importPath(ctx.text(op));
      if (path !== undefined) return `${path}.${ctx.text(field)}`;
    }
    return `.${ctx.text(field)}`;
  }
  return '';
}

/** Ancestors of `target` from the root down to its parent, found by offsets. */
export function ancestors(root: GoNode, target: GoNode): GoNode[] {
  const out: GoNode[] = [];
  let cur = root;
  for (let depth = 0; cur !== target && depth < 10_000; depth++) {
    out.push(cur);
    const cs = cur.children;
    // Last child starting at or before the target; zero-width and same-range wrappers are walked through.
    let lo = 0;
    let hi = cs.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid]!.start <= target.start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let next: GoNode | undefined;
    for (let k = at; k >= 0; k--) {
      const c = cs[k]!;
      if (c === target) {
        next = c;
        break;
      }
      if (c.start <= target.start && target.end <= c.end && c.children.length > 0) {
        next = c;
        break;
      }
      if (c.end < target.start) break;
    }
    if (!next) break;
    cur = next;
  }
  return out;
}

/** Whether span `inner` lies within span `outer`. */
export function spanWithin(inner: Span, outer: Span): boolean {
  const [l, c, el, ec] = inner;
  const [ol, oc, oel, oec] = outer;
  return (l > ol || (l === ol && c >= oc)) && (el < oel || (el === oel && ec <= oec));
}

export const stringLiterals: Extractor = new StringLiterals();
