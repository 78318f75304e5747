/**
 * `.goport.yml`: the project's configuration, found by walking up from the working directory (as
 * golangci-lint finds `.golangci.yml`). Every key but `severity` and `version` is the long form of a
 * command-line flag, and a flag given on the command line overrides its key. Unknown keys and bad
 * values are errors that name the file, the line and the key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Node as YamlNode, Pair } from 'yaml';

// yaml is loaded when a configuration file is parsed, not at start-up (most runs have none; it
// costs a pre-commit run about as much CPU as node's own start).
type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;
const yaml = (): Yaml => (yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml);
const isMap = ((n: unknown) => yaml().isMap(n)) as Yaml['isMap'];
const isScalar = ((n: unknown) => yaml().isScalar(n)) as Yaml['isScalar'];
const isSeq = ((n: unknown) => yaml().isSeq(n)) as Yaml['isSeq'];
import { SEVERITIES, type Severity } from '../engine/types.js';
import { parsePlatforms, PlatformError } from '../platform/targets.js';
import { NEWEST_RELEASE_MINOR, OLDEST_GO_MINOR } from '../platform/releases.js';
import { TIER_PRESETS } from './tiers.js';

/** The names goport looks for, in order, in each directory from the working directory up. */
export const CONFIG_NAMES: readonly string[] = ['.goport.yml', '.goport.yaml'];

export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'none'];

/** A validated configuration. Paths (`exclude`, `baseline`) are as written, relative to `dir`. */
export interface GoportConfig {
  /** Absolute path of the file. */
  file: string;
  /** Its directory: relative paths in the file are relative to it. */
  dir: string;
  platforms?: string[];
  /** `binaries`: main-package directory patterns (relative to `dir`) and the platforms each is built for. */
  binaries?: BinarySpec[];
  /** `tiers`: a preset name, or platform specs by tier number (1, 2, 3). */
  tiers?: string | Record<number, string[]>;
  /** `tier-severity`: the highest severity of a finding whose best tier is this one. */
  tierSeverity?: Record<number, Severity>;
  tags?: string[];
  cgo?: boolean;
  /** `cgo: [darwin/*]`: cgo on for these platforms only. */
  cgoPlatforms?: string[];
  group?: 'cause' | 'none';
  tests?: boolean;
  goVersion?: string;
  vendor?: boolean;
  /** `all-modules`: `dir/...` also enters nested modules. */
  allModules?: boolean;
  enable?: string[];
  disable?: string[];
  severity?: Record<string, Severity | 'off'>;
  exclude?: string[];
  reportUnusedIgnores?: boolean;
  failOn?: FailOn;
  baseline?: string;
}

