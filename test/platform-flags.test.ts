import { describe, expect, it } from 'vitest';
import { type Flags, flag, flagged } from '../src/types/platform-flags.js';

describe('platform flags', () => {
  it('keeps each platform index apart, across and inside words (sign bit included)', () => {
    let f: Flags;
    for (const i of [0, 5, 31, 32, 47, 63, 64, 95]) f = flag(f, i);
    const set = new Set([0, 5, 31, 32, 47, 63, 64, 95]);
    for (let i = 0; i < 100; i++) expect(flagged(f, i)).toBe(set.has(i));
    expect(flagged(undefined, 0)).toBe(false);
  });

  it('updates the array it is given, and flagging twice changes nothing', () => {
    const a = flag(undefined, 3);
    expect(flag(a, 40)).toBe(a);
    const before = [...a];
    flag(a, 40);
    expect(a).toEqual(before);
  });
});
