/**
 * NodeMap: a Map from the nodes of one file's syntax table (ids 0..count-1) to values, kept in
 * arrays indexed by node id. The type checker records a type for most expressions of a body
 * (over a million on a large tree): a hash map's set, its rehashing as it grows and its garbage
 * cost more than the checking around them; an array slot costs a store.
 *
 * It is a Map (the records are handed wherever a Map<NodeId, Type> is read) and behaves as one,
 * iteration order included (insertion order, a deleted key re-inserted goes last): records taken
 * from another platform group's check are sliced by their positions in that order (package.ts).
 * Values are never undefined (a set of undefined is a delete).
 */
export class NodeMap<V> extends Map<number, V> {
  /** The value of each node id (undefined: absent). */
  private readonly vals: (V | undefined)[];
  /** 1 + the position of each present key in `order` (0: absent). */
  private readonly pos: Int32Array;
  /** Keys in insertion order; a deleted key's old position stays, with pos no longer pointing at it. */
  private order: number[] = [];
  private n = 0;

  /** @param count the number of nodes of the file (every key is below it) */
  constructor(readonly count: number) {
    super();
    this.vals = new Array<V | undefined>(count);
    this.pos = new Int32Array(count);
  }

  override get size(): number {
    return this.n;
  }

  override get(k: number): V | undefined {
    return this.vals[k];
  }

  override has(k: number): boolean {
    return this.vals[k] !== undefined;
  }

  override set(k: number, v: V): this {
    if (v === undefined) {
      this.delete(k);
      return this;
    }
    if (!(k >= 0 && k < this.count)) throw new RangeError(`node ${k} outside a file of ${this.count} nodes`);
    if (this.vals[k] === undefined) {
      this.order.push(k);
      this.pos[k] = this.order.length;
      this.n++;
    }
    this.vals[k] = v;
    return this;
  }

  override delete(k: number): boolean {
    if (this.vals[k] === undefined) return false;
    this.vals[k] = undefined;
    this.pos[k] = 0;
    this.n--;
    // Trailing deleted keys leave `order`; one deleted further in stays as a tombstone that
    // iteration skips (there are never more than the sets made).
    while (this.order.length > 0 && this.pos[this.order[this.order.length - 1]!] !== this.order.length) this.order.pop();
    return true;
  }

  override clear(): void {
    for (const k of this.order) {
      this.vals[k] = undefined;
      this.pos[k] = 0;
    }
    this.order = [];
    this.n = 0;
  }

  override *keys(): MapIterator<number> {
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const k = order[i]!;
      if (this.pos[k] === i + 1) yield k;
    }
  }

  override *values(): MapIterator<V> {
    for (const k of this.keys()) yield this.vals[k]!;
  }

  override *entries(): MapIterator<[number, V]> {
    for (const k of this.keys()) yield [k, this.vals[k]!];
  }

  override [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  override forEach(fn: (value: V, key: number, map: Map<number, V>) => void, thisArg?: unknown): void {
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const k = order[i]!;
      if (this.pos[k] === i + 1) fn.call(thisArg, this.vals[k]!, k, this);
    }
  }
}
