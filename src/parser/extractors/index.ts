/**
 * The registered fact extractors, run by `parseGoFile` on every file (see ../extractor.ts).
 * Keep the list sorted by name.
 */
import type { Extractor } from '../extractor.js';
import { constExprsExtractor } from './const-exprs.js';
import { runtimeCompareExtractor } from './runtime-compare.js';
import { stringLiterals } from './string-literals.js';
import { unsafeCasts } from './unsafe-casts.js';

export const extractors: readonly Extractor[] = [constExprsExtractor, runtimeCompareExtractor, stringLiterals, unsafeCasts];
