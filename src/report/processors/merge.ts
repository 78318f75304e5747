import { comparePlatformIds } from '../../platform/targets.js';
import type { Finding, Related, Severity } from '../../engine/types.js';
import type { PipelineContext, Processor, RawFinding } from '../types.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function identity(f: RawFinding): string {
  // JSON of a fixed-order tuple: no separator can collide with field contents.
  return JSON.stringify([f.rule, f.file, f.line, f.column, f.endLine, f.endColumn, f.messageId, f.message]);
}

function relatedKey(r: Related): string {
  return JSON.stringify([r.file, r.line, r.column, r.message]);
}

/**
 * Folds raw findings that are the same problem seen from several platform groups into one: same
 * rule, position (start and end), messageId and message. Platforms are unioned and put in target
 * order (ids outside the target list go last, sorted). Related notes are unioned without
 * duplicates: the groups' contributions are taken in target order of each group's first platform,
 * each keeping its own note order, so the result does not depend on the order in which the engine
 * (or its workers) emitted the groups. Symbol and suggestion come from the first group in that
 * order that has one. Output keeps the order of first appearance; the sort processor orders it.
 */
export function mergeFindings(raw: readonly RawFinding[], targets: readonly string[]): Finding[] {
  const order = new Map<string, number>();
  targets.forEach((id, i) => order.set(id, i));
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  const groupRank = (f: RawFinding) => f.platforms.reduce((m, p) => Math.min(m, rank(p)), Number.MAX_SAFE_INTEGER);

  const byKey = new Map<string, RawFinding[]>();
  for (const r of raw) {
    const key = identity(r);
    const l = byKey.get(key);
    if (l) l.push(r);
    else byKey.set(key, [r]);
  }

  const out: Finding[] = [];
  for (const group of byKey.values()) {
    if (group.length === 1) {
      const f = { ...group[0]!, platforms: [...group[0]!.platforms] };
      f.platforms.sort((a, b) => rank(a) - rank(b) || comparePlatformIds(a, b));
      out.push(f);
      continue;
    }
    // Stable sort: groups with the same first platform keep their input order.
    const parts = [...group].sort((a, b) => groupRank(a) - groupRank(b));
    const f: Finding = { ...parts[0]! };
    const platforms = new Set<string>();
    const related = new Map<string, Related>();
    for (const p of parts) {
      p.platforms.forEach((id) => platforms.add(id));
      for (const n of p.related ?? []) if (!related.has(relatedKey(n))) related.set(relatedKey(n), n);
      if (SEVERITY_RANK[p.severity] < SEVERITY_RANK[f.severity]) f.severity = p.severity;
      if (f.symbol === undefined && p.symbol !== undefined) f.symbol = p.symbol;
      if (f.suggestion === undefined && p.suggestion !== undefined) f.suggestion = p.suggestion;
    }
    f.platforms = [...platforms].sort((a, b) => rank(a) - rank(b) || comparePlatformIds(a, b));
    if (related.size > 0) f.related = [...related.values()];
    else delete f.related;
    out.push(f);
  }
  return out;
}

export const mergeProcessor: Processor = {
  name: 'merge',
  process(findings, ctx: PipelineContext) {
    return { findings: mergeFindings(findings, ctx.targets) };
  },
};
