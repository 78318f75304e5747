/**
 * hardcoded-platform: platform-generic code that pins one architecture where it should ask the
 * runtime: string literals naming a GOARCH or a GOOS/GOARCH pair ("amd64", "linux/arm64",
 * "x86_64", "k8s.gcr.io/pause-amd64:3.1", ".../bin/linux/amd64/kubectl", "GOARCH=amd64 go build"),
 * and integer literals passed as the trap number of syscall.Syscall and its relatives.
 *
 * Precision first: a literal is reported only on the targets where its file compiles and the literal's
 * platform is not the target's, and never when it is a comparison or case value, a struct tag, part of
 * a lookup table or branch that covers several platforms, a named constant for the platform, message
 * text, a pattern for strings/bytes/regexp functions, or in a test or generated file.
 */
import { defineRule, type RuleContext } from '../src/engine/define-rule.js';
import { type BuildOptions, buildContext, fileNameTags, matchTag } from '../src/constraints/context.js';
import { evalExpr, exprTags } from '../src/constraints/expr.js';
import type { SourceFile } from '../src/model/program.js';
import { platformTokens, spanWithin, type PlatformStringFact, type PlatformToken, type RawSyscallFact } from '../src/parser/extractors/string-literals.js';
import type { Span } from '../src/parser/facts.js';
import { type NodeId, type SyntaxView, viewOf } from '../src/parser/syntax-table.js';
import { exprString } from '../src/types/query.js';
import { parseGoInt } from '../src/parser/go-text.js';
import { DIST_LIST } from '../src/platform/known.js';
import { bundledSysnums } from '../src/sysnum/table.js';
import type { Related } from '../src/engine/types.js';
import type { PlatformMask, Targets } from '../src/platform/targets.js';

type Msg = 'archLiteral' | 'pairLiteral' | 'rawSyscall' | 'wrongSyscall' | 'noSyscall';

/** Calls whose string arguments are patterns to look for, not values to use. */
const QUERY_CALL =
  /^(?:strings|bytes)\.(?:Contains|ContainsAny|HasPrefix|HasSuffix|Index|LastIndex|Trim|TrimPrefix|TrimSuffix|TrimLeft|TrimRight|Replace|ReplaceAll|EqualFold|Count|Cut|CutPrefix|CutSuffix|Split|SplitN|SplitAfter)$|^regexp\.|^(?:path|path\/filepath)\.Match$|^slices\.(?:Contains|Index)$|^\.(?:MatchString|Match|FindString|FindStringSubmatch|ReplaceAllString)$/;

/** Calls whose string arguments are messages for people: errors, logs, test skips, panics. */
const MESSAGE_CALL =
  /^(?:panic|print|println)$|^(?:errors|fmt)\.(?:New|Errorf|Print|Printf|Println|Fprint|Fprintf|Fprintln)$|(?:^|\/)(?:errors|log|klog|glog|logrus|zap|slog|zerolog|logr|logging|logger)(?:\/v\d+)?\.[A-Za-z]+$|^\.(?:Error|Errorf|Errorln|Warn|Warnf|Warnln|Warning|Warningf|Info|Infof|Infoln|InfoS|ErrorS|Debug|Debugf|Debugln|Trace|Tracef|Fatal|Fatalf|Fatalln|Panic|Panicf|Print|Printf|Println|Log|Logf|Skip|Skipf|Notice|Noticef|Msg|Msgf|Wrap|Wrapf|WithMessage|WithMessagef)$/;

/** Flag definitions (flag, pflag, cobra): the last argument is the usage text. */
const FLAG_DEFINITION = /^(?:flag|github\.com\/spf13\/pflag)\.[A-Z]\w*$|^\.(?:Bool|String|Int|Int64|Uint|Uint64|Float64|Duration|StringSlice|StringArray|Var)(?:Var)?P?$/;

/** Keys of struct fields that hold text for people (`Usage:`, `Short:` of cobra commands, `Description:`). */
const TEXT_KEY = /^(?:short|long|example|usage|help|description|desc|message|msg|reason|summary|title|text|doc|comment|hint|note)$/i;

