import type { Processor } from '../types.js';

/** Applies `ctx.severityOverrides`: a new severity per rule, or `'off'` to drop the rule's findings. */
export const severityProcessor: Processor = {
  name: 'severity',
  process(findings, ctx) {
    const overrides = ctx.severityOverrides;
    if (overrides === undefined || Object.keys(overrides).length === 0) return { findings: [...findings] };
    const out = [];
    for (const f of findings) {
      const o = Object.hasOwn(overrides, f.rule) ? overrides[f.rule] : undefined;
      if (o === 'off') continue;
      out.push(o === undefined || o === f.severity ? f : { ...f, severity: o });
    }
    return { findings: out };
  },
};
