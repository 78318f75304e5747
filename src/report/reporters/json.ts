import type { Finding } from '../../engine/types.js';
import { byTargetOrder } from '../summary.js';
import type { Reporter } from './types.js';
import { targetList } from './util.js';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A finding with the documented key order; optional fields only when present, after platforms. */
/** `cause` ({id, title, uses}) and `tiers` of a finding, when it has them (JSON and SARIF properties). */
export function causeAndTiers(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (f.cause !== undefined) o.cause = { id: f.cause.id, title: f.cause.title, uses: f.cause.uses ?? 1 };
  if (f.tiers !== undefined) o.tiers = [...f.tiers];
  return o;
}

function findingJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = {
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    platforms: [...f.platforms],
  };
  if (f.symbol !== undefined) o.symbol = f.symbol;
  if (f.related !== undefined && f.related.length > 0) {
    o.related = f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message }));
  }
  if (f.suggestion !== undefined) o.suggestion = f.suggestion;
  Object.assign(o, causeAndTiers(f));
  if (f.fix !== undefined) {
    const edits = f.fix.edits.map((e) => ({ file: e.file, start: e.start, end: e.end, line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, text: e.text }));
    o.fix = { description: f.fix.description, edits };
  }
  return o;
}

/**
 * Machine-readable output. Key order is fixed (objects are built field by field, never spread
 * from input), byRule keys are sorted and byPlatform keys follow the target order, so identical
 * input gives byte-identical output. `stats` is not written.
 */
export const jsonReporter: Reporter = {
  format: 'json',
  extension: 'json',
  render(run, _rules, opts) {
    const targets = targetList(opts.targets, run.platforms);
    const s = run.summary;
    const doc = {
      tool: { name: run.tool.name, version: run.tool.version },
      platforms: [...run.platforms],
      findings: run.findings.map(findingJson),
      errors: run.errors.map((e) => ({ file: e.file, message: e.message })),
      summary: {
        files: s.files,
        packages: s.packages,
        findings: s.findings,
        byRule: Object.fromEntries(Object.entries(s.byRule).sort((a, b) => cmp(a[0], b[0]))),
        byPlatform: Object.fromEntries(Object.entries(s.byPlatform).sort((a, b) => byTargetOrder(targets)(a[0], b[0]))),
      },
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  },
};
