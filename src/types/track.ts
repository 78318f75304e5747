/**
 * What each answer of the type layer was computed from, for platform grouping (layer.ts): every
 * package-level name looked up, every method set listed and every lazily resolved part (a
 * signature, an underlying type, a struct field's type…) is a node; while one is computed, each
 * node it reads becomes an edge from it. The body check of a package is a root node, so the nodes
 * reachable from it are exactly what its recorded types depend on, per name, however many other
 * packages read the same dependencies before (their reads hang from their own roots).
 */
import type { SourceFile } from '../model/program.js';
import type { PackageTypes } from './package.js';
import type { Flags } from './platform-flags.js';

export class Dep {
  /** The nodes read while this one was computed. */
  deps: Set<Dep> | undefined;
  /** For a leaf (a name or a method set of `pkg`): the platforms known to answer this one, and not to (layer.ts, sameLeaf; by platform index). */
  sameOn: Flags;
  diffOn: Flags;
  /**
   * Platforms on which every leaf reachable from this node is known to answer as where it was read
   * (`ok`), or some leaf not to (`bad`): TypeLayer.holdsAll's memo, on the node (a node's edges
   * are fixed once it is computed, and its answers are those of the platform it was computed on).
   */
  ok: Flags;
  bad: Flags;
  /** The TypeLayer.holdsAll walk that last reached this node (its "seen", without a set per walk). */
  walk = 0;
  constructor(
    /** A leaf's package (undefined: an inner node, whose answer follows from its edges). */
    readonly pkg?: PackageTypes,
    /** A leaf's name: a package-level name, or the receiver type name of a method set. */
    readonly name?: string,
    /** A name leaf: the file that declares it (null: none does). */
    readonly file?: SourceFile | null,
    /** Whether the leaf is the method set of type `name`. */
    readonly methods = false,
    /** A method set leaf: only its methods of this name (all of them when undefined). */
    readonly member?: string,
  ) {}
}

let current: Dep | undefined;

/** Records that the node being computed reads `d`. */
export function touch(d: Dep): void {
  const c = current;
  if (c === undefined || c === d) return;
  (c.deps ??= new Set()).add(d);
}

/** Runs `f` as the computation of `d` (what it reads becomes `d`'s edges). */
export function within<T>(d: Dep, f: () => T): T {
  const saved = current;
  current = d;
  try {
    return f();
  } finally {
    current = saved;
  }
}

/** The leaves reachable from `root` (its own included when it is one). */
export function leavesOf(root: Dep): Dep[] {
  const seen = new Set<Dep>([root]);
  const todo = [root];
  const out: Dep[] = [];
  while (todo.length > 0) {
    const d = todo.pop()!;
    if (d.pkg) out.push(d);
    if (d.deps) for (const e of d.deps) if (!seen.has(e)) (seen.add(e), todo.push(e));
  }
  return out;
}
