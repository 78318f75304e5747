/**
 * build-constraint: build constraints that do not do what their author meant, judged with Go's own
 * rules (src/constraints, a port of go/build): near misses Go ignores (`// + build`, `//go: build`),
 * `// +build` lines not followed by a blank line or after the package clause, `//go:build` and
 * `// +build` lines that disagree, repeated `//go:build` lines, misspelled GOOS/GOARCH in tags and
 * file-name suffixes, `_unix.go` files without a unix constraint, `goX.Y` tags newer than the
 * module's Go version that leave names undefined, files no platform compiles, and comparisons of
 * `runtime.GOOS`/`runtime.GOARCH` that the file's own constraints make always false.
 */
import { defineRule, type RuleContext } from '../src/engine/define-rule.js';
import { type BuildContext, buildContext, type BuildOptions, fileNameTags, knownArch, knownOS, matchTag } from '../src/constraints/context.js';
import {
  ConstraintSyntaxError,
  evalExpr,
  type Expr,
  exprString,
  exprTags,
  parseGoBuildExpr,
  parsePlusBuildExpr,
  splitGoBuild,
  splitPlusBuild,
} from '../src/constraints/expr.js';
import { ConstraintEvaluator } from '../src/constraints/fileset.js';
import type { ConstraintLine } from '../src/constraints/header.js';
import { goMinorOf } from '../src/loader/gomod.js';
import type { DirModel, PackageModel, Program, SourceFile } from '../src/model/program.js';
import type { Span } from '../src/parser/facts.js';
import { DIST_LIST, NEWEST_GO_MINOR, UNIX_OS } from '../src/platform/known.js';
import type { PlatformMask, Targets } from '../src/platform/targets.js';

type Msg =
  | 'ignoredLine'
  | 'malformedPlusBuild'
  | 'plusBuildNoBlank'
  | 'misplaced'
  | 'misplacedGoBuild'
  | 'mismatch'
  | 'multipleGoBuild'
  | 'invalidGoBuild'
  | 'unknownTag'
  | 'compoundTag'
  | 'unknownSuffix'
  | 'unixSuffix'
  | 'newerGoTag'
  | 'neverBuilt'
  | 'alwaysFalse'
  | 'deadCase'
  | 'unknownValue';

/** Common misnames of a GOOS or GOARCH (never valid as tags or file-name suffixes). */
const ALIASES: Readonly<Record<string, string>> = {
  macos: 'darwin', osx: 'darwin', mac: 'darwin', macosx: 'darwin',
  win: 'windows', win32: 'windows', win64: 'windows',
  x86: '386', i386: '386', i686: '386', x86_32: '386',
  x64: 'amd64', x86_64: 'amd64', amd: 'amd64',
  aarch64: 'arm64', armv8: 'arm64',
  aarch32: 'arm', armhf: 'arm', armv7: 'arm', armv6: 'arm', arm32: 'arm',
  ppc64el: 'ppc64le', powerpc64le: 'ppc64le', powerpc64: 'ppc64',
  // Debian's and libseccomp's names of the little-endian MIPS ports (runtime.GOARCH == "mipsel64" in
  // seccomp profiles): Go's are mipsle and mips64le, and plain mips/mips64 are the big-endian ones.
  mipsel: 'mipsle', mips64el: 'mips64le', mipsel64: 'mips64le',
  loongarch64: 'loong64',
};

/** Words near a GOOS/GOARCH name that are ordinary file-name parts or tags, never misspellings. */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  'window', 'plan', 'hard', 'herd', 'farm', 'harm', 'warm', 'arms', 'army', 'arch', 'arc', 'bios', 'aux', 'mix',
  'line', 'lines', 'links', 'lint', 'linear', 'unix', 'posix', 'solar', 'wasi', 'ios2', 'amiga', 'mipsx', 'ppc64x',
  'mips64x', 'armx', 'arm64x', 'darwinx', 'zoo', 'js2', 'sparcx', 'android2', 'andr', 'illumo', 'wasmer',
  'jsonx', 'sparce', 'power', 'cygwin', 'mingw', 'msys', 'maps', 'map', 'wins', 'winner', 'linus',
  'dawn', 'darwinian', 'linker', 'sparks', 'spark', 'mipmap',
]);

/** File-name words that negate the suffix after them (`_non_unix.go`, `_no_windows.go`). */
const NEGATING: ReadonlySet<string> = new Set(['non', 'no', 'not']);

/** Import paths whose use makes a file platform-specific in intent. */
const PLATFORM_IMPORT = /^(syscall|unsafe|C|golang\.org\/x\/sys\/.*|internal\/syscall\/.*)$/;

const GO_VERSION_TAG = /^go1\.([1-9]\d*)$/;
const FEATURE_TAG = /^(386|amd64|arm|arm64|mips|mipsle|mips64|mips64le|ppc64|ppc64le|riscv64|wasm)\.\w+$/;
const MAX_FREE_TAGS = 12;

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

interface Suggestion {
  name: string;
  /** A second name the word may mean (`x86`: 386 or amd64). */
  also?: string;
  kind: 'GOOS' | 'GOARCH';
  /** How the word relates to the name: same letters in another case, a known alias, or a typo. */
  how: 'case' | 'alias' | 'typo';
  distance: number;
}

/** suggestPlatformName's answers by Go minor and word (every file name's last element asks: few words, many files). */
const suggestions = new Map<number, Map<string, Suggestion | undefined>>();

/** The GOOS/GOARCH a word most likely means, when it is a near miss of one. */
function suggestPlatformName(word: string, goMinor: number): Suggestion | undefined {
  let byWord = suggestions.get(goMinor);
  if (!byWord) suggestions.set(goMinor, (byWord = new Map()));
  if (byWord.has(word)) return byWord.get(word);
  const s = suggestUncached(word, goMinor);
  byWord.set(word, s);
  return s;
}

