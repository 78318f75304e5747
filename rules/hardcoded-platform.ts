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
import { defineRule } from '../src/engine/define-rule.js';
import { type BuildOptions, buildContext, fileNameTags, matchTag } from '../src/constraints/context.js';
import { evalExpr } from '../src/constraints/expr.js';
import type { SourceFile } from '../src/model/program.js';
import { platformTokens, type PlatformStringFact, type PlatformToken } from '../src/parser/extractors/string-literals.js';
import { DIST_LIST } from '../src/platform/known.js';
import type { PlatformMask, Targets } from '../src/platform/targets.js';

type Msg = 'archLiteral' | 'pairLiteral' | 'rawSyscall';

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
  const keys = t.text === 'arm' ? ['arm', 'arm64'] : [squash(t.text), t.name]; // `arm` may be the family
  return keys.some((k) => words.has(k) || (k.length >= 5 && whole.includes(k)));
}

/** Architecture names that are also words or codes (`"arm"` is Armenian in ISO 639-2, `"386"` a number). */
const AMBIGUOUS = new Set(['arm', '386', 'ppc', 'mips', 'sparc', 's390', 'riscv']);

/** Names of things that hold a platform (`Arch:`, `goarch :=`, `defaultPlatform`). */
const PLATFORM_HOLDER = /arch|platform|cpu|machine|target/i;

/** The literal is nothing but a platform name: "amd64", "linux/arm64". */
const isBarePlatform = (value: string, t: PlatformToken) => t.start === 0 && t.index + t.text.length === value.length;

/** Why a literal is not reported, or null when it is. */
function quietReason(f: PlatformStringFact, tokens: readonly PlatformToken[], tabled: ReadonlySet<string>): string | null {
  if (f.role !== 'value') return `${f.role}-literal`;
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
      rawSyscall: 'raw system call number {number} passed to {fn}: numbers differ between platforms; use the SYS_* constant',
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
      if (!lits) continue;
      if (file.facts!.generated) {
        ctx.skip('generated-file', lits.strings.length + lits.syscalls.length);
        continue;
      }

      const testCode = file.isTest || TEST_DIR.test(file.path);
      for (const f of lits.strings) {
        const tokens = platformTokens(f.value);
        const why = quietReason(f, tokens, tabled);
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

      if (lits.syscalls.length > 0) {
        // A number is right for the one platform a file is written for: silent in a file that only
        // one GOOS family and one GOARCH compile, whatever the targets.
        const dist = distPlatforms(file, ctx.program.opts.build);
        const oses = new Set(dist.map((p) => OS_FAMILY[p.goos] ?? p.goos));
        const arches = new Set(dist.map((p) => p.goarch));
        for (const s of lits.syscalls) {
          if (oses.size <= 1 && arches.size <= 1) {
            ctx.skip('file-constrained-to-platform');
            continue;
          }
          ctx.report({
            file,
            span: s.span,
            messageId: 'rawSyscall',
            data: { number: s.number, fn: s.fn },
            platforms: mask,
            symbol: `${s.fn}(${s.number})`,
            suggestion: 'use the SYS_* constant of syscall or golang.org/x/sys/unix',
          });
        }
      }
    }
  },
});
