/**
 * UTF-16 offsets → `Span`s with 1-based lines and 1-based UTF-8 byte columns (as go/token and go vet).
 */
import type { Span } from './facts.js';

export class LineMap {
  /** UTF-16 offset of the first character of each line. */
  private readonly starts: number[] = [0];
  private readonly ascii: boolean;
  private last = 0;

  /**
   * @param src the decoded source the tree was parsed from
   * @param firstLineBytes bytes that precede `src` on line 1 but were removed before parsing (a BOM)
   */
  constructor(
    private readonly src: string,
    private readonly firstLineBytes = 0,
  ) {
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.starts.push(i + 1);
    // eslint-disable-next-line no-control-regex
    this.ascii = !/[^\x00-\x7f]/.test(src);
  }

  /** 0-based line of a UTF-16 offset. Walks are mostly in source order, so try the last line first. */
  private lineOf(idx: number): number {
    const s = this.starts;
    let l = this.last;
    if (s[l]! <= idx && (l + 1 >= s.length || s[l + 1]! > idx)) return l;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= idx) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return lo;
  }

  /** 1-based byte column of `idx` on 0-based line `line`. */
  private colOf(line: number, idx: number): number {
    const from = this.starts[line]!;
    let c = this.ascii ? idx - from : utf8Length(this.src, from, idx);
    if (line === 0) c += this.firstLineBytes;
    return c + 1;
  }

  span(start: number, end: number): Span {
    const l1 = this.lineOf(start);
    const c1 = this.colOf(l1, start);
    if (end === start) return [l1 + 1, c1, l1 + 1, c1];
    const l2 = this.lineOf(end);
    return [l1 + 1, c1, l2 + 1, this.colOf(l2, end)];
  }
}

/** UTF-8 length of `s[from, to)`; a lone surrogate counts as U+FFFD (3 bytes). */
export function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