function suggestUncached(word: string, goMinor: number): Suggestion | undefined {
  const oses = knownOS(goMinor);
  const arches = knownArch(goMinor);
  const kindOf = (n: string): 'GOOS' | 'GOARCH' => (oses.has(n) ? 'GOOS' : 'GOARCH');
  if (oses.has(word) || arches.has(word)) return undefined;
  const lower = word.toLowerCase();
  if (oses.has(lower) || arches.has(lower)) return { name: lower, kind: kindOf(lower), how: 'case', distance: 0 };
  const alias = ALIASES[lower];
  if (alias) return { name: alias, kind: kindOf(alias), how: 'alias', distance: 0, ...(lower === 'x86' ? { also: 'amd64' } : {}) };
  if (COMMON_WORDS.has(lower) || lower.length <= 3) return undefined;
  const dist = new Set(DIST_LIST.flatMap((p) => p.split('/')));
  // A word size on a family's name (`riscv32`, `mips32`, `loong32`) names an architecture, not a
  // misspelling: of another width of it (`riscv64`) never; of the bare family name only where that
  // is Go's port of the width (`mips`). `riscv32` has none: its tag is meant never to be set here.
  const width = /^([a-z]+?)(16|32|64|128)$/.exec(lower);
  if (width && [...arches].some((n) => n === width[1] || (n.startsWith(width[1]!) && /^(16|32|64|128)$/.test(n.slice(width[1]!.length))))) {
    const stem = width[1]!;
    return arches.has(stem) && dist.has(stem) ? { name: stem, kind: 'GOARCH', how: 'typo', distance: editDistance(lower, stem) } : undefined;
  }
  const max = lower.length <= 5 ? 1 : 2;
  let best: Suggestion | undefined;
  for (const n of [...oses, ...arches]) {
    const d = editDistance(lower, n);
    if (d > max || d >= n.length - 1) continue;
    // Prefer the smaller distance, then names of current ports.
    if (!best || d < best.distance || (d === best.distance && dist.has(n) && !dist.has(best.name))) {
      best = { name: n, kind: kindOf(n), how: 'typo', distance: d };
    }
  }
  return best;
}

/** Whether no other GOOS/GOARCH name is as near to `word` as the suggestion (`arm6`: arm or arm64?). */
function uniqueSuggestion(word: string, s: Suggestion, goMinor: number): boolean {
  if (s.how !== 'typo') return true;
  const lower = word.toLowerCase();
  return [...knownOS(goMinor), ...knownArch(goMinor)].filter((n) => editDistance(lower, n) === s.distance).length === 1;
}

/** Tags whose value the platform decides (the rest — cgo, gc, goX.Y, user tags — can be set either way). */
function isPlatformTag(tag: string, goMinor: number): boolean {
  return tag === 'unix' || knownOS(goMinor).has(tag) || knownArch(goMinor).has(tag);
}

/** Whether a build context plus some assignment of the free tags satisfies `x`. */
function satisfiable(ctx: BuildContext, x: Expr, goMinor: number): boolean {
  const free = [...exprTags(x)].filter((t) => !isPlatformTag(t, goMinor));
  if (free.length > MAX_FREE_TAGS) return true;
  for (let m = 0; m < 1 << free.length; m++) {
    // A GOARCH feature tag (amd64.v3, arm.7) can be set through GOAMD64, GOARM... on its own arch only.
    const set = new Map(free.map((t, i) => [t, ((m >> i) & 1) === 1 && (!FEATURE_TAG.test(t) || t.split('.')[0] === ctx.goarch)]));
    if (evalExpr(x, (t) => set.get(t) ?? matchTag(ctx, t))) return true;
  }
  return false;
}

function parseLine(line: string): Expr | undefined {
  try {
    const gb = splitGoBuild(line);
    if (gb !== undefined) return parseGoBuildExpr(gb);
    const pb = splitPlusBuild(line);
    if (pb !== undefined) return parsePlusBuildExpr(pb);
  } catch (e) {
    if (!(e instanceof ConstraintSyntaxError)) throw e;
  }
  return undefined;
}

/** equivalent's answers by the two expressions' structure (vendored trees repeat the same pairs of lines). */
const equivalence = new Map<string, boolean>();

/** Semantic equality of two constraint expressions over all their tags (as go vet intends). */
function equivalent(a: Expr, b: Expr): boolean {
  const key = `${JSON.stringify(a)}\n${JSON.stringify(b)}`;
  let r = equivalence.get(key);
  if (r === undefined) equivalence.set(key, (r = equivalentNow(a, b)));
  return r;
}

function equivalentNow(a: Expr, b: Expr): boolean {
  const tags = [...new Set([...exprTags(a), ...exprTags(b)])];
  if (tags.length > 16) return exprString(a) === exprString(b);
  for (let m = 0; m < 1 << tags.length; m++) {
    const val = new Map(tags.map((t, i) => [t, ((m >> i) & 1) === 1]));
    const ok = (t: string) => val.get(t) === true;
    if (evalExpr(a, ok) !== evalExpr(b, ok)) return false;
  }
  return true;
}

function replaceTag(x: Expr, from: string, to: Expr): Expr {
  switch (x.op) {
    case 'tag':
      return x.tag === from ? to : x;
    case 'not':
      return { op: 'not', x: replaceTag(x.x, from, to) };
    default:
      return { op: x.op, x: replaceTag(x.x, from, to), y: replaceTag(x.y, from, to) };
  }
}

/** An expression as go/build/constraint's String() writes it (what gofmt puts on a //go:build line). */
function goString(x: Expr): string {
  switch (x.op) {
    case 'tag':
      return x.tag;
    case 'not':
      return x.x.op === 'and' || x.x.op === 'or' ? `!(${goString(x.x)})` : `!${goString(x.x)}`;
    case 'and': {
      const arg = (e: Expr) => (e.op === 'or' ? `(${goString(e)})` : goString(e));
      return `${arg(x.x)} && ${arg(x.y)}`;
    }
    case 'or': {
      const arg = (e: Expr) => (e.op === 'and' ? `(${goString(e)})` : goString(e));
      return `${arg(x.x)} || ${arg(x.y)}`;
    }
  }
}

