/** Command-line parsing: `goport [command] [patterns] [flags]`. */
import type { BinariesConfig } from '../binaries/select.js';
import { nearest } from '../config/config.js';
import type { TierTable } from '../config/tiers.js';

export class UsageError extends Error {}

export type Command = 'check' | 'fix' | 'files' | 'audit' | 'targets' | 'rules' | 'explain' | 'index' | 'version' | 'help';

export interface CliOptions {
  command: Command;
  patterns: string[];
  platforms: string[];
  tags: string[];
  cgo: boolean;
  tests: boolean;
  goVersion: string | null;
  vendor: boolean;
  /** --all-modules: `dir/...` also walks into nested modules (directories with their own go.mod). */
  allModules: boolean;
  formats: { format: string; file: string | null }[];
  output: string | null;
  verbose: boolean;
  quiet: boolean;
  color: boolean | null;
  jobs: number | null;
  timing: boolean;
  enable: string[];
  disable: string[];
  failOn: string | null;
  /** --config FILE; null: look for .goport.yml from the working directory up. */
  config: string | null;
  /** --no-config: use no configuration file. */
  noConfig: boolean;
  /** --staged: analyze the packages of the staged Go files, as staged; report only on those files. */
  staged: boolean;
  /** --changed-since REV: the same for the Go files changed since a revision (working tree content). */
  changedSince: string | null;
  baseline: string | null;
  writeBaseline: string | null;
  reportUnusedIgnores: boolean;
  /** --no-cache: neither read nor write the facts cache. */
  cache: boolean;
  /** --std-source: the type layer reads the standard library from GOROOT's source. */
  stdSource: boolean;
  /** --exclude GLOB, repeatable. */
  exclude: string[];
  /** --progress / --no-progress; null: on a TTY stderr, outside CI, unless --quiet. */
  progress: boolean | null;
  /** Long names of the flags given on the command line (they override the configuration file). */
  explicit: Set<string>;
  /** --group: text output groups findings by cause (default) or prints one line per finding. */
  group: 'cause' | 'none';
  /** From .goport.yml only: platforms with cgo on (`cgo: [darwin/*]`), binaries, tiers. */
  cgoPlatforms: string[];
  binaries: BinariesConfig | null;
  tiers: TierTable | null;
}

const COMMANDS: readonly Command[] = ['check', 'fix', 'files', 'audit', 'targets', 'rules', 'explain', 'index', 'version', 'help'];

const BOOL_FLAGS = new Set([
  'cgo',
  'tests',
  'vendor',
  'all-modules',
  'verbose',
  'quiet',
  'color',
  'timing',
  'help',
  'version',
  'staged',
  'report-unused-ignores',
  'std-source',
  'cache',
  'progress',
  'fix',
]);
const VALUE_FLAGS = new Set([
  'platforms',
  'tags',
  'go-version',
  'format',
  'output',
  'jobs',
  'enable',
  'disable',
  'fail-on',
  'config',
  'changed-since',
  'baseline',
  'write-baseline',
  'exclude',
  'group',
]);
export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
const SHORT: Record<string, string> = { p: 'platforms', f: 'format', o: 'output', v: 'verbose', q: 'quiet', j: 'jobs', h: 'help' };

/** `; did you mean --platforms?` for a misspelled long flag name, else ''. */
function suggestFlag(name: string): string {
  const near = name.length > 1 ? nearest(name, [...BOOL_FLAGS, ...[...BOOL_FLAGS].map((f) => `no-${f}`), ...VALUE_FLAGS, 'no-config']) : undefined;
  return near ? `; did you mean --${near}?` : '';
}

