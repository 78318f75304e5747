/** Column and position helpers shared by the reporters. */

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Converts goport's 1-based UTF-8 byte column to a 1-based UTF-16 code-unit column (SARIF's default
 * `columnKind`, and what JavaScript editors count). Without the line text the byte column is kept.
 * A column inside a multi-byte character maps to that character's start; a column past the end of
 * the line keeps its distance from the end (an exclusive end column is one past the last byte).
 */
export function utf16Column(line: string | undefined, byteColumn: number): number {
  if (line === undefined || byteColumn <= 1) return byteColumn;
  const target = byteColumn - 1;
  let bytes = 0;
  let i = 0;
  while (i < line.length) {
    const cp = line.codePointAt(i)!;
    const len = utf8Length(cp);
    if (bytes + len > target) return i + 1;
    bytes += len;
    i += cp > 0xffff ? 2 : 1;
    if (bytes === target) return i + 1;
  }
  return i + 1 + (target - bytes);
}

/** 1-based UTF-8 byte column of a UTF-16 index into `line`. */
export function byteColumn(line: string, index: number): number {
  return Buffer.byteLength(line.slice(0, index), 'utf8') + 1;
}

/**
 * A RunError's `file` may carry a position, `path:line` or `path:line:col` (as the ignore processor
 * and Go tools write them). Splits it; a plain path has no line.
 */
export function splitPosition(file: string): { path: string; line?: number; column?: number } {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(file);
  if (!m || m[1] === '') return { path: file };
  const out: { path: string; line?: number; column?: number } = { path: m[1]!, line: Number(m[2]) };
  if (m[3] !== undefined) out.column = Number(m[3]);
  return out;
}
