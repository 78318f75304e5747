/**
 * Local scopes of one file. Package-level names are never bound here: a name with no binding is free.
 *
 * One map holds the innermost binding of each name (bindings of the same name are chained through
 * `prev`), and each scope frame lists the names it bound, so lookup is O(1) and `pop` is O(names bound).
 */
import type { TypeExpr } from './facts.js';

export type BindingKind = 'var' | 'const' | 'type' | 'tparam';

export interface Binding {
  kind: BindingKind;
  /** var/const: the type when known with certainty. */
  type: TypeExpr | undefined;
  /** Local type declarations: the type they are defined from (as written). */
  def: TypeExpr | undefined;
  readonly depth: number;
  readonly prev: Binding | undefined;
}

export class Scope {
  private readonly top = new Map<string, Binding>();
  private readonly frames: string[][] = [];

  get depth(): number {
    return this.frames.length;
  }

  push(): void {
    this.frames.push([]);
  }

  pop(): void {
    const names = this.frames.pop();
    if (names === undefined) return;
    for (let i = names.length - 1; i >= 0; i--) {
      const name = names[i]!;
      const b = this.top.get(name);
      if (b?.prev) this.top.set(name, b.prev);
      else this.top.delete(name);
    }
  }

  /** Pops every frame (after an aborted declaration). */
  reset(): void {
    while (this.frames.length > 0) this.pop();
  }

  get(name: string): Binding | undefined {
    return this.top.get(name);
  }

  has(name: string): boolean {
    return this.top.has(name);
  }

  /**
   * Binds `name` in the innermost frame. If the frame already binds it (`a, b := ...` re-using `a`),
   * the existing binding is kept and returned unchanged, as Go re-uses the variable.
   */
  bind(name: string, kind: BindingKind, type?: TypeExpr): Binding {
    const depth = this.frames.length;
    const cur = this.top.get(name);
    if (cur !== undefined && cur.depth === depth) return cur;
    const b: Binding = { kind, type, def: undefined, depth, prev: cur };
    if (name === '_' || depth === 0) return b; // never bound
    this.top.set(name, b);
    this.frames[depth - 1]!.push(name);
    return b;
  }
}
