/** `goport targets` output: text, JSON, Markdown (the Kubernetes release table's shape) and one HTML page. */
import { CSS, esc } from '../audit/html.js';
import { matrixHeader, md, osGroups } from '../audit/render.js';
import { compactPlatforms, plural } from '../report/reporters/util.js';
import type { BinaryRow, CellReport, TargetCell, TargetsTable } from './table.js';

const TEXT: Readonly<Record<TargetCell, string>> = { ok: '✅', warn: '⚠', fail: '❌', none: '—' };
/** Terminal columns each symbol takes (✅ and ❌ are wide characters). */
const WIDTH: Readonly<Record<TargetCell, number>> = { ok: 2, warn: 1, fail: 2, none: 1 };
const MARKDOWN: Readonly<Record<TargetCell, string>> = { ok: '✅', warn: '⚠️', fail: '❌', none: '—' };
/** Text-presentation forms, coloured by CSS: the page reads the same without an emoji font. */
const HTML: Readonly<Record<TargetCell, string>> = { ok: '✔', warn: '⚠', fail: '✖', none: '—' };
/** The audit page's classes for the same meanings. */
const HTML_CLASS: Readonly<Record<TargetCell, string>> = { ok: 'ok', warn: 'warn', fail: 'fail', none: 'unused' };
export const TARGET_CELL_MEANING: Readonly<Record<TargetCell, string>> = {
  ok: 'builds clean',
  warn: 'warnings or info',
  fail: 'breaks',
  none: 'not a target',
};
const CELLS: readonly TargetCell[] = ['ok', 'warn', 'fail', 'none'];

function headline(t: TargetsTable): string {
  const c = t.summary.cells;
  return `${plural(t.binaries.length, 'binary', 'binaries')}, ${plural(t.platforms.length, 'platform')}: ${c.ok} clean, ${c.warn} with warnings, ${c.fail} broken`;
}

/** Per binary, the failing and warning cells grouped by their first finding: "linux/arm, linux/386: cause (file:line)". */
function problems(t: TargetsTable, b: BinaryRow): { state: TargetCell; platforms: string[]; cell: CellReport }[] {
  const out: { state: TargetCell; platforms: string[]; cell: CellReport; key: string }[] = [];
  for (const p of t.platforms) {
    const c = b.cells[p]!;
    if (c.state !== 'fail' && c.state !== 'warn') continue;
    const key = `${c.state}\0${JSON.stringify(c.first)}`;
    const hit = out.find((o) => o.key === key);
    if (hit) hit.platforms.push(p);
    else out.push({ state: c.state, platforms: [p], cell: c, key });
  }
  return out.sort((a, b) => (a.state === b.state ? 0 : a.state === 'fail' ? -1 : 1));
}

function firstText(c: CellReport): string {
  const f = c.first!;
  const at = f.line > 0 ? `${f.file}:${f.line}:${f.column}` : f.file;
  const n = c.errors + c.warnings + c.infos;
  return `${f.message} [${f.rule}] (${at})${n > 1 ? `; ${plural(n, 'finding')} of ${plural(c.causes, 'cause')}` : ''}`;
}

export function renderTargetsText(t: TargetsTable): string {
  const { groups, widths, osRow, archRow } = matrixHeader(t.platforms);
  const nameW = Math.max(6, ...t.binaries.map((b) => b.name.length));
  const out: string[] = [`goport targets: ${headline(t)}`, ''];
  out.push((' '.repeat(nameW + 2) + osRow).trimEnd(), ('binary'.padEnd(nameW + 2) + archRow).trimEnd());
  let gi = 0;
  const lastOfGroup = new Set(groups.map((g) => (gi += g.archs.length) - 1));
  for (const b of t.binaries) {
    let row = '';
    t.platforms.forEach((p, i) => {
      const c = b.cells[p]!.state;
      row += TEXT[c] + ' '.repeat(Math.max(0, widths[i]! - WIDTH[c])) + (lastOfGroup.has(i) ? '  ' : ' ');
    });
    out.push((b.name.padEnd(nameW + 2) + row).trimEnd());
  }
  out.push('', CELLS.map((c) => `${TEXT[c]} ${TARGET_CELL_MEANING[c]}`).join('   '));
  for (const b of t.binaries) {
    const ps = problems(t, b);
    if (ps.length === 0) continue;
    out.push('', `${b.name} (${b.dir}, ${plural(b.packages, 'package')}):`);
    for (const p of ps) out.push(`    ${TEXT[p.state]} ${compactPlatforms(p.platforms, t.platforms).join(', ')}: ${firstText(p.cell)}`);
  }
  if (t.errors.length > 0) {
    out.push('', 'errors:');
    for (const e of t.errors) out.push(`    ${e.file}: ${e.message}`);
  }
  return out.join('\n') + '\n';
}

