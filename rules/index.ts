/** Every rule of goport, sorted by id. */
import type { Rule } from '../src/engine/define-rule.js';
import gatedSymbol from './gated-symbol.js';

export const RULES: readonly Rule[] = [gatedSymbol] as readonly Rule[];
