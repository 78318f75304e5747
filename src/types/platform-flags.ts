/**
 * Per-platform yes/no answers kept on the type layer's hot paths (whether a node holds on a
 * platform, whether a leaf answers the same there), as words of 32 platforms each in a plain
 * array indexed by the platform's position in the targets. Not BigInt masks: every `&` or `|` on a
 * BigInt that is stored allocates a new one, and with all 48 platforms the grouping made millions
 * of them (issue #13). An array of words is made once per answer kind and node, then updated in place.
 */
export type Flags = number[] | undefined;

/** Whether platform `i` is set in `f`. */
export function flagged(f: Flags, i: number): boolean {
  return f !== undefined && ((f[i >> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

/** `f` with platform `i` set (the same array when there is one). */
export function flag(f: Flags, i: number): number[] {
  const a = f ?? [];
  const w = i >> 5;
  while (a.length <= w) a.push(0);
  a[w] = a[w]! | (1 << (i & 31));
  return a;
}