/** Pushes negations down to the tags (go/build/constraint's pushNot). */
function pushNot(x: Expr, not: boolean): Expr {
  switch (x.op) {
    case 'tag':
      return not ? { op: 'not', x } : x;
    case 'not':
      return x.x.op === 'tag' && !not ? x : pushNot(x.x, !not);
    case 'and':
    case 'or': {
      const op = (x.op === 'and') !== not ? 'and' : 'or';
      return { op, x: pushNot(x.x, not), y: pushNot(x.y, not) };
    }
  }
}

const splitOp = (op: 'and' | 'or', x: Expr, out: Expr[] = []): Expr[] => {
  if (x.op === op) {
    splitOp(op, x.x, out);
    splitOp(op, x.y, out);
  } else out.push(x);
  return out;
};

/**
 * The `// +build` lines for an expression, as go/build/constraint's PlusBuildLines (and so `go fix`
 * and gofmt) write them; undefined when the expression is too complex for +build syntax.
 */
export function plusBuildLines(x: Expr): string[] | undefined {
  let split: Expr[][][] = [];
  for (const or of splitOp('and', pushNot(x, false))) {
    const ands: Expr[][] = [];
    for (const and of splitOp('or', or)) {
      const lits = splitOp('and', and);
      if (lits.some((l) => l.op !== 'tag' && l.op !== 'not')) return undefined;
      ands.push(lits);
    }
    split.push(ands);
  }
  if (Math.max(...split.map((or) => or.length)) === 1) split = [[split.flatMap((or) => or[0]!)]];
  return split.map((or) => `// +build ${or.map((and) => and.map(goString).join(',')).join(' ')}`);
}

/** Edits that replace a file's +build lines with `lines` (the first line gets them all, the others go). */
function plusBuildEdits(h: { plusBuild: readonly ConstraintLine[] }, lines: readonly string[]): { span: Span; text: string }[] {
  return h.plusBuild.map((l, i) => (i === 0 ? { span: lineSpan(l), text: lines.join('\n') } : { span: [l.line, 1, l.line + 1, 1] as Span, text: '' }));
}

const lineSpan = (line: ConstraintLine): Span => [line.line, 1, line.line, 1 + Buffer.byteLength(line.text)];

/** Per-run helpers: evaluation of constraints over the targets and over every port. */
class Evaluator {
  private readonly targetCtxs: BuildContext[];
  private readonly distCtxs: { id: string; goos: string; goarch: string; ctx: BuildContext }[];
  private readonly possibleCache = new Map<string, Set<string>>();
  readonly goMinor: number;

  constructor(targets: Targets, opts: BuildOptions) {
    this.goMinor = opts.goMinor;
    this.targetCtxs = targets.list.map((p) => buildContext(p, opts));
    // Every GOOS/GOARCH pair go/build knows, not only `go tool dist list`: gccgo builds for more
    // (aix/ppc, linux/sparc64, zos/s390x), and golang.org/x/sys carries files for them.
    // Names of any Go release count (wasip1 is a GOOS since Go 1.21, whatever the local go).
    this.distCtxs = [];
    for (const goos of knownOS(NEWEST_GO_MINOR)) {
      for (const goarch of knownArch(NEWEST_GO_MINOR)) {
        const id = `${goos}/${goarch}`;
        this.distCtxs.push({ id, goos, goarch, ctx: buildContext({ goos, goarch, id }, { cgo: false, tags: [], goMinor: NEWEST_GO_MINOR }) });
      }
    }
  }

  /** Targets where a file with these name tags and constraints (ANDed) is compiled. */
  targetMask(nameTags: readonly string[], exprs: readonly (Expr | null)[]): PlatformMask {
    const key = `${nameTags.join(',')}\n${exprs.map((x) => JSON.stringify(x)).join('\n')}`;
    let m = this.maskCache.get(key);
    if (m === undefined) this.maskCache.set(key, (m = this.targetMaskNow(nameTags, exprs)));
    return m;
  }

  private readonly maskCache = new Map<string, PlatformMask>();

  private targetMaskNow(nameTags: readonly string[], exprs: readonly (Expr | null)[]): PlatformMask {
    let m = 0n;
    this.targetCtxs.forEach((ctx, i) => {
      if (!nameTags.every((t) => matchTag(ctx, t))) return;
      if (!exprs.every((x) => x === null || evalExpr(x, (t) => matchTag(ctx, t)))) return;
      m |= 1n << BigInt(i);
    });
    return m;
  }

  /** GOOS/GOARCH pairs a file can be compiled for with some setting of cgo, the compiler and the user tags. */
  possible(name: string, constraint: Expr | null): Set<string> {
    const nameTags = fileNameTags(name, NEWEST_GO_MINOR);
    const key = `${nameTags.join(',')}|${constraint ? exprString(constraint) : ''}`;
    let s = this.possibleCache.get(key);
    if (s) return s;
    s = new Set();
    for (const d of this.distCtxs) {
      if (!nameTags.every((t) => matchTag(d.ctx, t))) continue;
      if (constraint && !satisfiable(d.ctx, constraint, NEWEST_GO_MINOR)) continue;
      s.add(d.id);
    }
    this.possibleCache.set(key, s);
    return s;
  }
}

/** One evaluator per run (its caches serve every package); keyed weakly by the run's program. */
const evaluators = new WeakMap<Program, Evaluator>();

