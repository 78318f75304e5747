import type { Severity } from '../../engine/types.js';
import { splitPosition, utf16Column } from '../positions.js';
import type { Reporter } from './types.js';
import { bySeverity, compactPlatforms, findingsSummary, plural, targetList } from './util.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a workflow command's message (GitHub's escapeData). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (GitHub's escapeProperty). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: string, props: [string, string | number][], message: string): string {
  const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${kind}${p === '' ? '' : ` ${p}`}::${escapeData(message)}`;
}

/**
 * GitHub Actions workflow commands: annotations on the PR diff. Run errors first, then findings
 * most severe first (GitHub shows at most 10 annotations of each kind per step), then a notice
 * with the totals. Columns are UTF-16 code units when the source is at hand. Prints nothing for a
 * clean run.
 */
export const githubReporter: Reporter = {
  format: 'github',
  extension: 'txt',
  render(run, _rules, opts) {
    if (run.findings.length === 0 && run.errors.length === 0) return '';
    const targets = targetList(opts.targets, run.platforms);
    const out: string[] = [];
    for (const e of run.errors) {
      if (e.file === '') {
        out.push(command('error', [['title', 'goport']], e.message));
        continue;
      }
      const p = splitPosition(e.file);
      const props: [string, string | number][] = [['file', p.path]];
      if (p.line !== undefined) props.push(['line', p.line]);
      if (p.column !== undefined) props.push(['col', p.column]);
      props.push(['title', 'goport']);
      out.push(command('error', props, e.message));
    }
    for (const f of bySeverity(run.findings)) {
      const lines = opts.getLines?.(f.file);
      const plats = compactPlatforms(f.platforms, targets).join(', ');
      out.push(
        command(
          COMMAND[f.severity],
          [
            ['file', f.file],
            ['line', f.line],
            ['col', utf16Column(lines?.[f.line - 1], f.column)],
            ['endLine', f.endLine],
            ['endColumn', utf16Column(lines?.[f.endLine - 1], f.endColumn)],
            ['title', `goport ${f.rule}`],
          ],
          `${f.message} (${plats})`,
        ),
      );
    }
    let summary = `goport: ${findingsSummary(run.findings)}`;
    if (run.errors.length > 0) summary += `; ${plural(run.errors.length, 'analysis error')}`;
    out.push(command('notice', [], summary));
    return `${out.join('\n')}\n`;
  },
};
