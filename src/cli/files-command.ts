/** `goport files`: the files Go compiles, per package directory and platform. */
import type { Program } from '../model/program.js';
import type { Targets } from '../platform/targets.js';

export interface FilesReport {
  platforms: string[];
  packages: { dir: string; name: string; importPath: string | null; files: Record<string, string[]> }[];
}

export function filesReport(program: Program, targets: Targets): FilesReport {
  const packages: FilesReport['packages'] = [];
  for (const dm of program.dirs) {
    const files: Record<string, string[]> = {};
    targets.list.forEach((p, i) => {
      files[p.id] = program.filesOn(dm, i);
    });
    packages.push({ dir: dm.pkgDir.relDir, name: dm.lib.name, importPath: dm.pkgDir.importPath, files });
  }
  return { platforms: targets.list.map((p) => p.id), packages };
}

/** A platform × package matrix: the number of files compiled, `-` where none. */
export function renderFilesText(r: FilesReport): string {
  const rows = r.packages.map((p) => [p.dir, ...r.platforms.map((id) => (p.files[id]!.length === 0 ? '-' : String(p.files[id]!.length)))]);
  const head = ['package', ...r.platforms];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const fmt = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const lines = [fmt(head), ...rows.map(fmt)];
  lines.push('', 'Numbers are files compiled (package, tests and external tests); - means none: the package does not build there.');
  return lines.join('\n') + '\n';
}
