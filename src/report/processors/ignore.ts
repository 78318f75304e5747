import type { Finding, RuleMeta, RunError } from '../../engine/types.js';
import { byteColumn } from '../positions.js';
import type { PipelineContext, Processor } from '../types.js';

/**
 * Suppression directives, in two spellings:
 *
 * - `//goport:ignore RULE[,RULE] reason`: goport's own; RULE may be `all`; the reason is required
 *   (a directive without one is an error and suppresses nothing, as staticcheck's `lint:ignore`).
 *   With `reportUnusedIgnores`, a rule of a directive that matched no finding is reported.
 * - `//nolint`, `//nolint:goport`, `//nolint:goport,other`, `//nolint:all` (golangci-lint's form).
 *   Never reported as unused: other linters share these comments (that is nolintlint's job).
 * - `//lint:ignore CHECK[,CHECK] reason` and `//lint:file-ignore CHECK reason` (staticcheck's form),
 *   for the goport checks that have a staticcheck twin ({@link STATICCHECK_TWINS}): a maintainer who
 *   silenced staticcheck's SA4032 on a line meant the same for goport's finding there. The file form
 *   covers the whole file. Without a reason staticcheck rejects the directive, and so does goport
 *   (silently: the complaint is staticcheck's to make); never reported as unused.
 *
 * A directive covers findings that start on its own line (trailing comment) and, when the comment is
 * alone on its line, findings that start on the next line. Unlike golangci-lint, an own-line
 * directive does not widen to the whole following declaration: goport has no syntax tree here.
 */

export const UNUSED_IGNORE_RULE_ID = 'unused-ignore';

/** Metadata of the findings this processor makes, for reporters that list rules (SARIF). */
export const UNUSED_IGNORE_RULE: RuleMeta<'unusedIgnore'> = {
  id: UNUSED_IGNORE_RULE_ID,
  title: 'goport:ignore directive that matched no finding',
  category: 'style',
  severity: 'warning',
  since: '0.1.0',
  messages: { unusedIgnore: 'goport:ignore directive for {rule} matched no finding' },
};

export const MISSING_REASON = 'malformed goport:ignore directive; missing the required reason';
export const BAD_RULE_LIST = 'malformed goport:ignore directive; expected //goport:ignore RULE[,RULE] reason';

/**
 * staticcheck checks and the goport findings that report the same thing, by rule and (when not every
 * message of the rule is the twin) messageId. Listed in the rules' docs.
 */
export const STATICCHECK_TWINS: Readonly<Record<string, { rule: string; messageIds?: readonly string[] }>> = {
  // SA4032: comparing runtime.GOOS or runtime.GOARCH against an impossible value.
  SA4032: { rule: 'build-constraint', messageIds: ['alwaysFalse', 'deadCase', 'unknownValue'] },
  // SA1027: atomic access to a 64-bit variable must be 64-bit aligned.
  SA1027: { rule: 'atomic-alignment' },
};

/** Whether a staticcheck check list entry (`SA4032`, `SA40*`, `SA*`, `*`) covers a goport finding. */
export function staticcheckCovers(check: string, f: Pick<Finding, 'rule' | 'messageId'>): boolean {
  const glob = check.endsWith('*') ? check.slice(0, -1) : undefined;
  return Object.entries(STATICCHECK_TWINS).some(
    ([id, t]) => (glob !== undefined ? id.startsWith(glob) : id === check) && t.rule === f.rule && (t.messageIds === undefined || t.messageIds.includes(f.messageId)),
  );
}

export interface Directive {
  kind: 'goport' | 'nolint' | 'staticcheck';
  /** staticcheck's `lint:file-ignore`: covers every line of the file. */
  wholeFile?: true;
  /** 1-based line of the comment. */
  line: number;
  /** 1-based UTF-8 byte columns of the comment: its `//` and one past its end. */
  column: number;
  endColumn: number;
  /** The comment is alone on its line, so it also covers the next line. */
  ownLine: boolean;
  /** goport: the rule ids as written (`all` allowed); nolint: `['all']`; staticcheck: its check names. */
  rules: string[];
  reason: string;
  /** Why a goport:ignore directive is unusable; such a directive suppresses nothing. */
  malformed?: string;
}

