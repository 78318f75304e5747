/**
 * Which rule answers for an imported package, so that no location is reported twice:
 *
 * - platform-syscall owns golang.org/x/sys/... always (even when vendored: the index of the exact
 *   vendored version answers), and every import the workspace does not resolve to a directory of
 *   the tree: the standard library and module-cache packages;
 * - gated-symbol owns the other packages of the analyzed tree, its vendor/ included
 *   (Workspace.importPackage resolves them).
 */

/** Import paths always answered from an API index, never from the tree's symbol tables. */
export function isApiIndexed(importPath: string): boolean {
  return importPath === 'golang.org/x/sys' || importPath.startsWith('golang.org/x/sys/');
}
