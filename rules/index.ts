/** Every rule of goport, sorted by id. */
import type { Rule } from '../src/engine/define-rule.js';
import gatedSymbol from './gated-symbol.js';
import platformSyscall from './platform-syscall.js';

export const RULES: readonly Rule[] = [gatedSymbol, platformSyscall] as readonly Rule[];
