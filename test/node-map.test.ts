/** NodeMap (src/types/node-map.ts) behaves as a Map of node ids, insertion order included. */
import { describe, expect, it } from 'vitest';
import { NodeMap } from '../src/types/node-map.js';

describe('NodeMap', () => {
  it('gives what a Map gives after any sequence of sets and deletes', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let round = 0; round < 50; round++) {
      const count = 1 + rnd(200);
      const a = new NodeMap<string>(count);
      const b = new Map<number, string>();
      for (let step = 0; step < 400; step++) {
        const k = rnd(count);
        if (rnd(4) === 0) expect(a.delete(k)).toBe(b.delete(k));
        else {
          a.set(k, `v${step}`);
          b.set(k, `v${step}`);
        }
        if (rnd(50) === 0) {
          a.clear();
          b.clear();
        }
      }
      expect(a.size).toBe(b.size);
      expect([...a]).toEqual([...b]);
      expect([...a.keys()]).toEqual([...b.keys()]);
      expect([...a.values()]).toEqual([...b.values()]);
      const seen: [number, string][] = [];
      a.forEach((v, k) => seen.push([k, v]));
      expect(seen).toEqual([...b.entries()]);
      for (let k = 0; k < count; k++) expect([a.has(k), a.get(k)]).toEqual([b.has(k), b.get(k)]);
    }
  });

  it('is a Map, and refuses a key outside its file', () => {
    const m = new NodeMap<number>(3);
    expect(m).toBeInstanceOf(Map);
    expect(() => m.set(3, 1)).toThrow(RangeError);
  });
});