export function renderTargetsJson(t: TargetsTable): string {
  return JSON.stringify(t, null, 2) + '\n';
}

/**
 * The shape of the Kubernetes release table: one row per binary, one centred column per platform
 * (`linux/amd64` …), a symbol per cell and a legend; then what breaks, per binary.
 */
export function renderTargetsMarkdown(t: TargetsTable): string {
  const out: string[] = ['## goport targets', '', `${md(headline(t))}.`, ''];
  out.push(`| Binary | ${t.platforms.join(' | ')} |`);
  out.push(`| :--- | ${t.platforms.map(() => ':---:').join(' | ')} |`);
  for (const b of t.binaries) out.push(`| \`${b.name}\` | ${t.platforms.map((p) => MARKDOWN[b.cells[p]!.state]).join(' | ')} |`);
  out.push('', CELLS.map((c) => `${MARKDOWN[c]} ${TARGET_CELL_MEANING[c]}`).join(' · '));
  const broken = t.binaries.filter((b) => problems(t, b).length > 0);
  if (broken.length > 0) {
    out.push('', '### What breaks');
    for (const b of broken) {
      out.push('', `#### \`${b.name}\``, '');
      for (const p of problems(t, b)) out.push(`- ${MARKDOWN[p.state]} \`${compactPlatforms(p.platforms, t.platforms).join(', ')}\`: ${md(firstText(p.cell))}`);
    }
  }
  if (t.errors.length > 0) {
    out.push('', '### Errors', '');
    for (const e of t.errors) out.push(`- \`${e.file}\`: ${md(e.message)}`);
  }
  return out.join('\n') + '\n';
}

/** One self-contained page (the audit page's style): the table, then what breaks per binary. */
export function renderTargetsHtml(t: TargetsTable): string {
  const groups = osGroups(t.platforms);
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push(`<meta name="generator" content="goport ${esc(t.tool.version)}">`, '<title>goport targets</title>', `<style>${CSS}</style>`, '</head>', '<body>');
  h.push('<h1>goport targets</h1>', `<p class="summary">${esc(headline(t))}</p>`);
  h.push('<p class="legend">', ...CELLS.map((c) => `<span><span class="sym c-${HTML_CLASS[c]}">${HTML[c]}</span> ${esc(TARGET_CELL_MEANING[c])}</span>`), '</p>');
  h.push('<div class="wrap"><table class="matrix">', '<thead>');
  h.push(`<tr><th class="mod" rowspan="2">Binary</th>${groups.map((g) => `<th colspan="${g.archs.length}">${esc(g.goos)}</th>`).join('')}</tr>`);
  h.push(`<tr>${groups.flatMap((g) => g.archs.map((a) => `<th>${esc(a)}</th>`)).join('')}</tr>`, '</thead>', '<tbody>');
  t.binaries.forEach((b, i) => {
    const bad = problems(t, b).length > 0;
    const name = bad ? `<a href="#b${i}"><code>${esc(b.name)}</code></a>` : `<code>${esc(b.name)}</code>`;
    const cells = t.platforms
      .map((p) => {
        const c = b.cells[p]!;
        const title = c.first ? `${b.name} on ${p}: ${firstText(c)}` : `${b.name} on ${p}: ${TARGET_CELL_MEANING[c.state]}`;
        return `<td class="c c-${HTML_CLASS[c.state]} sym" title="${esc(title)}">${HTML[c.state]}</td>`;
      })
      .join('');
    h.push(`<tr data-binary="${esc(b.name)}"><th class="mod" title="${esc(b.dir)}">${name}</th>${cells}</tr>`);
  });
  h.push('</tbody></table></div>');
  const broken = t.binaries.map((b, i) => ({ b, i })).filter(({ b }) => problems(t, b).length > 0);
  if (broken.length > 0) {
    h.push('<h2>What breaks</h2>');
    for (const { b, i } of broken) {
      h.push(`<section id="b${i}">`, `<h3><code>${esc(b.name)}</code> <span class="mono">${esc(b.dir)} · ${plural(b.packages, 'package')}</span></h3>`, '<ul class="findings">');
      for (const p of problems(t, b)) {
        h.push(`<li><span class="sym c-${HTML_CLASS[p.state]}">${HTML[p.state]}</span> <span class="mono">${esc(compactPlatforms(p.platforms, t.platforms).join(', '))}</span>: ${esc(firstText(p.cell))}</li>`);
      }
      h.push('</ul>', '</section>');
    }
  }
  if (t.errors.length > 0) {
    h.push('<h2>Errors</h2>', '<ul class="findings">');
    for (const e of t.errors) h.push(`<li><code>${esc(e.file)}</code>: ${esc(e.message)}</li>`);
    h.push('</ul>');
  }
  h.push('</body>', '</html>');
  return h.join('\n') + '\n';
}
