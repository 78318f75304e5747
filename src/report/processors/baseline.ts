import type { Finding } from '../../engine/types.js';
import { baselineFingerprint } from '../fingerprint.js';
import { compareFindings } from './sort.js';
import type { GetLines, Processor } from '../types.js';

/**
 * Baseline file (`goport baseline`): the findings a project accepts for now, so that only new ones
 * are reported. JSON, versioned. Entries carry no line numbers: matching is by fingerprint (see
 * `baselineFingerprint`), so moving code up or down does not resurface a finding; rule, file,
 * symbol and messageId are kept in clear for people reading or editing the file.
 */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  file: string;
  symbol?: string;
  messageId: string;
  fingerprint: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

export class BaselineError extends Error {}

/**
 * Serializes findings (after the rest of the pipeline: merged, ignored ones gone) as a baseline.
 * One entry per finding, so identical findings are counted; entries sorted; 2-space JSON with a
 * trailing newline, byte-identical for identical input.
 */
export function writeBaseline(findings: readonly Finding[], getLines: GetLines | undefined): string {
  const entries = [...findings].sort(compareFindings).map((f): BaselineEntry => {
    // Key order as documented: rule, file, symbol?, messageId, fingerprint.
    const fingerprint = baselineFingerprint(f, getLines);
    return f.symbol === undefined
      ? { rule: f.rule, file: f.file, messageId: f.messageId, fingerprint }
      : { rule: f.rule, file: f.file, symbol: f.symbol, messageId: f.messageId, fingerprint };
  });
  return `${JSON.stringify({ version: BASELINE_VERSION, tool: 'goport', entries }, null, 2)}\n`;
}

function isEntry(x: unknown): x is BaselineEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.rule === 'string' &&
    typeof e.file === 'string' &&
    typeof e.messageId === 'string' &&
    typeof e.fingerprint === 'string' &&
    (e.symbol === undefined || typeof e.symbol === 'string')
  );
}

/** Parses and checks a baseline file; throws BaselineError with a reason. */
export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`baseline is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null) throw new BaselineError('baseline must be a JSON object');
  const d = data as Record<string, unknown>;
  if (d.version !== BASELINE_VERSION) {
    throw new BaselineError(`unsupported baseline version ${JSON.stringify(d.version)}; this goport reads version ${BASELINE_VERSION}`);
  }
  if (!Array.isArray(d.entries)) throw new BaselineError('baseline has no "entries" array');
  d.entries.forEach((e, i) => {
    if (!isEntry(e)) throw new BaselineError(`baseline entry ${i} needs string rule, file, messageId and fingerprint`);
  });
  return { version: BASELINE_VERSION, entries: d.entries as BaselineEntry[] };
}

/**
 * Drops findings held by `ctx.baseline`. Count-based: an entry present twice absorbs two findings
 * with that fingerprint, a third one is new.
 */
export const baselineProcessor: Processor = {
  name: 'baseline',
  process(findings, ctx) {
    if (ctx.baseline === undefined) return { findings: [...findings] };
    const budget = new Map<string, number>();
    for (const e of ctx.baseline.entries) budget.set(e.fingerprint, (budget.get(e.fingerprint) ?? 0) + 1);
    const out: Finding[] = [];
    let matched = 0;
    // Sorted, so that which of several same-fingerprint findings stays new does not depend on the
    // engine's (worker-dependent) output order. The sort processor restores the order later anyway.
    for (const f of [...findings].sort(compareFindings)) {
      const fp = baselineFingerprint(f, ctx.getLines);
      const n = budget.get(fp) ?? 0;
      if (n > 0) {
        budget.set(fp, n - 1);
        matched++;
      } else {
        out.push(f);
      }
    }
    return { findings: out, stats: { matched } };
  },
};