export default defineRule<Msg>({
  meta: {
    id: 'build-constraint',
    title: 'build constraint that does not do what it says',
    category: 'suspicious',
    severity: 'warning',
    since: '0.1.0',
    messages: {
      ignoredLine: '"{text}" is not a build constraint and Go ignores it: write "{fix}"',
      malformedPlusBuild: 'possible malformed +build comment: "{text}" (go vet buildtag)',
      plusBuildNoBlank: '+build line is ignored: it must be followed by a blank line before the package clause',
      misplaced: '+build line after the package clause is ignored',
      misplacedGoBuild: '//go:build line after the package clause: go/build ignores it and the compiler rejects it (misplaced compiler directive)',
      mismatch: '+build lines do not match //go:build condition: they differ when {example}',
      multipleGoBuild: 'multiple //go:build lines: go/build rejects the file',
      invalidGoBuild: 'invalid //go:build line ({reason}): go/build rejects the file',
      unknownTag: 'unknown {kind} "{tag}" in build constraint: did you mean "{fix}"?',
      compoundTag: 'build tag "{tag}" is never set: write "{fix}"',
      unknownSuffix: 'file name suffix "_{elem}" is not a {kind}, so the file is compiled everywhere: did you mean "_{fix}"?',
      unixSuffix: '_unix.go file has no unix build constraint: it is compiled for non-unix GOOS too, and the package does not build there ({why})',
      newerGoTag: '{tag} is newer than the module\'s go {version}: with Go {version} this file is left out and {name} used in {user} is undefined',
      neverBuilt: 'build constraints exclude this file on every GOOS/GOARCH: {why}',
      alwaysFalse: 'runtime.{name} {op} "{value}" is always false: this file is only compiled for {name} {allowed}',
      deadCase: 'case "{value}" never matches: this file is only compiled for {name} {allowed}',
      unknownValue: '"{value}" is not a {name} value: runtime.{name} {op} "{value}" is always {result}',
    },
  },
  check(ctx) {
    const { pkg, program } = ctx;
    let ev = evaluators.get(program);
    if (!ev) evaluators.set(program, (ev = new Evaluator(ctx.targets, program.opts.build)));
    // Header checks run once per directory: by its first unit that any target compiles. Directories
    // no target compiles are never given to rules, so the first live package checks those too.
    const dm = pkg.dir;
    const firstUnit = dm.lib.mask !== 0n ? dm.lib : dm.xtest;
    if (firstUnit === pkg) checkDir(ctx, ev, dm);
    if (program.packages.find((p) => p.mask !== 0n) === pkg) {
      for (const other of program.dirs) {
        if (other.lib.mask === 0n && (other.xtest?.mask ?? 0n) === 0n) checkDir(ctx, ev, other);
      }
    }
    checkNewerGoTags(ctx, ev, pkg);
    checkRuntimeCompares(ctx, ev, pkg);
  },
});

// ---------------------------------------------------------------------------------------------
// Header lines

function checkDir(ctx: RuleContext<Msg>, ev: Evaluator, dm: DirModel): void {
  const all = ctx.targets.all;
  const names = new Set(dm.files.map((f) => f.name));
  for (const f of dm.files) {
    // Each check reports on the file it reads (reading its siblings' names and declarations).
    if (f.unreadable || !ctx.reportsOn(f)) continue;
    checkLines(ctx, ev, f);
    checkTags(ctx, ev, f);
    checkSuffix(ctx, ev, f, names, dm);
    if (!f.header.invalid && f.header.pkgName !== 'documentation') {
      const possible = ev.possible(f.name, f.header.constraint);
      if (possible.size === 0) {
        const why = f.header.constraint ? `${exprString(f.header.constraint)}${fileNameTags(f.name, ev.goMinor).length ? ` with file name ${f.name}` : ''}` : f.name;
        ctx.report({ file: f, span: constraintSpan(f), messageId: 'neverBuilt', data: { why }, platforms: all });
      }
    }
  }
}

function constraintSpan(f: SourceFile): Span {
  const h = f.header;
  const line = h.goBuild ?? h.plusBuild[0];
  return line ? lineSpan(line) : [Math.max(h.pkgLine, 1), 1, Math.max(h.pkgLine, 1), 8];
}

/** A `//` line that tries to be a `+build` or `//go:build` constraint, corrected; undefined when it is not such an attempt. */
function nearMiss(text: string): { fix: string; family: '+build' | 'go:build' } | undefined {
  const body = text.slice(2);
  let m = /^\s*\+\s*([A-Za-z]+)(:?)(.*)$/.exec(body);
  if (m) {
    const word = m[1]!;
    const rest = m[3]!.replace(/^[\s:]+/, '');
    if (word === 'build' && m[2] === '' && /^\s*\+build(\s|$)/.test(body)) return undefined; // valid
    if (word.toLowerCase() === 'build' || (word.length >= 4 && editDistance(word.toLowerCase(), 'build') <= 1)) {
      return { fix: `// +build ${rest}`.trimEnd(), family: '+build' };
    }
    return undefined;
  }
  m = /^(\s*)go(\s*):(\s*)([A-Za-z]+)(.*)$/i.exec(body);
  if (m) {
    const word = m[4]!;
    const rest = m[5]!.replace(/^[\s:]+/, '');
    if (m[1] === '' && m[2] === '' && m[3] === '' && text.startsWith('//go:') && word === 'build' && /^\s/.test(m[5]!)) return undefined; // valid
    if (word.toLowerCase() === 'build' || (word.length >= 4 && editDistance(word.toLowerCase(), 'build') <= 1)) {
      return { fix: `//go:build ${rest}`.trimEnd(), family: 'go:build' };
    }
  }
  return undefined;
}

