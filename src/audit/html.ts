/**
 * The audit as one self-contained HTML page: the module × platform matrix (sticky headers, a filter
 * box, "problems only"), then the findings of each module. No external resources: the CSS and the
 * small script are inline, so the file can be archived as a CI artifact and opened anywhere.
 */
import { compactPlatforms } from '../report/reporters/util.js';
import type { AuditResult, Cell } from './audit.js';
import { CELL_MEANING, osGroups, worstCell } from './render.js';

/**
 * The page's cell symbols: the text-presentation forms of ✅ ⚠ ❌ (✔ ⚠ ✖), coloured, so that the
 * matrix reads the same on machines without an emoji font (stock Linux, headless browsers in CI).
 */
export const CELL_HTML: Readonly<Record<Cell, string>> = { ok: '✔', warn: '⚠', fail: '✖', unused: '—', missing: '?' };

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The audit page's style, shared with the `goport targets` page. */
export const CSS = `
:root { color-scheme: light dark; --ok: #d9f2dd; --warn: #fff1c2; --fail: #ffd6d6; --unused: transparent; --missing: #e6e6e6; --line: #d0d7de; }
@media (prefers-color-scheme: dark) { :root { --ok: #1f3d26; --warn: #4a3d10; --fail: #4d1f1f; --missing: #333; --line: #444c56; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.summary { color: #57606a; margin: 0 0 1rem; }
.controls { display: flex; gap: 1rem; align-items: center; margin: .8rem 0; }
.controls input[type=search] { padding: .3rem .5rem; min-width: 18rem; }
.wrap { overflow: auto; max-height: 75vh; border: 1px solid var(--line); }
table.matrix { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: .2rem .45rem; white-space: nowrap; }
.matrix thead th { position: sticky; background: Canvas; z-index: 1; }
.matrix thead tr:first-child th { top: 0; } .matrix thead tr:nth-child(2) th { top: 1.75rem; }
.matrix td.c { text-align: center; min-width: 2.2rem; }
.c-ok { background: var(--ok); color: #1a7f37; } .c-warn { background: var(--warn); color: #9a6700; } .c-fail { background: var(--fail); color: #cf222e; font-weight: 700; } .c-missing { background: var(--missing); } .c-unused { color: #8c959f; }
.sym { font-family: "DejaVu Sans", "Segoe UI Symbol", "Apple Symbols", sans-serif; font-variant-emoji: text; }
.matrix th.mod { text-align: left; position: sticky; left: 0; background: Canvas; z-index: 2; }
.matrix thead th.mod { z-index: 3; }
.legend span { margin-right: 1.2rem; }
ul.findings { margin: .3rem 0; padding-left: 1.2rem; } ul.findings li { margin: .15rem 0; }
.sev-error { color: #cf222e; font-weight: 600; } .sev-warning { color: #9a6700; font-weight: 600; } .sev-info { color: #0969da; }
table.rules { border-collapse: collapse; margin: .3rem 0; } table.rules td, table.rules th { border: 1px solid var(--line); padding: .1rem .5rem; }
`;

/** Filter box, "problems only" toggle; `#selftest=TEXT` applies a filter and records what is shown (tests). */
const SCRIPT = `
(function () {
  var q = document.getElementById('filter'), only = document.getElementById('problems');
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.matrix tbody tr'));
  function apply() {
    var text = q.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (tr) {
      var ok = (!text || tr.getAttribute('data-module').toLowerCase().indexOf(text) >= 0) && (!only.checked || tr.getAttribute('data-problem') === '1');
      tr.hidden = !ok; if (ok) shown++;
    });
    document.body.setAttribute('data-visible-rows', String(shown));
  }
  q.addEventListener('input', apply); only.addEventListener('change', apply);
  var m = /^#selftest=(.*)$/.exec(location.hash);
  if (m) { q.value = decodeURIComponent(m[1]); }
  apply();
  document.body.setAttribute('data-ready', 'true');
})();
`;

