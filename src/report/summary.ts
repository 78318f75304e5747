import type { Finding, RunSummary, Severity } from '../engine/types.js';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders platform ids by target list; others after, sorted. */
export function byTargetOrder(targets: readonly string[]): (a: string, b: string) => number {
  const order = new Map<string, number>();
  targets.forEach((id, i) => order.set(id, i));
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  return (a, b) => rank(a) - rank(b) || cmp(a, b);
}

/** byRule with keys sorted; byPlatform in target order (only platforms with findings). */
export function summarize(
  findings: readonly Finding[],
  targets: readonly string[],
  counts: { files: number; packages: number },
): RunSummary {
  const rules = new Map<string, number>();
  const plats = new Map<string, number>();
  for (const f of findings) {
    rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
    for (const p of f.platforms) plats.set(p, (plats.get(p) ?? 0) + 1);
  }
  return {
    files: counts.files,
    packages: counts.packages,
    findings: findings.length,
    byRule: Object.fromEntries([...rules].sort((a, b) => cmp(a[0], b[0]))),
    byPlatform: Object.fromEntries([...plats].sort((a, b) => byTargetOrder(targets)(a[0], b[0]))),
  };
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}
