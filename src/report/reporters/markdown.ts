import { SEVERITIES, type Severity } from '../../engine/types.js';
import type { Reporter } from './types.js';
import { compactPlatforms, errorLocation, findingsSummary, plural, targetList } from './util.js';

/** Findings listed before "… and N more": a PR comment must stay readable (and under 64 KiB). */
export const MARKDOWN_MAX_FINDINGS = 50;

/** Escapes text for a GFM table cell: Markdown punctuation, pipes and line breaks. */
export function mdCell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|~#]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

/** A code span that survives backticks in its text. */
function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s.includes('`') ? ` ${s} ` : s}${fence}`.replace(/\|/g, '\\|');
}

/**
 * A PR-comment summary: heading and totals, a rule × severity count table, then the findings
 * (first 50) as a table. Empty cells instead of zeros keep the count table scannable.
 */
export const markdownReporter: Reporter = {
  format: 'markdown',
  extension: 'md',
  render(run, _rules, opts) {
    const targets = targetList(opts.targets, run.platforms);
    const out: string[] = ['## goport', ''];
    if (run.findings.length === 0 && run.errors.length === 0) {
      out.push(`No portability findings on ${plural(run.platforms.length, 'platform')}.`);
      return `${out.join('\n')}\n`;
    }
    let head = `${findingsSummary(run.findings)} on ${plural(run.platforms.length, 'platform')}`;
    if (run.errors.length > 0) head += `; ${plural(run.errors.length, 'analysis error')}`;
    out.push(`${head}.`);

    if (run.findings.length > 0) {
      const counts = new Map<string, Record<Severity, number>>();
      for (const f of run.findings) {
        let c = counts.get(f.rule);
        if (!c) counts.set(f.rule, (c = { error: 0, warning: 0, info: 0 }));
        c[f.severity]++;
      }
      const cell = (n: number) => (n === 0 ? '' : String(n));
      out.push('', '| Rule | Error | Warning | Info | Total |', '| --- | ---: | ---: | ---: | ---: |');
      for (const rule of [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const c = counts.get(rule)!;
        const total = SEVERITIES.reduce((n, s) => n + c[s], 0);
        out.push(`| ${code(rule)} | ${cell(c.error)} | ${cell(c.warning)} | ${cell(c.info)} | ${total} |`);
      }

      out.push('', '| Location | Severity | Rule | Message | Platforms |', '| --- | --- | --- | --- | --- |');
      for (const f of run.findings.slice(0, MARKDOWN_MAX_FINDINGS)) {
        const plats = compactPlatforms(f.platforms, targets).join(', ');
        out.push(`| ${code(`${f.file}:${f.line}`)} | ${f.severity} | ${code(f.rule)} | ${mdCell(f.message)} | ${code(plats)} |`);
      }
      const more = run.findings.length - MARKDOWN_MAX_FINDINGS;
      if (more > 0) out.push('', `… and ${more} more`);
    }

    if (run.errors.length > 0) {
      out.push('', '### Errors', '');
      for (const e of run.errors) out.push(`- ${code(errorLocation(e))}: ${mdCell(e.message)}`);
    }
    return `${out.join('\n')}\n`;
  },
};
