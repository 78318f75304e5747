/**
 * The binaries × platforms table (`goport targets`): for every binary of `binaries` and every
 * target, whether the packages the binary compiles there are clean (✅), have warnings (⚠), break
 * (❌, with the first cause), or the binary is not built there (—). Computed from the findings of
 * a normal check run, so ignore directives, severity overrides and tiers apply.
 */
import type { Finding, RunError } from '../engine/types.js';
import type { DirModel, Program } from '../model/program.js';
import type { Targets } from '../platform/targets.js';
import type { Selection } from './select.js';

export type TargetCell = 'ok' | 'warn' | 'fail' | 'none';

export interface CellReport {
  state: TargetCell;
  /** Findings in the packages the binary compiles there (tests left out), by severity. */
  errors: number;
  warnings: number;
  infos: number;
  /** Distinct causes of those findings (a finding without one is its own). */
  causes: number;
  /** The first error (else the first finding), in report order. */
  first?: { rule: string; file: string; line: number; column: number; message: string; cause?: string };
}

export interface BinaryRow {
  name: string;
  dir: string;
  pattern: string;
  platforms: string[];
  /** Packages it compiles, on its platforms together. */
  packages: number;
  cells: Record<string, CellReport>;
}

export interface TargetsTable {
  tool: { name: 'goport'; version: string };
  /** Columns: every platform some binary is built for, grouped by GOOS in target order. */
  platforms: string[];
  binaries: BinaryRow[];
  summary: { binaries: number; cells: Record<TargetCell, number> };
  errors: RunError[];
}

/** Target order, but each GOOS together (in the order GOOS values first appear). */
export function tableColumns(targets: Targets, mask: bigint): string[] {
  const ids = targets.ids(mask);
  const osOrder = [...new Set(ids.map((id) => id.split('/')[0]!))];
  return [...ids].sort((a, b) => osOrder.indexOf(a.split('/')[0]!) - osOrder.indexOf(b.split('/')[0]!) || ids.indexOf(a) - ids.indexOf(b));
}

export function targetsTable(program: Program, targets: Targets, selection: Selection, findings: readonly Finding[], errors: readonly RunError[], version: string): TargetsTable {
  // Findings in test files count for test binaries only (a main package of test files).
  const dirOf = new Map<string, DirModel>();
  const testDirOf = new Map<string, DirModel>();
  for (const dm of program.dirs) for (const f of dm.files) (f.isTest ? testDirOf : dirOf).set(f.path, dm);
  const errorFiles = new Map<string, RunError>();
  for (const e of errors) if (!errorFiles.has(e.file)) errorFiles.set(e.file, e);
  let all = 0n;
  for (const b of selection.binaries) all |= b.mask;
  const platforms = tableColumns(targets, all);
  const cells: Record<TargetCell, number> = { ok: 0, warn: 0, fail: 0, none: 0 };
  const rows = selection.binaries.map((b): BinaryRow => {
    const row: Record<string, CellReport> = {};
    for (const id of platforms) {
      const bit = targets.bit(id);
      if (!(b.mask & bit)) {
        row[id] = { state: 'none', errors: 0, warnings: 0, infos: 0, causes: 0 };
        cells.none++;
        continue;
      }
      const dirs = new Set([...b.reach].filter(([, m]) => m & bit).map(([d]) => d));
      const c: CellReport = { state: 'ok', errors: 0, warnings: 0, infos: 0, causes: 0 };
      const causes = new Set<string>();
      const testBinary = b.test;
      for (const f of findings) {
        const dm = dirOf.get(f.file) ?? (testBinary ? testDirOf.get(f.file) : undefined);
        if (!dm || !dirs.has(dm) || !f.platforms.includes(id)) continue;
        causes.add(f.cause?.id ?? `${f.file}:${f.line}:${f.column}:${f.rule}`);
        if (f.severity === 'error') c.errors++;
        else if (f.severity === 'warning') c.warnings++;
        else c.infos++;
        if (c.first === undefined || (f.severity === 'error' && c.errors === 1)) {
          c.first = { rule: f.rule, file: f.file, line: f.line, column: f.column, message: f.cause?.title ?? f.message, ...(f.cause ? { cause: f.cause.id } : {}) };
        }
      }
      for (const d of dirs) {
        for (const file of d.lib.files) {
          const e = file.file.isTest && !testBinary ? undefined : errorFiles.get(file.file.path);
          if (e && file.mask & bit) {
            c.errors++;
            causes.add(e.message);
            c.first ??= { rule: 'error', file: e.file, line: 0, column: 0, message: e.message };
          }
        }
      }
      c.causes = causes.size;
      c.state = c.errors > 0 ? 'fail' : c.warnings + c.infos > 0 ? 'warn' : 'ok';
      cells[c.state]++;
      row[id] = c;
    }
    return { name: b.name, dir: b.dir, pattern: b.pattern, platforms: targets.ids(b.mask), packages: b.reach.size, cells: row };
  });
  return { tool: { name: 'goport', version }, platforms, binaries: rows, summary: { binaries: rows.length, cells }, errors: [...errors] };
}
