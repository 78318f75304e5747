/** Type layout per GOARCH: sizes, alignments and field offsets as gc computes them. */
export { archLayout, type ArchLayout } from './arch.js';
export {
  layoutOf, offsetOfPath,
  type FieldLayout, type Layout, type NamedDef, type NamedRef, type PathOffset, type PathStep, type TypeResolver,
} from './layout.js';
export { ATOMIC_ALIGN64_PKGS, isStdPath, stdDef, stdTypeNames } from './std.js';
export { evalIntConst } from './const-expr.js';