function checkLines(ctx: RuleContext<Msg>, ev: Evaluator, f: SourceFile): void {
  const h = f.header;
  const lines = h.buildComments ?? [];
  if (lines.length === 0) return;
  const nameTags = fileNameTags(f.name, ev.goMinor);
  const fileMask = f.mask;
  /** Targets that compile the file now but would not with `extra` honoured. */
  const wrongly = (extra: Expr | undefined): PlatformMask =>
    extra ? fileMask & ~ev.targetMask(nameTags, [h.constraint, extra]) : 0n;
  const pkgLine = h.pkgLine || Number.MAX_SAFE_INTEGER;
  const honoured = new Set(h.plusBuild.map((l) => l.line));
  let goBuilds = 0;

  for (const l of lines) {
    const after = l.line > pkgLine;
    if (splitGoBuild(l.text) !== undefined) {
      if (after) {
        // cmd/compile rejects the directive wherever the file is compiled.
        ctx.report({ file: f, span: lineSpan(l), messageId: 'misplacedGoBuild', platforms: fileMask });
        continue;
      }
      if (++goBuilds === 2 && h.invalid === 'multiple //go:build comments') {
        ctx.report({ file: f, span: lineSpan(l), messageId: 'multipleGoBuild', platforms: ctx.targets.all });
      }
      if (goBuilds === 1 && h.invalid?.startsWith('parsing //go:build line: ')) {
        const reason = h.invalid.slice('parsing //go:build line: '.length);
        ctx.report({ file: f, span: lineSpan(l), messageId: 'invalidGoBuild', data: { reason }, platforms: ctx.targets.all });
      }
      continue;
    }
    if (splitPlusBuild(l.text) !== undefined) {
      if (honoured.has(l.line)) continue;
      // Ignored by Go; harmless for Go 1.17+ when a //go:build line decides (go vet still objects).
      const lost = h.goBuild ? 0n : wrongly(parseLine(l.text));
      const platforms = lost || fileMask;
      if (after) ctx.report({ file: f, span: lineSpan(l), messageId: 'misplaced', platforms });
      else ctx.report({ file: f, span: lineSpan(l), messageId: 'plusBuildNoBlank', platforms });
      continue;
    }
    const nm = nearMiss(l.text);
    if (nm) {
      // With a valid //go:build line, a broken +build line changes nothing for Go 1.17+.
      if (h.goBuild && nm.family === '+build') {
        if (l.text.includes('+build') && !after) {
          ctx.report({ file: f, span: lineSpan(l), messageId: 'malformedPlusBuild', data: { text: l.text }, platforms: fileMask });
        }
        continue;
      }
      const lost = wrongly(parseLine(nm.fix));
      if (lost) ctx.report({ file: f, span: lineSpan(l), messageId: 'ignoredLine', data: { text: l.text, fix: nm.fix }, platforms: lost });
      continue;
    }
    // go vet's buildtag: "+build" somewhere in a header comment that is not a +build line.
    if (!after && l.text.includes('+build') && !l.text.startsWith('// want') && l.line < pkgLine) {
      ctx.report({ file: f, span: lineSpan(l), messageId: 'malformedPlusBuild', data: { text: l.text }, platforms: fileMask });
    }
  }

  // //go:build and // +build lines that disagree.
  if (h.goBuild && h.plusBuild.length > 0 && !h.invalid) {
    const gb = parseLine(h.goBuild.text);
    let pb: Expr | undefined;
    for (const l of h.plusBuild) {
      const y = parseLine(l.text);
      if (!y) return;
      pb = pb ? { op: 'and', x: pb, y } : y;
    }
    if (gb && pb && !equivalent(gb, pb)) {
      const diff = ev.targetMask(nameTags, [gb]) ^ ev.targetMask(nameTags, [pb]);
      const lines = plusBuildLines(gb);
      ctx.report({
        file: f,
        span: lineSpan(h.plusBuild[0]!),
        messageId: 'mismatch',
        data: { example: counterExample(gb, pb) },
        platforms: diff || fileMask,
        ...(lines ? { fix: { description: 'rewrite the +build lines from the //go:build line (as go fix does)', edits: plusBuildEdits(h, lines) } } : {}),
      });
    }
  }
}

/** A tag assignment on which two expressions differ, in words (`linux is set and cgo is not`). */
function counterExample(a: Expr, b: Expr): string {
  const tags = [...new Set([...exprTags(a), ...exprTags(b)])].sort();
  const n = Math.min(tags.length, 16);
  for (let m = 0; m < 1 << n; m++) {
    const val = new Map(tags.map((t, i) => [t, i < n && ((m >> i) & 1) === 1]));
    const ok = (t: string) => val.get(t) === true;
    if (evalExpr(a, ok) !== evalExpr(b, ok)) {
      const on = tags.filter((t) => val.get(t));
      return on.length === 0 ? 'no tag is set' : `only ${on.join(', ')} ${on.length === 1 ? 'is' : 'are'} set`;
    }
  }
  return 'some tags are set';
}

// ---------------------------------------------------------------------------------------------
// Tags and file names

function checkTags(ctx: RuleContext<Msg>, ev: Evaluator, f: SourceFile): void {
  const h = f.header;
  const exprs: { line: ConstraintLine; x: Expr }[] = [];
  for (const l of [...(h.goBuild ? [h.goBuild] : []), ...h.plusBuild]) {
    const x = parseLine(l.text);
    if (x) exprs.push({ line: l, x });
  }
  if (exprs.length === 0) return;
  const userTags = new Set(ctx.program.opts.build.tags);
  const nameTags = fileNameTags(f.name, ev.goMinor);
  const seen = new Set<string>();
  for (const { line, x } of exprs) {
    // A +build line's tags are reported only when there is no //go:build line (which decides).
    if (h.goBuild && line !== h.goBuild) continue;
    for (const tag of exprTags(x)) {
      if (seen.has(tag) || userTags.has(tag) || tag.includes('.') || isPlatformTag(tag, ev.goMinor)) continue;
      seen.add(tag);
      const report = (messageId: Msg, data: Record<string, string>, fixExpr: Expr, unambiguous = true) => {
        const now = ev.targetMask(nameTags, [h.constraint]);
        const fixed = h.constraint ? replaceTag(h.constraint, tag, fixExpr) : fixExpr;
        const meant = ev.targetMask(nameTags, [fixed]);
        const platforms = (now ^ meant) || f.mask;
        if (!platforms) return;
        const fix = unambiguous ? tagFix(h, fixed) : undefined;
        ctx.report({ file: f, span: lineSpan(line), messageId, data, platforms, symbol: tag, ...(fix ? { fix: { description: `write ${data.fix}`, edits: fix } } : {}) });
      };
      // linux_amd64 as a tag: an OS and an arch glued together.
      const parts = tag.split('_');
      if (parts.length === 2 && knownOS(ev.goMinor).has(parts[0]!) && knownArch(ev.goMinor).has(parts[1]!)) {
        report('compoundTag', { tag, fix: `${parts[0]} && ${parts[1]}` }, { op: 'and', x: { op: 'tag', tag: parts[0]! }, y: { op: 'tag', tag: parts[1]! } });
        continue;
      }
      const s = suggestPlatformName(tag, ev.goMinor);
      if (s) {
        const fixExpr: Expr = s.also ? { op: 'or', x: { op: 'tag', tag: s.name }, y: { op: 'tag', tag: s.also } } : { op: 'tag', tag: s.name };
        // A case variant or a typo of a single name is unambiguous; an alias (`x86`, `win`) may not be what was meant.
        report('unknownTag', { kind: s.kind, tag, fix: s.also ? `${s.name}" or "${s.also}` : s.name }, fixExpr, !s.also && s.how !== 'alias' && uniqueSuggestion(tag, s, ev.goMinor));
      }
    }
  }
}