export function renderAuditHtml(r: AuditResult): string {
  const groups = osGroups(r.platforms);
  const title = `goport audit: ${r.module ?? r.root}`;
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push(`<meta name="generator" content="goport ${esc(r.tool.version)}">`, `<title>${esc(title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  h.push(`<h1>${esc(title)}</h1>`);
  h.push(
    `<p class="summary">${r.summary.modules} modules from ${esc(r.source)} · ${r.summary.packages} packages · ${r.summary.files} files · ${r.platforms.length} platforms · ${r.summary.findings} findings</p>`,
  );
  h.push('<p class="legend">', ...(['ok', 'warn', 'fail', 'unused', 'missing'] as Cell[]).filter((c) => c !== 'missing' || r.summary.cells.missing > 0).map((c) => `<span><span class="sym c-${c}">${CELL_HTML[c]}</span> ${esc(CELL_MEANING[c])}</span>`), '</p>');
  h.push('<div class="controls"><input type="search" id="filter" placeholder="Filter modules…" aria-label="Filter modules"><label><input type="checkbox" id="problems"> problems only</label></div>');
  h.push('<div class="wrap"><table class="matrix">', '<thead>');
  h.push(`<tr><th class="mod" rowspan="2">Module</th><th class="mod" rowspan="2">Version</th>${groups.map((g) => `<th colspan="${g.archs.length}">${esc(g.goos)}</th>`).join('')}</tr>`);
  h.push(`<tr>${groups.flatMap((g) => g.archs.map((a) => `<th>${esc(a)}</th>`)).join('')}</tr>`, '</thead>', '<tbody>');
  r.modules.forEach((m, i) => {
    const problem = m.findings > 0 || m.noFiles.length > 0 || m.missing === true;
    const name = problem ? `<a href="#m${i}"><code>${esc(m.path)}</code></a>` : `<code>${esc(m.path)}</code>`;
    const version = m.replacement !== undefined ? `${m.version} ⇒ ${m.replacement}`.trim() : m.version;
    const cells = r.platforms
      .map((p) => {
        const c = m.cells[p]!;
        return `<td class="c c-${c} sym" title="${esc(`${m.path} on ${p}: ${CELL_MEANING[c]}`)}">${CELL_HTML[c]}</td>`;
      })
      .join('');
    h.push(`<tr data-module="${esc(m.path)}" data-problem="${problem ? 1 : 0}"><th class="mod">${name}</th><td class="mono">${esc(version)}</td>${cells}</tr>`);
  });
  h.push('</tbody></table></div>');

  const problems = r.modules.map((m, i) => ({ m, i })).filter(({ m }) => m.findings > 0 || m.noFiles.length > 0);
  if (problems.length > 0) {
    h.push('<h2>Findings by module</h2>');
    for (const { m, i } of problems) {
      h.push(`<section id="m${i}">`, `<h3><span class="sym c-${worstCell(m)}">${CELL_HTML[worstCell(m)]}</span> <code>${esc(m.path)}</code> <span class="mono">${esc(m.version)}</span></h3>`);
      if (m.findings > 0) {
        h.push('<table class="rules"><tr><th>Rule</th><th>Findings</th></tr>');
        for (const [rule, n] of Object.entries(m.byRule)) h.push(`<tr><td><code>${esc(rule)}</code></td><td>${n}</td></tr>`);
        h.push('</table>');
      }
      h.push('<ul class="findings">');
      for (const f of m.worst) {
        h.push(
          `<li><span class="sev-${f.severity}">${f.severity}</span> <code>${esc(`${f.file}:${f.line}:${f.column}`)}</code> ${esc(f.message)} <code>[${esc(f.rule)}]</code> <span class="mono">(${esc(compactPlatforms(f.platforms, r.platforms).join(', '))})</span></li>`,
        );
      }
      if (m.findings > m.worst.length) h.push(`<li>… and ${m.findings - m.worst.length} more (goport check --vendor shows them all)</li>`);
      for (const n of m.noFiles) {
        h.push(
          `<li><span class="sev-error">error</span> package <code>${esc(n.package)}</code>: build constraints exclude all Go files on <span class="mono">${esc(compactPlatforms(n.platforms, r.platforms).join(', '))}</span> (imported by <code>${esc(n.importedBy)}</code>)</li>`,
        );
      }
      h.push('</ul>', '</section>');
    }
  }
  if (r.errors.length > 0) {
    h.push('<h2>Errors</h2>', '<ul class="findings">');
    for (const e of r.errors) h.push(`<li><code>${esc(e.file)}</code>: ${esc(e.message)}</li>`);
    h.push('</ul>');
  }
  h.push(`<script>${SCRIPT}</script>`, '</body>', '</html>');
  return h.join('\n') + '\n';
}