function parseBool(flag: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new UsageError(`--${flag} takes true or false, not "${v}"`);
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    command: 'check',
    patterns: [],
    platforms: [],
    tags: [],
    cgo: false,
    tests: true,
    goVersion: null,
    vendor: false,
    allModules: false,
    formats: [],
    output: null,
    verbose: false,
    quiet: false,
    color: null,
    jobs: null,
    timing: false,
    enable: [],
    disable: [],
    failOn: null,
    config: null,
    noConfig: false,
    staged: false,
    changedSince: null,
    baseline: null,
    writeBaseline: null,
    reportUnusedIgnores: false,
    cache: true,
    stdSource: false,
    exclude: [],
    progress: null,
    explicit: new Set(),
    group: 'cause',
    cgoPlatforms: [],
    binaries: null,
    tiers: null,
  };
  const args = [...argv];
  if (args[0] && (COMMANDS as readonly string[]).includes(args[0])) o.command = args.shift() as Command;
  let onlyPatterns = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (onlyPatterns || !a.startsWith('-') || a === '-') {
      o.patterns.push(a);
      continue;
    }
    if (a === '--') {
      onlyPatterns = true;
      continue;
    }
    let name: string;
    let value: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      value = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else {
      const s = SHORT[a.slice(1)];
      if (!s) throw new UsageError(`unknown flag ${a}${suggestFlag(a.slice(1))}`);
      name = s;
    }
    if (name === 'no-config') {
      if (value !== undefined) throw new UsageError('--no-config takes no value');
      o.noConfig = true;
      continue;
    }
    let negated = false;
    if (name.startsWith('no-') && BOOL_FLAGS.has(name.slice(3))) {
      negated = true;
      name = name.slice(3);
    }
    if (BOOL_FLAGS.has(name)) {
      const v = value === undefined ? !negated : parseBool(name, value) !== negated;
      o.explicit.add(name);
      switch (name) {
        case 'cgo': o.cgo = v; break;
        case 'tests': o.tests = v; break;
        case 'vendor': o.vendor = v; break;
        case 'all-modules': o.allModules = v; break;
        case 'verbose': o.verbose = v; break;
        case 'quiet': o.quiet = v; break;
        case 'color': o.color = v; break;
        case 'timing': o.timing = v; break;
        case 'help': o.command = 'help'; break;
        case 'version': o.command = 'version'; break;
        case 'staged': o.staged = v; break;
        case 'report-unused-ignores': o.reportUnusedIgnores = v; break;
        case 'cache': o.cache = v; break;
        case 'std-source': o.stdSource = v; break;
        case 'progress': o.progress = v; break;
        case 'fix': if (v) o.command = 'fix'; break;
      }
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown flag --${name}${suggestFlag(name) || ' (see goport help)'}`);
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
    o.explicit.add(name);
    switch (name) {
      case 'platforms': o.platforms.push(value); break;
      case 'tags': o.tags.push(...list(value)); break;
      case 'go-version': o.goVersion = value; break;
      case 'format': {
        const eq = value.indexOf('=');
        o.formats.push(eq >= 0 ? { format: value.slice(0, eq), file: value.slice(eq + 1) } : { format: value, file: null });
        break;
      }
      case 'output': o.output = value; break;
      case 'jobs': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs takes a positive whole number, not "${value}"`);
        o.jobs = n;
        break;
      }
      case 'enable': o.enable.push(...list(value)); break;
      case 'disable': o.disable.push(...list(value)); break;
      case 'fail-on':
        if (!(FAIL_ON as readonly string[]).includes(value)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}, not "${value}"`);
        o.failOn = value;
        break;
      case 'config': o.config = value; break;
      case 'changed-since': o.changedSince = value; break;
      case 'baseline': o.baseline = value; break;
      case 'write-baseline': o.writeBaseline = value; break;
      case 'exclude': o.exclude.push(...list(value)); break;
      case 'group':
        if (value !== 'cause' && value !== 'none') throw new UsageError(`--group takes cause or none, not "${value}"`);
        o.group = value;
        break;
    }
  }
  if (o.staged && o.changedSince !== null) throw new UsageError('--staged and --changed-since exclude each other');
  return o;
}

export const HELP = `goport — Go portability bugs for every GOOS/GOARCH at once, without compiling

Usage:
  goport [check] [patterns] [flags]   run the rules (default command)
  goport fix [patterns] [flags]       apply the fixes findings carry, then check again (also: --fix)
  goport files [patterns] [flags]     which files Go compiles per package and platform
  goport audit [dir] [flags]          module × platform matrix of the dependencies (vendor/ or module cache)
  goport targets [flags]              binaries × platforms table of the module (binaries in .goport.yml)
  goport rules                        list the rules
  goport explain RULE                 print a rule's documentation
  goport index SRC... -o DIR          write API tables (data/api) from a GOROOT and module dirs (DIR@VERSION)
  goport version

Patterns: directories, .go files and Go patterns (./..., ./pkg/...); default ./...
Named .go files analyze their whole package and report only on those files (pre-commit passes them).

Flags:
  -p, --platforms LIST   targets: presets (kubernetes, all), goos/goarch lists, patterns (linux/*, */arm64);
                         repeatable; default kubernetes
      --tags a,b         extra build tags
      --cgo              evaluate constraints with cgo enabled (default off, as when cross-compiling)
      --tests=false      leave _test.go files out (default: analyzed)
      --go-version V     Go release: goX.Y tags, the ports --platforms accepts, std tables
                         (default: the go on PATH, or the toolchain go.mod asks for; see README)
      --vendor           also analyze vendor/ directories
      --all-modules      dir/... also enters nested modules (directories with their own go.mod)
      --exclude GLOB     leave paths out (relative to the working directory); repeatable
  -f, --format F[=FILE]  text (default), json, sarif, github, checkstyle, junit, markdown
                         (audit, targets: text, json, markdown, html); repeatable; FILE writes that format to a file
      --group G          text output: cause (findings sharing a cause under it, default) or none
  -o, --output FILE      write the report to FILE instead of standard output
      --enable a,b       run only these rules;  --disable a,b  leave these rules out
      --fail-on S        lowest severity that makes the exit code 1: error, warning, info (default), none
      --staged           analyze the packages of the staged .go files as staged (git index); report on those files
      --changed-since REV  the same for the .go files changed since REV (working tree, untracked included)
      --baseline FILE    report only findings that are not in FILE
      --write-baseline FILE  record the current findings in FILE and exit 0
      --report-unused-ignores  report //goport:ignore directives that match nothing
      --config FILE      configuration file (default: .goport.yml from the working directory up)
      --no-config        use no configuration file
      --no-cache         neither read nor write the facts cache (in the user cache directory)
      --std-source       infer types through the standard library from GOROOT's source (slower)
  -j, --jobs N           worker threads for parsing (default: number of cores)
  -v, --verbose          statistics on stderr: files, packages, platform groups, skipped references
  -q, --quiet            no progress or statistics on stderr
      --no-progress      no progress bar (shown on a terminal for long runs, never in CI)
      --timing           per-stage and per-rule time on stderr
      --color / --no-color   force colour on or off (default: on a TTY, unless NO_COLOR is set)

Exit codes: 0 no findings, 1 findings (at or above --fail-on), 2 usage, configuration or I/O errors.
`;