/**
 * Edits that write the corrected constraint: the //go:build line in canonical form and, when the
 * file has +build lines, those regenerated from it. Undefined when there is no //go:build line to
 * rewrite (a +build-only file) or the +build lines cannot say it.
 */
function tagFix(h: SourceFile['header'], fixed: Expr): { span: Span; text: string }[] | undefined {
  if (!h.goBuild) return undefined;
  const edits = [{ span: lineSpan(h.goBuild), text: `//go:build ${goString(fixed)}` }];
  if (h.plusBuild.length === 0) return edits;
  const lines = plusBuildLines(fixed);
  return lines ? [...edits, ...plusBuildEdits(h, lines)] : undefined;
}

function checkSuffix(ctx: RuleContext<Msg>, ev: Evaluator, f: SourceFile, siblings: ReadonlySet<string>, dm: DirModel): void {
  const base = f.name.slice(0, f.name.indexOf('.') >= 0 ? f.name.indexOf('.') : f.name.length);
  const us = base.indexOf('_');
  if (us < 0) return;
  const elems = base.slice(us + 1).split('_');
  if (elems[elems.length - 1] === 'test') elems.pop();
  if (elems.length === 0) return;
  const h = f.header;
  const oses = knownOS(ev.goMinor);
  const arches = knownArch(ev.goMinor);
  const known = fileNameTags(f.name, ev.goMinor);
  const last = elems[elems.length - 1]!;
  const mentioned = h.constraint ? exprTags(h.constraint) : new Set<string>();
  const mentionsKind = (kind: 'GOOS' | 'GOARCH') =>
    [...mentioned].some((t) => (kind === 'GOOS' ? oses.has(t) || t === 'unix' : arches.has(t.split('.')[0]!)));

  // `foo_non_unix.go`, `bar_no_windows.go`: the word names what the file is *not* for.
  const negated = (i: number) => i > 0 && NEGATING.has(elems[i - 1]!);
  if (last === 'unix' && known.length === 0) {
    if (!negated(elems.length - 1)) checkUnix(ctx, f, mentionsKind('GOOS'), dm);
    return;
  }
  // With an explicit constraint the name is a name: the constraint decides, whatever the suffix says.
  if (h.constraint) return;

  // The misspelled element: the last one, or the OS before a known arch (`_linx_amd64.go`).
  let idx = -1;
  if (known.length === 0) idx = elems.length - 1;
  else if (known.length === 1 && arches.has(last) && elems.length >= 2 && !oses.has(elems[elems.length - 2]!)) idx = elems.length - 2;
  if (idx < 0) return;
  const elem = elems[idx]!;
  if (negated(idx)) return;
  const s = suggestPlatformName(elem, ev.goMinor);
  if (!s) return;
  if (idx === elems.length - 2 && s.kind !== 'GOOS') return;
  // The author already constrains the file that way: the suffix is a name, not a mistake.
  if (mentionsKind(s.kind)) return;
  // Evidence of platform intent: a sibling with a real suffix and the same stem, a platform import,
  // digits (amd46), a case variant or alias, or a typo of a long name.
  // The same stem: the sibling's name less its platform elements is this one's less the element
  // (`x_windows.go` for `x_linx.go`; `docker_api_attach_linux_test.go` is no sibling of `docker_cli_search_test.go`).
  const stem = [base.slice(0, us), ...elems.slice(0, idx)].join('_');
  const sibling = [...siblings].some((n) => n !== f.name && fileNameTags(n, ev.goMinor).length > 0 && platformStem(n, oses, arches) === stem);
  const imports = h.imports.some((i) => PLATFORM_IMPORT.test(i.path));
  // Short aliases (mac, win, osx) are also ordinary words: they need the other evidence.
  const strong =
    s.how === 'case' ||
    /\d/.test(elem) ||
    (s.how === 'alias' && elem.length >= 4) ||
    (s.how === 'typo' && elem.length >= 5 && s.distance === 1) ||
    idx === elems.length - 2;
  if (!sibling && !imports && !strong) return;
  // A typo alone is weak evidence (`_search` is two edits from `_sparc`, `_tips` one from `_mips`): without a
  // sibling of the same stem it must be one edit in a name of five letters or more, or sit before a real arch.
  if (s.how === 'typo' && !sibling && idx !== elems.length - 2 && (s.distance > 1 || elem.length < 5)) return;
  const meantFor = (name: string): PlatformMask => {
    const fixedElems = [...elems];
    fixedElems[idx] = name;
    const fixedName = `${base.slice(0, us)}_${fixedElems.join('_')}${f.name.endsWith('_test.go') ? '_test' : ''}.go`;
    return ev.targetMask(fileNameTags(fixedName, ev.goMinor), [h.constraint]);
  };
  const meant = meantFor(s.name) | (s.also ? meantFor(s.also) : 0n);
  const platforms = f.mask & ~meant;
  if (!platforms) return;
  const spell = (name: string) => (idx === elems.length - 1 ? name : `${name}_${last}`);
  const fix = s.also ? `${spell(s.name)}" or "_${spell(s.also)}` : spell(s.name);
  ctx.report({
    file: f,
    span: [1, 1, 1, 1],
    messageId: 'unknownSuffix',
    data: { elem: idx === elems.length - 1 ? elem : `${elem}_${last}`, kind: 'GOOS or GOARCH', fix },
    platforms,
    symbol: f.name,
  });
}

