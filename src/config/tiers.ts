/**
 * Support tiers of platforms (`tiers` in .goport.yml), after Kubernetes' platform guide: tier 1 is
 * "expected to work", tier 2 "expected to build", tier 3 "demonstrated to work". A finding whose
 * platforms are all of tier 2 is reported at most as a warning, all of tier 3 at most as info
 * (`tier-severity` changes those levels). Platforms no tier names are tier 1.
 */
import type { Severity } from '../engine/types.js';
import { parsePlatforms } from '../platform/targets.js';

/**
 * Tier presets. `kubernetes`: tier 1 linux/amd64; tier 2 the other platforms Kubernetes releases
 * server or node binaries for (linux/arm, arm64, ppc64le, s390x and windows/amd64); tier 3 the
 * platforms only kubectl is released for.
 */
export const TIER_PRESETS: Readonly<Record<string, Readonly<Record<number, readonly string[]>>>> = {
  kubernetes: {
    1: ['linux/amd64'],
    2: ['linux/arm', 'linux/arm64', 'linux/ppc64le', 'linux/s390x', 'windows/amd64'],
    3: ['linux/386', 'darwin/amd64', 'darwin/arm64', 'windows/386', 'windows/arm64'],
  },
};

export const DEFAULT_TIER_SEVERITY: Readonly<Record<number, Severity>> = { 1: 'error', 2: 'warning', 3: 'info' };

/** The tier of every platform id (a platform in several tiers gets the best one), and the severity caps. */
export interface TierTable {
  tierOf: ReadonlyMap<string, number>;
  severity: Readonly<Record<number, Severity>>;
}

export function resolveTiers(spec: string | Record<number, readonly string[]>, severity?: Readonly<Record<number, Severity>>): TierTable {
  const table = typeof spec === 'string' ? TIER_PRESETS[spec]! : spec;
  const tierOf = new Map<string, number>();
  for (const n of [1, 2, 3]) {
    const specs = table[n];
    if (!specs || specs.length === 0) continue;
    for (const p of parsePlatforms(specs)) if (!tierOf.has(p.id)) tierOf.set(p.id, n);
  }
  return { tierOf, severity: { ...DEFAULT_TIER_SEVERITY, ...(severity ?? {}) } };
}

/** The tier of a platform: 1 when no tier names it. */
export function tierOf(t: TierTable, id: string): number {
  return t.tierOf.get(id) ?? 1;
}
