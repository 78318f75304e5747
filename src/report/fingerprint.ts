import { createHash } from 'node:crypto';
import type { Finding } from '../engine/types.js';
import type { GetLines } from './types.js';

/** The trimmed text of a finding's first line, or '' when the source is unavailable. */
export function lineText(getLines: GetLines | undefined, file: string, line: number): string {
  const lines = getLines?.(file);
  return (lines?.[line - 1] ?? '').trim();
}

/** sha256 (hex) of the parts, NUL-separated so that no two part lists collide. */
export function hashParts(parts: readonly string[]): string {
  const h = createHash('sha256');
  parts.forEach((p, i) => {
    if (i > 0) h.update('\0');
    h.update(p);
  });
  return h.digest('hex');
}

/**
 * Baseline fingerprint: rule, file, symbol (or the message when there is none) and the trimmed text
 * of the finding's line. No line number, so findings survive code moving up or down; no platforms,
 * so a changed target list does not resurface them.
 */
export function baselineFingerprint(f: Finding, getLines: GetLines | undefined): string {
  return hashParts([f.rule, f.file, f.symbol ?? f.message, lineText(getLines, f.file, f.line)]);
}

/**
 * SARIF `partialFingerprints["goport/v1"]`: rule, file, symbol (or the messageId) and the trimmed
 * line text. The messageId rather than the message, so that rewording data in a message keeps the
 * alert's identity in code scanning.
 */
export function sarifFingerprint(f: Finding, getLines: GetLines | undefined): string {
  return hashParts([f.rule, f.file, f.symbol ?? f.messageId, lineText(getLines, f.file, f.line)]);
}
