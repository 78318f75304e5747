import type { Finding, Severity } from '../../engine/types.js';
import { tierOf } from '../../config/tiers.js';
import type { Processor } from '../types.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * With `ctx.tiers`: records each finding's tiers (those of its platforms, ascending) and lowers its
 * severity to the cap of its best tier (by default tier 2: warning, tier 3: info). Never raises one.
 */
export const tiersProcessor: Processor = {
  name: 'tiers',
  process(findings, ctx) {
    const t = ctx.tiers;
    if (t === undefined) return { findings: [...findings] };
    let lowered = 0;
    const out = findings.map((f): Finding => {
      const tiers = [...new Set(f.platforms.map((p) => tierOf(t, p)))].sort((a, b) => a - b);
      const cap = t.severity[tiers[0] ?? 1] ?? f.severity;
      const severity = RANK[cap] > RANK[f.severity] ? cap : f.severity;
      if (severity !== f.severity) lowered++;
      return { ...f, severity, tiers };
    });
    return { findings: out, stats: { lowered } };
  },
};
