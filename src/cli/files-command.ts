/** `goport files`: the files Go compiles, per package directory and platform. */
import type { Selection } from '../binaries/select.js';
import type { Program } from '../model/program.js';
import type { Targets } from '../platform/targets.js';

export interface FilesReport {
  platforms: string[];
  packages: {
    dir: string;
    name: string;
    importPath: string | null;
    files: Record<string, string[]>;
    /** With `binaries` configured: the platforms the package is checked on, and the binaries that reach it. */
    targets?: string[];
    binaries?: string[];
  }[];
}

export function filesReport(program: Program, targets: Targets, selection: Selection | null = null): FilesReport {
  const packages: FilesReport['packages'] = [];
  for (const dm of program.dirs) {
    const files: Record<string, string[]> = {};
    targets.list.forEach((p, i) => {
      files[p.id] = program.filesOn(dm, i);
    });
    const entry: FilesReport['packages'][number] = { dir: dm.pkgDir.relDir, name: dm.lib.name, importPath: dm.pkgDir.importPath, files };
    const sel = selection?.packages.get(dm);
    if (sel) {
      entry.targets = targets.ids(sel.mask);
      entry.binaries = sel.by;
    }
    packages.push(entry);
  }
  return { platforms: targets.list.map((p) => p.id), packages };
}

/** What `goport files` and --verbose say a package is checked on: compacted platforms and who decides. */
export function checkedOn(p: FilesReport['packages'][number], targets: Targets): string {
  const plats = targets.compact(p.targets ?? []).join(',') || 'nowhere';
  return p.binaries && p.binaries.length > 0 ? `${plats} (${p.binaries.join(', ')})` : `${plats} (default)`;
}

/** A platform × package matrix: the number of files compiled, `-` where none; `checked on` with `binaries`. */
export function renderFilesText(r: FilesReport, targets?: Targets): string {
  const withTargets = targets !== undefined && r.packages.some((p) => p.targets !== undefined);
  const rows = r.packages.map((p) => [
    p.dir,
    ...r.platforms.map((id) => (p.files[id]!.length === 0 ? '-' : String(p.files[id]!.length))),
    ...(withTargets ? [checkedOn(p, targets)] : []),
  ]);
  const head = ['package', ...r.platforms, ...(withTargets ? ['checked on'] : [])];
  const last = head.length - 1;
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const fmt = (row: string[]) =>
    row.map((cell, c) => (c === 0 || (withTargets && c === last) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const lines = [fmt(head), ...rows.map(fmt)];
  lines.push('', 'Numbers are files compiled (package, tests and external tests); - means none: the package does not build there.');
  if (withTargets) lines.push('checked on: the platforms the binaries that import the package are built for (in parentheses); default: no listed binary imports it.');
  return lines.join('\n') + '\n';
}
