import type { Finding, RunError, Severity } from '../../engine/types.js';
import { Targets, type Platform } from '../../platform/targets.js';
import { splitPosition } from '../positions.js';
import { byTargetOrder } from '../summary.js';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

const targetsCache = new Map<string, Targets>();

function targetsOf(ids: readonly string[]): Targets {
  const key = ids.join(',');
  let t = targetsCache.get(key);
  if (t === undefined) {
    t = new Targets(
      ids.map((id): Platform => {
        const [goos = '', goarch = ''] = id.split('/');
        return { goos, goarch, id };
      }),
    );
    if (targetsCache.size > 16) targetsCache.clear();
    targetsCache.set(key, t);
  }
  return t;
}

/**
 * Display form of a platform list, in target order: `windows/*` for a whole GOOS of the targets,
 * `*` for all of them.
 */
export function compactPlatforms(ids: readonly string[], targets: readonly string[]): string[] {
  const sorted = [...ids].sort(byTargetOrder(targets));
  return targets.length === 0 ? sorted : targetsOf(targets).compact(sorted);
}

/** The target list a reporter uses: the options', else the run's. */
export function targetList(optsTargets: readonly string[], runPlatforms: readonly string[]): readonly string[] {
  return optsTargets.length > 0 ? optsTargets : runPlatforms;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 findings (1 error, 2 warnings) in 2 files"; info only when there is some. */
export function findingsSummary(findings: readonly Finding[]): string {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  const files = new Set(findings.map((f) => f.file)).size;
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning')];
  if (c.info > 0) parts.push(`${c.info} info`);
  return `${plural(findings.length, 'finding')} (${parts.join(', ')}) in ${plural(files, 'file')}`;
}

/** `path:line` of a run error, or `goport` for an error with no file (an internal error). */
export function errorLocation(e: RunError): string {
  return e.file === '' ? 'goport' : e.file;
}

export { splitPosition };

/** Characters XML 1.0 cannot carry at all. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an XML attribute value or element content. */
export function xmlEscape(s: string): string {
  return s
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Most severe first; stable, so the sorted order holds within a severity. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}