const SEP = '/-_=:.@';

/**
 * Whether the literal is prose ("not supported on amd64"): it contains whitespace and every platform
 * name in it stands as a word, not glued into a path, image name, file name or assignment.
 */
function isProse(value: string, tokens: readonly PlatformToken[]): boolean {
  if (!/\s/.test(value.trim())) return false;
  return tokens.every((t) => {
    if (t.os !== undefined) return false; // linux/amd64: glued by definition
    const before = value[t.index - 1];
    const end = t.index + t.text.length;
    const after = value[end];
    const afterNext = value[end + 1];
    const glued = (before !== undefined && SEP.includes(before)) || (after !== undefined && SEP.includes(after) && afterNext !== undefined && !/\s/.test(afterNext));
    return !glued;
  });
}

/** Text written for people: a sentence around the platform name ("Formatted as os/arch (e.g. linux/amd64)."). */
function isSentence(value: string): boolean {
  const v = value.trim();
  const words = v.match(/(?<![\w/.=-])[A-Za-z]{2,}(?![\w/.=-])/g) ?? [];
  return words.length >= 3 && (/[.,:;?!]\s|\(e\.g\.|[.!?]$/.test(v) || /^[A-Z][a-z]+\s/.test(v));
}

/** A file of a source tree (`deploy/iso/arch/x86_64/package/x.mk`, `hack/zerrors_linux_amd64.go`), not an artifact to fetch. */
const REPO_FILE = /^[^:\s]*\.(?:go|s|c|h|mk|sh|ps1|py|ya?ml|json|toml|hash|txt|md|bzl|bazel)$/;

/** An image reference with a registry (`k8s.gcr.io/pause-amd64:3.1`) or a URL: what tests get wrong too. */
const ARTIFACT = /:\/\/|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/[\w./-]+(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?$/;

/** Directories that hold test support code. */
const TEST_DIR = /(?:^|\/)(?:test|tests|testutils?|testhelpers?|testing|fakes?|mocks?|e2e|integration)\//;

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Whether an identifier names the literal's architecture (`ArchAMD64`, `linuxArm64Image`,
 * `archX8664`, `DockerLinuxArm64Tester.Run`): as one of its words, or inside it for long names.
 */
function namesArch(ident: string, t: PlatformToken): boolean {
  const words = new Set((ident.match(/[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+/g) ?? []).map((w) => w.toLowerCase()));
  const whole = squash(ident);
  // `arm` may be the family; an `Arm` name (`urlWinExeArm`) names an arm64 literal too.
  const keys = t.text === 'arm' ? ['arm', 'arm64'] : t.name === 'arm64' ? [squash(t.text), 'arm64', 'arm'] : [squash(t.text), t.name];
  return keys.some((k) => words.has(k) || (k.length >= 5 && whole.includes(k)));
}

/** Architecture names that are also words or codes (`"arm"` is Armenian in ISO 639-2, `"386"` a number). */
const AMBIGUOUS = new Set(['arm', '386', 'ppc', 'mips', 'sparc', 's390', 'riscv']);

/** Names of things that hold a platform (`Arch:`, `goarch :=`, `defaultPlatform`). */
const PLATFORM_HOLDER = /arch|platform|cpu|machine|target/i;

/** The literal is nothing but a platform name: "amd64", "linux/arm64". */
const isBarePlatform = (value: string, t: PlatformToken) => t.start === 0 && t.index + t.text.length === value.length;

/** An environment entry that sets the target of a Go build: `GOOS=linux`, `GOARCH=arm64`. */
const GO_ENV_ENTRY = /^GO(?:OS|ARCH)=[a-z0-9]+$/;

/** An emulator binary: the architecture is the emulated machine's (`qemu-system-x86_64`, `qemu-aarch64-static`). */
const EMULATOR = /^(?:.*\/)?qemu-(?:system-)?[a-z0-9_]+(?:-static)?(?:\.exe)?$/;

/** Directories of commands and build tooling, where a bare GOOS/GOARCH flag default names the build's target. */
const BUILD_TOOL_DIR = /(?:^|\/)(?:cmd|hack|tools|build|scripts|release)\//;
/** Directories of development tooling that is never shipped: any flag default names the tool's subject (`-tab ci-e2e-amd64`). */
const DEV_TOOL_DIR = /(?:^|\/)(?:hack|tools|scripts|release)\//;

/** Why a literal is not reported, or null when it is. */
function quietReason(f: PlatformStringFact, tokens: readonly PlatformToken[], tabled: ReadonlySet<string>, file: SourceFile): string | null {
  if (f.role !== 'value') return `${f.role}-literal`;
  // The platform is the explicit subject: the target of a build, a build tool's flag default, an emulator.
  if (GO_ENV_ENTRY.test(f.value) && (f.decl === 'Env' || f.key === 'Env')) return 'build-environment';
  if (EMULATOR.test(f.value)) return 'emulator';
  if (f.arg && f.arg[0] === f.arg[1] - 2 && f.calls && FLAG_DEFINITION.test(f.calls[0]!)) {
    const tools = DEV_TOOL_DIR.test(file.path) || (file.header.constraint !== null && exprTags(file.header.constraint).has('tools'));
    if (tools || (BUILD_TOOL_DIR.test(file.path) && isBarePlatform(f.value, tokens[0]!))) return 'build-tool-flag-default';
  }
  if (f.guarded) return 'platform-branch';
  if (f.table >= 2 || f.keyedByPlatform) return 'lookup-table';
  const arches = new Set(tokens.filter((t) => t.kind === 'arch').map((t) => t.name));
  if (arches.size !== 1) return 'several-platforms';
  const oses = new Set(tokens.flatMap((t) => (t.kind === 'os' ? [t.name] : t.os ? [t.os] : [])));
  if (oses.size > 1) return 'several-platforms';
  if (tabled.has(f.value)) return 'lookup-table-entry';
  if (f.calls && QUERY_CALL.test(f.calls[0]!)) return 'pattern-argument';
  if (f.calls?.some((c) => MESSAGE_CALL.test(c))) return 'message-text';
  if (f.key !== undefined && TEXT_KEY.test(f.key)) return 'message-text';
  if (f.arg && f.arg[0] === f.arg[1] - 1 && f.arg[1] >= 3 && FLAG_DEFINITION.test(f.calls![0]!)) return 'flag-usage';
  const arch = tokens.find((t) => t.kind === 'arch')!;
  const named = (name: string | undefined) => name !== undefined && namesArch(name, arch);
  if (named(f.decl)) return 'named-constant';
  if (named(f.func)) return 'function-named-for-platform';
  if (f.listed && isBarePlatform(f.value, arch)) return 'platform-list';
  if (f.value === arch.text && AMBIGUOUS.has(arch.text) && ![f.key, f.decl].some((n) => n !== undefined && PLATFORM_HOLDER.test(n))) return 'ambiguous-name';
  if (isProse(f.value, tokens) || isSentence(f.value)) return 'message-text';
  if (REPO_FILE.test(f.value)) return 'repository-file';
  return null;
}

/** The literal as shown in a message: quoted, at most ~60 characters. */
function shown(value: string): string {
  const v = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(v);
}

/** Platforms of `go tool dist list` whose build would include the file (name suffix and constraint). */
function distPlatforms(file: SourceFile, build: BuildOptions): { goos: string; goarch: string }[] {
  const out: { goos: string; goarch: string }[] = [];
  const nameTags = fileNameTags(file.name, build.goMinor);
  for (const id of DIST_LIST) {
    const [goos, goarch] = id.split('/') as [string, string];
    const ctx = buildContext({ goos, goarch, id }, { ...build, cgo: true });
    if (!nameTags.every((t) => matchTag(ctx, t))) continue;
    if (file.header.constraint && !evalExpr(file.header.constraint, (t) => matchTag(ctx, t))) continue;
    out.push({ goos, goarch });
  }
  return out;
}

/** GOOS families that share system call numbers (android is linux, ios is darwin, illumos is solaris). */
const OS_FAMILY: Readonly<Record<string, string>> = { android: 'linux', ios: 'darwin', illumos: 'solaris' };

/** The platform whose system call table a platform uses. */
function tableId(id: string): string {
  const [goos, goarch] = id.split('/') as [string, string];
  return `${OS_FAMILY[goos] ?? goos}/${goarch}`;
}

/**
 * Targets the literal is right for. `arm` inside a longer string also names the family
 * (`hw.optional.arm.FEAT_AES` in a darwin/arm64 file), so it is right for arm64 too; the literal
 * `"arm"` is GOARCH arm, and `armhf`, `armv7`, `arm32v7` are never arm64.
 */
function pinnedMask(targets: Targets, t: PlatformToken, value: string): PlatformMask {
  const family = t.text === 'arm' && value !== 'arm' ? ['arm', 'arm64'] : [t.name];
  return targets.maskOf((p) => family.includes(p.goarch) && (t.os === undefined || p.goos === t.os));
}

export default defineRule<Msg>({
  meta: {
    id: 'hardcoded-platform',
    title: 'architecture or platform hardcoded in platform-generic code',
    category: 'suspicious',
    severity: 'warning',
    since: '0.1.0',
    messages: {
      archLiteral: '{literal} hardcodes the {arch} architecture; derive it from runtime.GOARCH',
      pairLiteral: '{literal} hardcodes the {platform} platform; derive it from runtime.GOOS and runtime.GOARCH',
      rawSyscall: 'raw system call number {number} passed to {fn}: it is SYS_{name} on every platform this file compiles for; use the constant',
      wrongSyscall: 'raw system call number {number} passed to {fn} is not SYS_{name} on every platform this file compiles for; use the SYS_{name} constant',
      noSyscall: 'raw system call number {number} passed to {fn} is no system call on some platforms this file compiles for',
    },
  },
  check(ctx) {
    const { pkg, targets } = ctx;
    // Values that are entries of a lookup table somewhere in the package: a literal equal to one selects an entry.
    const tabled = new Set<string>();
    for (const { file } of pkg.files) {
      for (const f of file.facts?.extra.platformLiterals?.strings ?? []) if (f.table >= 2) tabled.add(f.value);
    }
    for (const { file, mask } of pkg.files) {
      const lits = file.facts?.extra.platformLiterals;
      if (!lits || !ctx.reportsOn(file)) continue;
      if (file.facts!.generated) {
        ctx.skip('generated-file', lits.strings.length + lits.syscalls.length);
        continue;
      }

      const testCode = file.isTest || TEST_DIR.test(file.path);
      for (const f of lits.strings) {
        const tokens = platformTokens(f.value);
        const why = quietReason(f, tokens, tabled, file);
        if (why === null && testCode && !ARTIFACT.test(f.value)) {
          ctx.skip('test-code');
          continue;
        }
        if (why !== null) {
          ctx.skip(why);
          continue;
        }
        const t = tokens.find((x) => x.kind === 'arch')!;
        const affected = mask & ~pinnedMask(targets, t, f.value);
        if (affected === 0n) {
          ctx.skip('file-constrained-to-platform');
          continue;
        }
        if (runtimeFallback(file, f)) {
          ctx.skip('runtime-fallback');
          continue;
        }
        const literal = shown(f.value);
        if (t.os !== undefined) {
          const platform = `${t.os}/${t.name}`;
          ctx.report({
            file,
            span: f.span,
            messageId: 'pairLiteral',
            data: { literal, platform },
            platforms: affected,
            symbol: f.value,
            suggestion: 'use runtime.GOOS and runtime.GOARCH',
          });
        } else {
          ctx.report({
            file,
            span: f.span,
            messageId: 'archLiteral',
            data: { literal, arch: t.name },
            platforms: affected,
            symbol: f.value,
            suggestion: 'use runtime.GOARCH',
          });
        }
      }

      if (lits.syscalls.length > 0) checkSyscalls(ctx, file, mask, lits.syscalls);
    }
  },
});

const sameSpan = (a: Span, b: Span) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/**
 * Whether the literal is the fallback of an answer asked of the runtime: the same function makes the
 * same call (or index) with an expression of `runtime.GOARCH` in the literal's place —
 * `sizes := types.SizesFor("gc", runtime.GOARCH); if sizes == nil { sizes = types.SizesFor("gc",
 * "amd64") }`. On every target the runtime's answer serves, the literal is not used; it stands for
 * a platform the lookup does not know. Read from the file's syntax table, only for a literal about
 * to be reported.
 */
function runtimeFallback(file: SourceFile, f: PlatformStringFact): boolean {
  const facts = file.facts;
  const table = facts?.extra.syntax;
  if (!facts || !table || !f.func) return false;
  const arch = facts.qualRefs.filter((q) => q.pkg === 'runtime' && q.name === 'GOARCH');
  if (arch.length === 0) return false;
  const v = viewOf(table);
  let lit = -1;
  for (let i = 0; i < v.count && lit < 0; i++) {
    const k = v.kind(i);
    if ((k === 'interpreted_string_literal' || k === 'raw_string_literal') && sameSpan(v.span(i), f.span)) lit = i;
  }
  if (lit < 0) return false;
  // Ancestors, outermost first: the nodes before the literal whose subtree holds it.
  const up: NodeId[] = [];
  for (let i = 0; i < lit; i++) if (v.next(i) > lit) up.push(i);
  const decl = up.find((i) => v.kind(i) === 'function_declaration' || v.kind(i) === 'method_declaration');
  if (decl === undefined) return false;
  // The innermost call or index whose argument (index) holds the literal.
  for (let a = up.length - 1; a >= 0 && up[a]! > decl; a--) {
    const holder = up[a]!;
    const shape = slotOf(v, holder, lit);
    if (!shape) continue;
    if (shape.head.includes('…')) return false;
    for (let j = decl; j < v.next(decl); j++) {
      if (j === holder || v.kind(j) !== v.kind(holder)) continue;
      const other = slotOf(v, j);
      if (!other || other.head !== shape.head || other.slots.length !== shape.slots.length) continue;
      const slot = other.slots[shape.at]!;
      const sp = v.span(slot);
      if (arch.some((q) => spanWithin(q.span, sp))) return true;
    }
    return false;
  }
  return false;
}

/**
 * A call's callee and arguments, or an index expression's operand and index; with `inner`, also
 * which of those slots holds that node (undefined when none does).
 */
function slotOf(v: SyntaxView, n: NodeId, inner?: NodeId): { head: string; slots: NodeId[]; at: number } | undefined {
  let head: NodeId;
  let slots: NodeId[];
  if (v.kind(n) === 'call_expression') {
    head = v.child(n, 'function');
    const args = v.child(n, 'arguments');
    if (head < 0 || args < 0) return undefined;
    slots = v.children(args);
  } else if (v.kind(n) === 'index_expression') {
    head = v.child(n, 'operand');
    const index = v.child(n, 'index');
    if (head < 0 || index < 0) return undefined;
    slots = [index];
  } else return undefined;
  const at = inner === undefined ? 0 : slots.findIndex((s) => s <= inner && inner < v.next(s));
  if (at < 0) return undefined;
  return { head: exprString(v, head), slots, at };
}

const squashName = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The system call a function is named for (`gettid`, `Gettid`, `sysGettid`, `rawTgkill`), among `known` names. */
function namedSyscall(func: string | undefined, known: ReadonlyMap<string, string>): string | undefined {
  if (func === undefined) return undefined;
  const base = squashName(func.replace(/^.*\./, ''));
  for (const cand of [base, base.replace(/^(?:sys|raw|do|linux)/, ''), base.replace(/(?:syscall|raw|nocancel|trap)$/, '')]) {
    const hit = known.get(cand);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * Raw trap numbers, checked against the system call tables of every port where the file compiles
 * (data/sysnum): a number that is another system call, or none, on some of them is an error naming
 * the constant meant (from the function's name, else linux/amd64's, else the first port's), with the
 * right number per platform in notes; the same system call everywhere is info.
 */
function checkSyscalls(ctx: RuleContext<Msg>, file: SourceFile, mask: PlatformMask, syscalls: readonly RawSyscallFact[]): void {
  const sys = bundledSysnums();
  const dist = distPlatforms(file, ctx.program.opts.build).map((p) => `${p.goos}/${p.goarch}`);
  const covered = [...new Set(dist.map(tableId))].filter((p) => sys.has(p));
  if (covered.length === 0) {
    ctx.skip('no-syscall-table', syscalls.length);
    return;
  }
  // Every system call name of those platforms, for the one a function is named after.
  const known = new Map<string, string>();
  if (syscalls.some((s) => s.func !== undefined)) for (const p of covered) for (const name of sys.constants(p)) known.set(squashName(name), name);
  for (const s of syscalls) {
    const n = parseGoInt(s.number);
    if (s.guarded) {
      ctx.skip('platform-branch');
      continue;
    }
    if (n === undefined) {
      ctx.skip('unparsed-number');
      continue;
    }
    // A number above a platform's table may be a system call newer than the table: unknown there.
    const judged = covered.filter((p) => n <= sys.max(p) || sys.names(p, n).length > 0);
    if (judged.length === 0) {
      ctx.skip('beyond-syscall-table');
      continue;
    }
    const names = new Map(judged.map((p) => [p, sys.names(p, n)]));
    const everywhere = new Set(judged.map((p) => names.get(p)!.join(','))).size === 1 && names.get(judged[0]!)!.length > 0;
    // The constant meant: named by the function, else the reference platform's.
    let name = namedSyscall(s.func, known);
    if (name === undefined) {
      const ref = judged.includes('linux/amd64') ? 'linux/amd64' : judged[0]!;
      name = names.get(ref)![0] ?? judged.map((p) => names.get(p)![0]).find((x) => x !== undefined);
    }
    const base: Omit<Parameters<RuleContext<Msg>['report']>[0], 'messageId' | 'platforms'> = { file, span: s.span, symbol: `${s.fn}(${s.number})` };
    if (name === undefined) {
      ctx.report({ ...base, messageId: 'noSyscall', data: { number: s.number, fn: s.fn }, platforms: mask });
      continue;
    }
    const qual = s.fn.slice(0, s.fn.indexOf('.'));
    const pkgPath = file.facts?.imports.find((i) => (i.alias ?? i.path.replace(/^.*\//, '')) === qual)?.path;
    const declared = pkgPath !== undefined && covered.every((p) => sys.declares(pkgPath, p, name!));
    const fix = declared ? { description: `use ${qual}.SYS_${name}`, edits: [{ span: s.span, text: `${qual}.SYS_${name}` }] } : undefined;
    const wrong = new Set(judged.filter((p) => !names.get(p)!.includes(name!)));
    if (wrong.size === 0) {
      // The same system call everywhere: a readability matter, only where the file is for several platforms.
      if (new Set(dist.map(tableId)).size < 2 || !everywhere || judged.length < covered.length) {
        ctx.skip('file-constrained-to-platform');
        continue;
      }
      ctx.report({ ...base, messageId: 'rawSyscall', data: { number: s.number, fn: s.fn, name }, platforms: mask, severity: 'info', ...(fix ? { fix } : {}) });
      continue;
    }
    const bad = mask & ctx.targets.maskOf((p) => wrong.has(tableId(p.id)));
    if (bad === 0n) {
      ctx.skip('wrong-only-off-targets');
      continue;
    }
    const related: Related[] = ctx.targets.platforms(bad).map((p) => {
      const is = names.get(tableId(p.id))!;
      const right = sys.number(tableId(p.id), name!);
      return {
        file: file.path,
        line: s.span[0],
        column: s.span[1],
        message: `${p.id}: ${n} is ${is.length > 0 ? is.map((x) => `SYS_${x}`).join(', ') : 'no system call'}; SYS_${name} is ${right ?? 'not defined there'}`,
      };
    });
    ctx.report({ ...base, messageId: 'wrongSyscall', data: { number: s.number, fn: s.fn, name }, platforms: bad, severity: 'error', related, ...(fix ? { fix } : {}) });
  }
}
