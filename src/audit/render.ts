/** The audit's text, JSON and Markdown forms (HTML is in html.ts). */
import type { Finding } from '../engine/types.js';
import { compactPlatforms } from '../report/reporters/util.js';
import type { AuditResult, Cell, ModuleReport } from './audit.js';

export const CELL_TEXT: Readonly<Record<Cell, string>> = { ok: '✅', warn: '⚠', fail: '❌', unused: '·', missing: '?' };
/** Terminal columns each symbol takes (✅ and ❌ are wide characters). */
const CELL_WIDTH: Readonly<Record<Cell, number>> = { ok: 2, warn: 1, fail: 2, unused: 1, missing: 1 };
export const CELL_MARKDOWN: Readonly<Record<Cell, string>> = { ok: '✅', warn: '⚠️', fail: '❌', unused: '—', missing: '❔' };
export const CELL_MEANING: Readonly<Record<Cell, string>> = {
  ok: 'builds and is clean',
  warn: 'findings',
  fail: 'breaks: missing symbols or syscalls, or no files for the platform',
  unused: 'not used on that platform',
  missing: 'not in the module cache',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Consecutive targets of one GOOS, for the two-row header. */
export function osGroups(platforms: readonly string[]): { goos: string; archs: string[] }[] {
  const out: { goos: string; archs: string[] }[] = [];
  for (const id of platforms) {
    const [goos = '', goarch = ''] = id.split('/');
    const last = out[out.length - 1];
    if (last && last.goos === goos) last.archs.push(goarch);
    else out.push({ goos, archs: [goarch] });
  }
  return out;
}

export function worstCell(m: ModuleReport): Cell {
  const cells = Object.values(m.cells);
  for (const c of ['missing', 'fail', 'warn', 'ok'] as const) if (cells.includes(c)) return c;
  return 'unused';
}

/** `12 findings (platform-syscall 10, gated-symbol 2)`. */
function ruleCounts(m: ModuleReport): string {
  const parts = Object.entries(m.byRule).map(([r, n]) => `${r} ${n}`);
  return `${plural(m.findings, 'finding')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

function cellsWhere(r: AuditResult, m: ModuleReport, c: Cell): string[] {
  return r.platforms.filter((p) => m.cells[p] === c);
}

function findingLine(f: Finding, targets: readonly string[]): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}] (${compactPlatforms(f.platforms, targets).join(', ')})`;
}

function headline(r: AuditResult): string {
  return `${plural(r.summary.modules, 'module')} from ${r.source}, ${plural(r.summary.packages, 'package')}, ${plural(r.summary.files, 'file')}, ${plural(r.platforms.length, 'platform')}, ${plural(r.summary.findings, 'finding')}`;
}

/**
 * The two header rows of a text matrix (GOOS over its GOARCH values) and each platform column's
 * width: its arch, at least 2 (a wide symbol), and wide enough that a one-column GOOS fits.
 */
export function matrixHeader(platforms: readonly string[]): { groups: { goos: string; archs: string[] }[]; widths: number[]; osRow: string; archRow: string } {
  const groups = osGroups(platforms);
  const widths: number[] = [];
  for (const g of groups) {
    const ws = g.archs.map((a) => Math.max(a.length, 2));
    const span = ws.reduce((s, w) => s + w, 0) + (ws.length - 1);
    if (span < g.goos.length) ws[ws.length - 1]! += g.goos.length - span;
    widths.push(...ws);
  }
  let osRow = '';
  let archRow = '';
  let col = 0;
  for (const g of groups) {
    const ws = widths.slice(col, col + g.archs.length);
    const span = ws.reduce((s, w) => s + w, 0) + (ws.length - 1);
    osRow += g.goos.padEnd(span) + '  ';
    archRow += g.archs.map((a, i) => a.padEnd(ws[i]!)).join(' ') + '  ';
    col += g.archs.length;
  }
  return { groups, widths, osRow, archRow };
}

export function renderAuditText(r: AuditResult): string {
  const { groups, widths, osRow, archRow } = matrixHeader(r.platforms);
  const nameW = Math.max(6, ...r.modules.map((m) => m.path.length));
  const versionOf = (m: ModuleReport) => (m.replacement !== undefined ? `${m.version} => ${m.replacement}`.trim() : m.version);
  const verW = Math.max(7, ...r.modules.map((m) => versionOf(m).length));
  const lead = (a: string, b: string) => `${a.padEnd(nameW)}  ${b.padEnd(verW)}  `;
  const out: string[] = [`goport audit ${r.module ?? r.root}: ${headline(r)}`, ''];
  out.push((lead('', '') + osRow).trimEnd(), (lead('module', 'version') + archRow).trimEnd());
  for (const m of r.modules) {
    let row = '';
    r.platforms.forEach((p, i) => {
      const c = m.cells[p]!;
      row += CELL_TEXT[c] + ' '.repeat(Math.max(0, widths[i]! - CELL_WIDTH[c])) + (i + 1 < r.platforms.length && groups.length > 0 ? ' ' : '');
    });
    out.push((lead(m.path, versionOf(m)) + row).trimEnd());
  }
  out.push('', (['ok', 'warn', 'fail', 'unused', 'missing'] as Cell[]).filter((c) => c !== 'missing' || r.summary.cells.missing > 0).map((c) => `${CELL_TEXT[c]} ${CELL_MEANING[c]}`).join('   '));

  const problems = r.modules.filter((m) => m.findings > 0 || m.noFiles.length > 0);
  for (const m of problems) {
    const bad = cellsWhere(r, m, 'fail');
    const warn = cellsWhere(r, m, 'warn');
    const where = [
      bad.length > 0 ? `breaks on ${compactPlatforms(bad, r.platforms).join(', ')}` : '',
      warn.length > 0 ? `findings on ${compactPlatforms(warn, r.platforms).join(', ')}` : '',
    ].filter(Boolean);
    if (m.findings > 0) where.push(ruleCounts(m));
    out.push('', `${CELL_TEXT[worstCell(m)]} ${m.path} ${m.version}: ${where.join('; ')}`);
    for (const f of m.worst) out.push(`    ${findingLine(f, r.platforms)}`);
    if (m.findings > m.worst.length) out.push(`    … and ${m.findings - m.worst.length} more`);
    for (const n of m.noFiles) {
      out.push(`    package ${n.package}: build constraints exclude all Go files on ${compactPlatforms(n.platforms, r.platforms).join(', ')} (imported by ${n.importedBy})`);
    }
  }
  if (r.errors.length > 0) {
    out.push('', 'errors:');
    for (const e of r.errors) out.push(`    ${e.file}: ${e.message}`);
  }
  return out.join('\n') + '\n';
}

export function renderAuditJson(r: AuditResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** Escapes text for a GFM table cell or list item. */
export function md(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/[\\`*_[\]<>|~#]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s.includes('`') ? ` ${s} ` : s}${fence}`.replace(/\|/g, '\\|');
}

/**
 * Markdown in the manner of the platform tables of the Kubernetes docs: one row per module, one
 * centred column per platform, a symbol per cell and a legend below; then the findings per module.
 */
export function renderAuditMarkdown(r: AuditResult): string {
  const out: string[] = [`## goport audit: ${r.module !== null ? code(r.module) : md(r.root)}`, '', `${md(headline(r))}.`, ''];
  out.push(`| Module | Version | ${r.platforms.join(' | ')} |`);
  out.push(`| :--- | :--- | ${r.platforms.map(() => ':---:').join(' | ')} |`);
  for (const m of r.modules) {
    const version = m.replacement !== undefined ? `${m.version} ⇒ ${m.replacement}`.trim() : m.version;
    out.push(`| ${code(m.path)} | ${md(version)} | ${r.platforms.map((p) => CELL_MARKDOWN[m.cells[p]!]).join(' | ')} |`);
  }
  out.push(
    '',
    (['ok', 'warn', 'fail', 'unused', 'missing'] as Cell[])
      .filter((c) => c !== 'missing' || r.summary.cells.missing > 0)
      .map((c) => `${CELL_MARKDOWN[c]} ${CELL_MEANING[c]}`)
      .join(' · '),
  );
  const problems = r.modules.filter((m) => m.findings > 0 || m.noFiles.length > 0);
  if (problems.length > 0) {
    out.push('', '### Findings by module');
    for (const m of problems) {
      out.push('', `#### ${CELL_MARKDOWN[worstCell(m)]} ${code(m.path)} ${md(m.version)}`, '');
      if (m.findings > 0) {
        out.push('| Rule | Findings |', '| :--- | ---: |');
        for (const [rule, n] of Object.entries(m.byRule)) out.push(`| ${code(rule)} | ${n} |`);
        out.push('');
      }
      for (const f of m.worst) {
        out.push(`- ${f.severity === 'error' ? '❌' : '⚠️'} ${code(`${f.file}:${f.line}`)} ${code(f.rule)}: ${md(f.message)} (${code(compactPlatforms(f.platforms, r.platforms).join(', '))})`);
      }
      if (m.findings > m.worst.length) out.push(`- … and ${m.findings - m.worst.length} more`);
      for (const n of m.noFiles) {
        out.push(`- ❌ package ${code(n.package)}: build constraints exclude all Go files on ${code(compactPlatforms(n.platforms, r.platforms).join(', '))} (imported by ${code(n.importedBy)})`);
      }
    }
  }
  if (r.errors.length > 0) {
    out.push('', '### Errors', '');
    for (const e of r.errors) out.push(`- ${code(e.file)}: ${md(e.message)}`);
  }
  return out.join('\n') + '\n';
}
