/** Every rule of goport, sorted by id. */
import type { Rule } from '../src/engine/define-rule.js';
import atomicAlignment from './atomic-alignment.js';
import buildConstraint from './build-constraint.js';
import endianness from './endianness.js';
import gatedSymbol from './gated-symbol.js';
import hardcodedPlatform from './hardcoded-platform.js';
import intOverflow32bit from './int-overflow-32bit.js';
import platformSyscall from './platform-syscall.js';

export const RULES: readonly Rule[] = [atomicAlignment, buildConstraint, endianness, gatedSymbol, hardcodedPlatform, intOverflow32bit, platformSyscall] as readonly Rule[];