const GOPORT_RE = /^goport:ignore(?=\s|$)\s*(.*)$/;
const GOPORT_ARGS_RE = /^([A-Za-z0-9_.-]+(?:\s*,\s*[A-Za-z0-9_.-]+)*)(?:\s+(.*))?$/;
const LINT_RE = /^lint:(ignore|file-ignore)\s+([\w*]+(?:,[\w*]+)*)\s+\S/;
const NOLINT_RE = /^nolint(?::([\w.-]+(?:\s*,\s*[\w.-]+)*))?(?=\s|$)/;

/** Parses one `//` comment (with its slashes); undefined when it is no goport directive. */
export function parseDirective(comment: string): Omit<Directive, 'line' | 'column' | 'endColumn' | 'ownLine'> | undefined {
  const body = comment.slice(2);
  const g = GOPORT_RE.exec(body);
  if (g) {
    const args = g[1]!.trim();
    if (args === '') return { kind: 'goport', rules: [], reason: '', malformed: MISSING_REASON };
    const a = GOPORT_ARGS_RE.exec(args);
    if (!a) return { kind: 'goport', rules: [], reason: '', malformed: BAD_RULE_LIST };
    const rules = a[1]!.split(',').map((r) => r.trim());
    const reason = (a[2] ?? '').trim();
    if (reason === '') return { kind: 'goport', rules, reason, malformed: MISSING_REASON };
    return { kind: 'goport', rules, reason };
  }
  const l = LINT_RE.exec(body);
  if (l) {
    const d = { kind: 'staticcheck' as const, rules: l[2]!.split(','), reason: body.slice(l[0].length - 1).trim() };
    return l[1] === 'file-ignore' ? { ...d, wholeFile: true } : d;
  }
  // golangci-lint trims leading slashes and spaces before matching `nolint`.
  const n = NOLINT_RE.exec(body.replace(/^[/ ]+/, ''));
  if (!n) return undefined;
  if (n[1] !== undefined) {
    const linters = n[1].split(',').map((l) => l.trim());
    if (!linters.includes('goport') && !linters.includes('all')) return undefined;
  }
  return { kind: 'nolint', rules: ['all'], reason: '' };
}

/**
 * Finds the directives of a Go file. Tracks raw strings and block comments across lines so that
 * `//` inside them is not taken for a comment; lines that can hold no directive and open nothing
 * multi-line are skipped after two substring tests.
 */
export function scanDirectives(lines: readonly string[]): Directive[] {
  const out: Directive[] = [];
  let state: 'code' | 'raw' | 'block' = 'code';
  for (let ln = 0; ln < lines.length; ln++) {
    const text = lines[ln]!;
    let i = 0;
    if (state === 'raw') {
      const j = text.indexOf('`');
      if (j < 0) continue;
      i = j + 1;
      state = 'code';
    } else if (state === 'block') {
      const j = text.indexOf('*/');
      if (j < 0) continue;
      i = j + 2;
      state = 'code';
    }
    const start = i;
    if (
      !text.includes('goport:ignore') &&
      !text.includes('nolint') &&
      !text.includes('lint:') &&
      text.indexOf('`', i) < 0 &&
      text.indexOf('/*', i) < 0
    ) {
      continue;
    }
    while (i < text.length) {
      const c = text[i];
      if (c === '"' || c === "'") {
        i++;
        while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
        i++;
      } else if (c === '`') {
        const j = text.indexOf('`', i + 1);
        if (j < 0) {
          state = 'raw';
          break;
        }
        i = j + 1;
      } else if (c === '/' && text[i + 1] === '*') {
        const j = text.indexOf('*/', i + 2);
        if (j < 0) {
          state = 'block';
          break;
        }
        i = j + 2;
      } else if (c === '/' && text[i + 1] === '/') {
        const comment = text.slice(i).trimEnd();
        const d = parseDirective(comment);
        if (d) {
          out.push({
            ...d,
            line: ln + 1,
            column: byteColumn(text, i),
            endColumn: byteColumn(text, i + comment.length),
            ownLine: start === 0 && text.slice(0, i).trim() === '',
          });
        }
        break;
      } else {
        i++;
      }
    }
  }
  return out;
}