/** One `binaries` entry: `cmd/kubectl: kubernetes`. */
export interface BinarySpec {
  /** Directory pattern as written: `cmd/kubectl`, `cmd/*`, `cmd/...`. */
  pattern: string;
  /** Platform specs (presets, lists, patterns, `!exclusions`), already validated. */
  platforms: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

type Kind = 'bool' | 'string' | 'list' | 'severity-map' | 'fail-on' | 'version' | 'binaries' | 'cgo' | 'tiers' | 'tier-severity' | 'group';

/** Every key, its kind and what it means (the README's reference is generated from the same words). */
export const CONFIG_KEYS: Readonly<Record<string, { kind: Kind; doc: string }>> = {
  version: { kind: 'version', doc: 'format version of this file; 1' },
  platforms: { kind: 'list', doc: 'target platforms: presets (kubernetes, all), goos/goarch, patterns (linux/*, */arm64)' },
  binaries: {
    kind: 'binaries',
    doc: 'main packages (directory patterns) and the platforms each is built for; a package is checked on a platform only when a binary built for it imports it there',
  },
  tiers: { kind: 'tiers', doc: 'support tier per platform: a preset (kubernetes) or 1: [...], 2: [...], 3: [...]' },
  'tier-severity': { kind: 'tier-severity', doc: 'highest severity of findings that affect only platforms of a tier (default 2: warning, 3: info)' },
  tags: { kind: 'list', doc: 'extra build tags' },
  cgo: { kind: 'cgo', doc: 'evaluate build constraints with cgo enabled: true, false, or the platforms to enable it for' },
  group: { kind: 'group', doc: 'text output: cause (findings with one cause under it, default) or none' },
  tests: { kind: 'bool', doc: 'analyze _test.go files' },
  'go-version': { kind: 'string', doc: 'Go release for goX.Y build tags, e.g. "1.22"' },
  vendor: { kind: 'bool', doc: 'also analyze vendor/' },
  'all-modules': { kind: 'bool', doc: 'dir/... also enters nested modules (directories with their own go.mod), for monorepos' },
  enable: { kind: 'list', doc: 'run only these rules' },
  disable: { kind: 'list', doc: 'leave these rules out' },
  severity: { kind: 'severity-map', doc: 'per-rule severity: error, warning, info or off' },
  exclude: { kind: 'list', doc: 'paths (globs relative to this file) not analyzed and never reported' },
  'report-unused-ignores': { kind: 'bool', doc: 'report //goport:ignore directives that match nothing' },
  'fail-on': { kind: 'fail-on', doc: 'lowest severity that makes the exit code 1: error, warning, info or none' },
  baseline: { kind: 'string', doc: 'baseline file (relative to this file): only findings not in it are reported' },
};

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `word` by edit distance, when near enough to be a typo of it. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(word, c);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = nearest(word, candidates);
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

/** The nearest config file from `cwd` up to the filesystem root, or null. */
export function findConfig(cwd: string): string | null {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = path.join(dir, name);
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* not here */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Parses and validates a config file's text. `knownRules`, when given, makes an unknown rule id in
 * `enable`, `disable` or `severity` an error.
 */
export function parseConfig(text: string, file: string, knownRules?: ReadonlySet<string>): GoportConfig {
  const lc = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };
  const fail = (node: { range?: [number, number, number] | null } | null | undefined, message: string): never => {
    const { line, col } = at(node?.range?.[0]);
    throw new ConfigError(file, line, col, message);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = at(e.pos[0]);
    throw new ConfigError(file, line, col, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const cfg: GoportConfig = { file, dir: path.dirname(file) };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return cfg; // empty file
  if (!isMap(root)) return fail(root as YamlNode, 'the configuration must be a mapping of keys (see goport help config)');

  for (const pair of root.items as Pair<YamlNode, YamlNode | null>[]) {
    const keyNode = pair.key;
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string') return fail(keyNode, 'keys must be plain words');
    const key = keyNode.value;
    const spec = Object.hasOwn(CONFIG_KEYS, key) ? CONFIG_KEYS[key] : undefined;
    if (!spec) return fail(keyNode, `unknown key "${key}"${didYouMean(key, Object.keys(CONFIG_KEYS))}`);
    const value = pair.value;
    const bad = (node: YamlNode | null | undefined, what: string): never => fail(node ?? keyNode, `${key}: ${what}`);

    const scalarString = (node: YamlNode | null | undefined, what: string): string => {
      if (!isScalar(node)) return bad(node, `expected ${what}`);
      const v = node.value;
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      if (typeof v === 'number') return String(node.source ?? v);
      return bad(node, `expected ${what}, not ${v === null ? 'nothing' : JSON.stringify(v)}`);
    };
    const list = (): string[] => {
      // A single string is a one-element list; a comma-separated string is split (as the flags are).
      if (isScalar(value)) return scalarString(value, 'a list of strings').split(',').map((s) => s.trim()).filter(Boolean);
      if (!isSeq(value)) return bad(value, 'expected a list of strings');
      const out: string[] = [];
      for (const item of value.items as YamlNode[]) out.push(...scalarString(item, 'a string').split(',').map((s) => s.trim()).filter(Boolean));
      return out;
    };
    const checkRules = (ids: readonly string[], node: YamlNode | null | undefined) => {
      if (!knownRules) return;
      for (const id of ids) {
        if (!knownRules.has(id)) {
          // Point at the list item that names it when there is one.
          const item = isSeq(node) ? (node.items as YamlNode[]).find((n) => isScalar(n) && String(n.value).split(',').map((s) => s.trim()).includes(id)) : node;
          bad(item ?? node, `unknown rule "${id}"${didYouMean(id, knownRules)} (goport rules lists them)`);
        }
      }
    };

    switch (spec.kind) {
      case 'version': {
        if (!isScalar(value) || (value.value !== 1 && value.value !== '1')) bad(value, 'only version 1 exists');
        break;
      }
      case 'bool': {
        if (!isScalar(value) || typeof value.value !== 'boolean') bad(value, 'expected true or false');
        const v = (value as { value: boolean }).value;
        if (key === 'cgo') cfg.cgo = v;
        else if (key === 'tests') cfg.tests = v;
        else if (key === 'vendor') cfg.vendor = v;
        else if (key === 'all-modules') cfg.allModules = v;
        else if (key === 'report-unused-ignores') cfg.reportUnusedIgnores = v;
        break;
      }
      case 'string': {
        const v = scalarString(value, 'a string');
        if (key === 'go-version') {
          if (!/^(go)?1\.\d+(\.\d+)?$/.test(v)) bad(value, `"${v}" is not a Go version like "1.22" (quote it: 1.20 reads as the number 1.2)`);
          // YAML reads 1.20 as the number 1.2: the source text keeps what was written.
          cfg.goVersion = v;
        } else if (key === 'baseline') cfg.baseline = v;
        break;
      }
      case 'list': {
        const v = list();
        if (key === 'platforms') {
          if (v.length === 0) bad(value, 'needs at least one platform');
          cfg.platforms = v;
        } else if (key === 'tags') cfg.tags = v;
        else if (key === 'enable') {
          checkRules(v, value);
          cfg.enable = v;
        } else if (key === 'disable') {
          checkRules(v, value);
          cfg.disable = v;
        } else if (key === 'exclude') cfg.exclude = v;
        break;
      }
      case 'severity-map': {
        if (!isMap(value)) return bad(value, 'expected a mapping of rule: severity (error, warning, info, off)');
        const out: Record<string, Severity | 'off'> = {};
        for (const p of value.items as Pair<YamlNode, YamlNode | null>[]) {
          if (!isScalar(p.key) || typeof p.key.value !== 'string') return bad(p.key, 'expected a rule id');
          const rule = p.key.value;
          if (knownRules && !knownRules.has(rule) && rule !== 'unused-ignore') {
            bad(p.key, `unknown rule "${rule}"${didYouMean(rule, [...knownRules, 'unused-ignore'])} (goport rules lists them)`);
          }
          const sev = isScalar(p.value) ? p.value.value : undefined;
          // YAML 1.2 reads `off` as a string; YAML 1.1 habits write it as a boolean `false`.
          const level = sev === false ? 'off' : sev;
          if (typeof level !== 'string' || !([...SEVERITIES, 'off'] as string[]).includes(level)) {
            return bad(p.value ?? p.key, `severity of ${rule} must be error, warning, info or off`);
          }
          out[rule] = level as Severity | 'off';
        }
        cfg.severity = out;
        break;
      }
      case 'binaries': {
        if (!isMap(value) || value.items.length === 0) return bad(value, 'expected a mapping of main-package directory: platforms (e.g. cmd/kubectl: kubernetes)');
        const out: BinarySpec[] = [];
        for (const p of value.items as Pair<YamlNode, YamlNode | null>[]) {
          if (!isScalar(p.key) || typeof p.key.value !== 'string' || p.key.value.trim() === '') return bad(p.key, 'expected a directory pattern such as cmd/kubectl or cmd/*');
          const pattern = p.key.value.trim().replace(/^\.\//, '').replace(/\/$/, '');
          if (path.isAbsolute(pattern) || pattern.split('/').includes('..')) return bad(p.key, `"${pattern}" must be a directory below the configuration file`);
          const specs = platformList(p.value, bad);
          out.push({ pattern: pattern === '' ? '.' : pattern, platforms: specs });
        }
        cfg.binaries = out;
        break;
      }
      case 'cgo': {
        if (isScalar(value) && typeof value.value === 'boolean') cfg.cgo = value.value;
        else if (isScalar(value) && !String(value.value).includes('/')) bad(value, 'expected true, false or the platforms to enable cgo for (e.g. [darwin/*])');
        else cfg.cgoPlatforms = platformList(value, bad);
        break;
      }
      case 'tiers': {
        if (isScalar(value)) {
          const name = scalarString(value, 'a tier preset or a mapping');
          if (!Object.hasOwn(TIER_PRESETS, name)) return bad(value, `unknown tier preset "${name}" (${Object.keys(TIER_PRESETS).join(', ')})`);
          cfg.tiers = name;
          break;
        }
        if (!isMap(value)) return bad(value, 'expected a preset (kubernetes) or a mapping of tier (1, 2, 3): platforms');
        const out: Record<number, string[]> = {};
        for (const p of value.items as Pair<YamlNode, YamlNode | null>[]) {
          const n = isScalar(p.key) ? Number(p.key.value) : NaN;
          if (!(n === 1 || n === 2 || n === 3)) return bad(p.key, 'tiers are 1, 2 and 3');
          out[n] = platformList(p.value, bad);
        }
        cfg.tiers = out;
        break;
      }
      case 'tier-severity': {
        if (!isMap(value)) return bad(value, 'expected a mapping of tier (2, 3): severity (error, warning, info)');
        const out: Record<number, Severity> = {};
        for (const p of value.items as Pair<YamlNode, YamlNode | null>[]) {
          const n = isScalar(p.key) ? Number(p.key.value) : NaN;
          if (!(n === 1 || n === 2 || n === 3)) return bad(p.key, 'tiers are 1, 2 and 3');
          const sev = isScalar(p.value) ? p.value.value : undefined;
          if (typeof sev !== 'string' || !(SEVERITIES as readonly string[]).includes(sev)) return bad(p.value ?? p.key, `severity of tier ${n} must be error, warning or info`);
          out[n] = sev as Severity;
        }
        cfg.tierSeverity = out;
        break;
      }
      case 'group': {
        const v = scalarString(value, 'cause or none');
        if (v !== 'cause' && v !== 'none') bad(value, `"${v}" is not one of cause, none`);
        cfg.group = v as 'cause' | 'none';
        break;
      }
      case 'fail-on': {
        const v = scalarString(value, 'a severity');
        if (!(FAIL_ON_VALUES as readonly string[]).includes(v)) bad(value, `"${v}" is not one of ${FAIL_ON_VALUES.join(', ')}`);
        cfg.failOn = v as FailOn;
        break;
      }
    }
  }
  return cfg;
}

/** A platform spec list (a string, a comma list or a sequence), checked with parsePlatforms. */
function platformList(node: YamlNode | null | undefined, bad: (node: YamlNode | null | undefined, what: string) => never): string[] {
  const items: string[] = [];
  const add = (n: YamlNode | null | undefined) => {
    if (!isScalar(n) || typeof n.value !== 'string' || n.value.trim() === '') return bad(n, 'expected platforms: presets, goos/goarch, patterns or !exclusions');
    items.push(...n.value.split(',').map((x) => x.trim()).filter(Boolean));
  };
  if (isSeq(node)) (node.items as YamlNode[]).forEach(add);
  else add(node);
  // Valid when some Go release goport knows has the pairs: the run checks them against its go version.
  let error: PlatformError | undefined;
  for (let minor = NEWEST_RELEASE_MINOR; minor >= OLDEST_GO_MINOR; minor--) {
    try {
      parsePlatforms(items, minor);
      return items;
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      error ??= e;
    }
  }
  return bad(node, error!.message);
}

/** Reads and validates a config file; I/O problems are ConfigErrors at line 0. */
export function loadConfig(file: string, knownRules?: ReadonlySet<string>): GoportConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, 0, 0, `cannot read configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, file, knownRules);
}

/** `file:line:col: message`, with the file relative to `cwd` (as compilers print positions). */
export function formatConfigError(e: ConfigError, cwd: string): string {
  const rel = path.relative(cwd, e.file);
  const shown = rel === '' || path.isAbsolute(rel) ? e.file : rel.split(path.sep).join('/');
  return e.line > 0 ? `${shown}:${e.line}:${e.column}: ${e.message}` : `${shown}: ${e.message}`;
}