/** A file's name without `.go`, `_test` and its trailing GOOS/GOARCH elements (`x_linux_amd64_test.go` → `x`). */
function platformStem(name: string, oses: ReadonlySet<string>, arches: ReadonlySet<string>): string {
  const base = name.slice(0, name.indexOf('.') >= 0 ? name.indexOf('.') : name.length);
  const parts = base.split('_');
  if (parts.length > 1 && parts[parts.length - 1] === 'test') parts.pop();
  if (parts.length > 1 && arches.has(parts[parts.length - 1]!)) parts.pop();
  if (parts.length > 1 && oses.has(parts[parts.length - 1]!)) parts.pop();
  return parts.join('_');
}

/**
 * A `_unix.go` file compiled for non-unix targets is reported only where that matters: on a target
 * where another file of the package declares one of its names (a sibling `_windows.go` with the
 * same functions: the package does not build), or where it imports golang.org/x/sys/unix (no files
 * there: the package does not build). A `_unix.go` file that compiles fine everywhere is just a name.
 *
 * The second case claims that a unix constraint would let the package build there. It does not,
 * and the file is left alone, when the package is not written for that target at all: another of
 * its files compiled there uses a package-level name that no file but this one (or none) declares
 * there (`device.go` calls `mkDev` of `mknod_unix.go`: constrained, the package still fails). Nor
 * when nothing builds the package there: an internal or vendored package (importable only from the
 * tree) that no file of the tree compiled for that target imports.
 */
function checkUnix(ctx: RuleContext<Msg>, f: SourceFile, constrainsOS: boolean, dm: DirModel): void {
  const mine = new Set((f.facts?.decls ?? []).map((d) => d.name).filter((n) => n !== '_' && n !== 'init'));
  const importsUnix = f.header.imports.some((i) => i.path === 'golang.org/x/sys/unix');
  const others = dm.files.filter((o) => o !== f && o.header.pkgName === f.header.pkgName && o.facts);
  let platforms = 0n;
  let clash: { name: string; file: SourceFile } | undefined;
  ctx.targets.list.forEach((p, i) => {
    const bit = 1n << BigInt(i);
    if (!(f.mask & bit) || UNIX_OS.has(p.goos)) return;
    // `!windows` is how many _unix.go files say "unix": only windows counts then.
    if (constrainsOS && p.goos !== 'windows') return;
    let hit = importsUnix;
    for (const o of others) {
      if (!(o.mask & bit)) continue;
      const d = o.facts!.decls.find((x) => mine.has(x.name));
      if (d) {
        hit = true;
        clash ??= { name: d.name, file: o };
        break;
      }
    }
    if (hit) platforms |= bit;
  });
  if (!platforms) return;
  const c = clash;
  if (!c) {
    // Only the golang.org/x/sys/unix import: is the package built there at all, and would it build without this file?
    const unit = f.header.pkgName === dm.lib.name || !dm.xtest ? dm.lib : dm.xtest;
    const kept = platforms & ~notBuiltThere(ctx, f, unit, others, platforms);
    if (!kept) return;
    platforms = kept;
  }
  ctx.report({
    file: f,
    span: constraintSpan(f),
    messageId: 'unixSuffix',
    data: { why: c ? `${c.name} is also declared in ${c.file.name}` : 'golang.org/x/sys/unix has no files there' },
    platforms,
    symbol: f.name,
    ...(c ? { related: [{ file: c.file.path, line: c.file.facts!.decls.find((x) => x.name === c.name)!.span[0], column: 1, message: `${c.name} is also declared here` }] } : {}),
  });
}

/**
 * Of `targets`, those where leaving `f` out would not make its package build (counted for
 * --verbose as `unix-only-package`), or where no file of the tree imports the package while nothing
 * outside it can (`not-imported-there`).
 */
function notBuiltThere(ctx: RuleContext<Msg>, f: SourceFile, unit: PackageModel, others: readonly SourceFile[], targets: PlatformMask): PlatformMask {
  const table = ctx.workspace.symbols(unit);
  // The package's own code (its tests too when `f` is a test file) and the declarations it can see.
  const users = others.filter((o) => f.isTest || !o.isTest);
  const declaredWithout = (name: string, bit: PlatformMask): boolean | undefined => {
    const info = table.names.get(name);
    if (!info) return undefined; // universe, dot-imported or undefined everywhere: not the package's
    return info.sites.some((s) => s.file !== f && (s.mask & bit) !== 0n && (f.isTest || !s.file.isTest));
  };
  let unixOnly = 0n;
  let unimported = 0n;
  const imported = importedOn(ctx.program, unit);
  for (const [i] of ctx.targets.list.entries()) {
    const bit = 1n << BigInt(i);
    if (!(targets & bit)) continue;
    if (users.some((o) => (o.mask & bit) !== 0n && o.facts!.refs.some((r) => declaredWithout(r.name, bit) === false))) unixOnly |= bit;
    else if (imported !== undefined && !(imported & bit)) unimported |= bit;
  }
  if (unixOnly) ctx.skip('unix-only-package');
  if (unimported) ctx.skip('not-imported-there');
  return unixOnly | unimported;
}

/** Per program: import path → targets where some file of the tree imports it. */
const importMasks = new WeakMap<Program, Map<string, PlatformMask>>();

/**
 * Targets where a file of the tree imports `unit`, for a package that only the tree can import (a
 * vendored package, or one under an `internal` directory of the tree); undefined for any other
 * package, which code outside the tree may import anywhere.
 */
