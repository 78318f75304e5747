import type { Finding } from '../../engine/types.js';
import type { Processor } from '../types.js';

/** Code-unit order: locale-independent, so output is byte-identical on every machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Total order of findings: file, line, column, endLine, endColumn, rule, message; then messageId
 * and platforms, so that no two distinct findings tie.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    cmp(a.rule, b.rule) ||
    cmp(a.message, b.message) ||
    cmp(a.messageId, b.messageId) ||
    cmp(a.platforms.join(','), b.platforms.join(','))
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

export const sortProcessor: Processor = {
  name: 'sort',
  process(findings) {
    return { findings: sortFindings(findings) };
  },
};
