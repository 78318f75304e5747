/**
 * The registered fact extractors, run by `parseGoFile` on every file (see ../extractor.ts).
 * Keep the list sorted by name.
 */
import type { Extractor } from '../extractor.js';

export const extractors: readonly Extractor[] = [];
