/** Type layout per GOARCH: sizes, alignments and field offsets of the type layer's types, as gc computes them. */
export { archLayout, type ArchLayout } from './arch.js';
export {
  ATOMIC_ALIGN64_PKGS, isAlign64, layoutOfStruct, selectField, sizeAlign, structLayout,
  type FieldStep, type SizeAlign, type StructLayout,
} from './types.js';