function importedOn(program: Program, unit: PackageModel): PlatformMask | undefined {
  const pd = unit.dir.pkgDir;
  const ip = pd.importPath;
  if (ip === null || unit.kind !== 'lib') return undefined;
  if (!pd.vendored) {
    // `a/b/internal/c` may be imported from under `a/b` only: the tree must hold that root.
    const parts = ip.split('/');
    const at = parts.lastIndexOf('internal');
    if (at < 0) return undefined;
    const root = parts.slice(0, at).join('/');
    if (!program.packages.some((p) => p.dir.pkgDir.importPath === root || (p.dir.pkgDir.importPath ?? '').startsWith(`${root}/`))) return undefined;
  }
  let m = importMasks.get(program);
  if (!m) {
    m = new Map();
    for (const p of program.packages) {
      for (const { file, mask } of p.files) {
        for (const imp of file.header.imports) m.set(imp.path, (m.get(imp.path) ?? 0n) | mask);
      }
    }
    importMasks.set(program, m);
  }
  return m.get(ip) ?? 0n;
}

// ---------------------------------------------------------------------------------------------
// goX.Y tags newer than the module's go line

function checkNewerGoTags(ctx: RuleContext<Msg>, ev: Evaluator, pkg: PackageModel): void {
  const mod = pkg.dir.pkgDir.module;
  const modMinor = goMinorOf(mod?.goMod.go ?? null);
  if (modMinor === null || !mod?.goMod.go) return;
  const candidates = pkg.files.filter(({ file }) => {
    if (!ctx.reportsOn(file)) return false;
    const x = file.header.constraint;
    return x && [...exprTags(x)].some((t) => {
      const m = GO_VERSION_TAG.exec(t);
      return m && Number(m[1]) > modMinor && Number(m[1]) <= ev.goMinor;
    });
  });
  if (candidates.length === 0) return;
  const old = new ConstraintEvaluator(ctx.targets, { ...ctx.program.opts.build, goMinor: modMinor });
  // The unit's files under the module's Go version: some only old Go compiles (`//go:build !go1.21`),
  // so they are read from the directory and parsed here.
  const unitFiles = pkg.dir.files.filter((f) => f.header.pkgName === pkg.name && !f.unreadable && !f.header.invalid);
  const oldMask = new Map(unitFiles.map((f) => [f, old.fileMask(f.name, f.header)]));
  for (const f of unitFiles) if (oldMask.get(f)) ctx.workspace.ensureFacts(f);
  for (const { file, mask } of candidates) {
    const lost = mask & ~(oldMask.get(file) ?? 0n);
    if (!lost || !file.facts) continue;
    const tag = [...exprTags(file.header.constraint!)].filter((t) => GO_VERSION_TAG.test(t)).sort()[0]!;
    // A name this file declares, used by a file that old Go compiles, with no other declaration there.
    const declared = new Set(file.facts.decls.map((d) => d.name));
    let found: { name: string; user: SourceFile; mask: PlatformMask } | undefined;
    for (const u of unitFiles) {
      if (u === file || !u.facts || found) continue;
      const uMask = lost & (oldMask.get(u) ?? 0n);
      if (!uMask) continue;
      for (const r of u.facts.refs) {
        if (!declared.has(r.name)) continue;
        let missing = uMask;
        for (const o of unitFiles) {
          if (o !== file && o.facts?.decls.some((d) => d.name === r.name)) missing &= ~(oldMask.get(o) ?? 0n);
        }
        if (missing) {
          found = { name: r.name, user: u, mask: missing };
          break;
        }
      }
    }
    if (!found) continue;
    const line = file.header.goBuild ?? file.header.plusBuild[0];
    ctx.report({
      file,
      span: line ? lineSpan(line) : [1, 1, 1, 1],
      messageId: 'newerGoTag',
      data: { tag, version: mod.goMod.go, name: found.name, user: found.user.name },
      platforms: found.mask,
      symbol: tag,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// runtime.GOOS / runtime.GOARCH comparisons

function checkRuntimeCompares(ctx: RuleContext<Msg>, ev: Evaluator, pkg: PackageModel): void {
  for (const { file, mask } of pkg.files) {
    const cmps = file.facts?.extra.runtimeCompares;
    if (!cmps || !mask || !ctx.reportsOn(file)) continue;
    const possible = [...ev.possible(file.name, file.header.constraint)];
    const values = {
      GOOS: new Set(possible.map((p) => p.split('/')[0]!)),
      GOARCH: new Set(possible.map((p) => p.split('/')[1]!)),
    };
    for (const c of cmps) {
      const knownSet = c.name === 'GOOS' ? knownOS(NEWEST_GO_MINOR) : knownArch(NEWEST_GO_MINOR);
      if (!knownSet.has(c.value)) {
        // Only a near miss of a real name: gccgo knows more GOARCH values (alpha, m68k, sh...).
        const s = suggestPlatformName(c.value, NEWEST_GO_MINOR);
        if (!s) continue;
        const op = c.op === 'case' ? '==' : c.op;
        ctx.report({
          file,
          span: c.span,
          messageId: 'unknownValue',
          data: { value: c.value, name: c.name, op, result: op === '!=' ? 'true' : 'false' },
          platforms: mask,
          suggestion: `did you mean "${s.name}"?`,
        });
        continue;
      }
      const allowed = values[c.name];
      if (allowed.size === 0) continue;
      const list = [...allowed].sort();
      const shown = list.length <= 4 ? list.join(', ') : `${list.slice(0, 4).join(', ')}, …`;
      if ((c.op === '==' || c.op === 'case') && !allowed.has(c.value)) {
        ctx.report({
          file,
          span: c.span,
          messageId: c.op === 'case' ? 'deadCase' : 'alwaysFalse',
          data: { name: c.name, op: '==', value: c.value, allowed: shown },
          platforms: mask,
          severity: 'info',
        });
      } else if (c.op === '!=' && allowed.size === 1 && allowed.has(c.value)) {
        // A guard such as `if runtime.GOOS != "windows" { t.Skip() }`: harmless, dead only by the file's constraint.
        ctx.report({ file, span: c.span, messageId: 'alwaysFalse', data: { name: c.name, op: '!=', value: c.value, allowed: shown }, platforms: mask, severity: 'info' });
      }
    }
  }
}
