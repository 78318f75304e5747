import type { Finding } from '../../engine/types.js';
import { compactPlatforms } from '../reporters/util.js';
import type { Processor } from '../types.js';

/**
 * Completes each finding's cause once the report's findings are final: the id gets the compacted
 * platforms (`gated-symbol:a.Splice@darwin/*,windows/*`: one missing declaration on one set of
 * platforms) and `uses` counts the findings that share it.
 */
export const causeProcessor: Processor = {
  name: 'cause',
  process(findings, ctx) {
    if (!findings.some((f) => f.cause)) return { findings: [...findings] };
    const idOf = (f: Finding) => `${f.cause!.id}@${compactPlatforms(f.platforms, ctx.targets).join(',')}`;
    const uses = new Map<string, number>();
    for (const f of findings) if (f.cause) uses.set(idOf(f), (uses.get(idOf(f)) ?? 0) + 1);
    const out = findings.map((f): Finding => {
      if (!f.cause) return f;
      const id = idOf(f);
      return { ...f, cause: { id, title: f.cause.title, uses: uses.get(id)! } };
    });
    return { findings: out, stats: { causes: uses.size } };
  },
};