function ruleMatches(d: Directive, entry: string, f: Finding): boolean {
  if (d.kind === 'staticcheck') return staticcheckCovers(entry, f);
  return entry === 'all' || entry === f.rule;
}

/**
 * Drops findings covered by a directive, reports malformed directives (and unknown rule ids when
 * `ctx.knownRules` is given) as errors, and with `ctx.reportUnusedIgnores` turns each rule of a
 * `//goport:ignore` that matched nothing into an `unused-ignore` finding.
 *
 * Cost: only files that have findings are read (plus `ctx.files` for unused-ignore, restricted to
 * `ctx.onlyFiles`), each once; most lines are dismissed by two substring tests.
 */
export const ignoreProcessor: Processor = {
  name: 'ignore',
  process(findings, ctx: PipelineContext) {
    const getLines = ctx.getLines;
    if (getLines === undefined) return { findings: [...findings] };

    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const l = byFile.get(f.file);
      if (l) l.push(f);
      else byFile.set(f.file, [f]);
    }
    const files = new Set(byFile.keys());
    if (ctx.reportUnusedIgnores) {
      for (const f of ctx.files ?? []) if (ctx.onlyFiles === undefined || ctx.onlyFiles.has(f)) files.add(f);
    }

    const suppressed = new Set<Finding>();
    const errors: RunError[] = [];
    const unused: Finding[] = [];
    let scanned = 0;
    for (const file of [...files].sort()) {
      const lines = getLines(file);
      if (lines === undefined) continue;
      scanned++;
      const directives = scanDirectives(lines);
      if (directives.length === 0) continue;

      const cover = new Map<number, Directive[]>();
      const fileWide: Directive[] = [];
      const addCover = (line: number, d: Directive) => {
        const l = cover.get(line);
        if (l) l.push(d);
        else cover.set(line, [d]);
      };
      for (const d of directives) {
        const pos = `${file}:${d.line}`;
        if (d.malformed !== undefined) {
          errors.push({ file: pos, message: d.malformed });
          continue;
        }
        if (ctx.knownRules !== undefined && d.kind === 'goport') {
          for (const r of d.rules) {
            if (r !== 'all' && !ctx.knownRules.has(r)) {
              errors.push({ file: pos, message: `unknown rule "${r}" in goport:ignore directive` });
            }
          }
        }
        if (d.wholeFile) fileWide.push(d);
        addCover(d.line, d);
        if (d.ownLine) addCover(d.line + 1, d);
      }

      // Which rule entries of which directives matched something.
      const used = new Map<Directive, Set<number>>();
      for (const f of byFile.get(file) ?? []) {
        for (const d of [...(cover.get(f.line) ?? []), ...fileWide]) {
          d.rules.forEach((entry, i) => {
            if (!ruleMatches(d, entry, f)) return;
            suppressed.add(f);
            let u = used.get(d);
            if (!u) used.set(d, (u = new Set()));
            u.add(i);
          });
        }
      }

      if (!ctx.reportUnusedIgnores) continue;
      for (const d of directives) {
        if (d.kind !== 'goport' || d.malformed !== undefined) continue;
        const u = used.get(d);
        d.rules.forEach((rule, i) => {
          if (u?.has(i)) return;
          if (rule !== 'all') {
            if (ctx.knownRules !== undefined && !ctx.knownRules.has(rule)) return; // already an error
            if (ctx.enabledRules !== undefined && !ctx.enabledRules.has(rule)) return;
            if (ctx.severityOverrides?.[rule] === 'off') return;
          }
          unused.push({
            rule: UNUSED_IGNORE_RULE_ID,
            severity: UNUSED_IGNORE_RULE.severity,
            file,
            line: d.line,
            column: d.column,
            endLine: d.line,
            endColumn: d.endColumn,
            message: `goport:ignore directive for ${rule} matched no finding`,
            messageId: 'unusedIgnore',
            platforms: [...ctx.targets],
          });
        });
      }
    }

    return {
      findings: [...findings.filter((f) => !suppressed.has(f)), ...unused],
      errors,
      stats: { filesScanned: scanned, suppressed: suppressed.size, unused: unused.length },
    };
  },
};
