/**
 * Declarations of the files go/build leaves out only because cgo is off on some platforms (files
 * that import "C", or whose constraint needs `cgo`): with cgo off, a name such a file declares is
 * undefined there, and the reader must be sent to that file, not to the ones that do compile.
 */
import type { Workspace } from '../engine/workspace.js';
import type { DirModel, PackageModel, SourceFile } from '../model/program.js';
import type { PlatformMask, Targets } from '../platform/targets.js';
import { buildSymbolTable, type DeclSite, type SymbolInfo, type SymbolTable } from './table.js';

const tables = new WeakMap<DirModel, SymbolTable | null>();

function cgoTable(ws: Workspace, pkg: PackageModel): SymbolTable | null {
  const dm = pkg.dir;
  let t = tables.get(dm);
  if (t === undefined) {
    const files = dm.files.filter((f) => f.cgoOnly !== undefined && !f.isTest && f.header.pkgName === pkg.name);
    files.forEach((f) => ws.ensureFacts(f));
    t = files.length === 0 ? null : buildSymbolTable({ ...pkg, files: files.map((file) => ({ file, mask: file.cgoOnly! })) });
    tables.set(dm, t);
  }
  return t;
}

/**
 * Where the files that need cgo would declare something on `missing` if cgo were on: the platforms,
 * files and declarations, or undefined. `lookup` picks it from a symbol table (a name, a method...).
 */
export function cgoOnlyDeclaration(
  ws: Workspace,
  pkg: PackageModel,
  missing: PlatformMask,
  lookup: (t: SymbolTable) => SymbolInfo | undefined,
): { mask: PlatformMask; files: SourceFile[]; sites: DeclSite[] } | undefined {
  if (!pkg.dir.files.some((f) => f.cgoOnly !== undefined)) return undefined;
  const table = cgoTable(ws, pkg);
  const info = table ? lookup(table) : undefined;
  const mask = (info?.mask ?? 0n) & missing;
  if (mask === 0n) return undefined;
  const sites = info!.sites.filter((s) => s.mask & mask);
  return { mask, files: [...new Set(sites.map((s) => s.file))], sites };
}

/** `darwin` or `darwin, freebsd`: the GOOS values of a mask, for "declared for darwin only in …". */
export function goosList(targets: Targets, mask: PlatformMask): string {
  return [...new Set(targets.platforms(mask).map((p) => p.goos))].join(', ');
}
