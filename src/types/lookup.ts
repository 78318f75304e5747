/**
 * Field and method lookup with promotion through embedded fields, as the spec says: the shallowest
 * depth wins, two at the same depth are ambiguous (no selection). An unknown type on the way makes
 * the lookup unknown wherever the name could be hiding in it: a struct with fields of unknown type
 * (Named.partial) still answers for its known fields at their depth when no unknown field there
 * has the name, and a type's own method is certain even when its fields are unknown.
 */
import { Dep, touch, within } from './track.js';
import { cycleReads, type Field, type FuncObj, type Named, type Signature, type Type, under, identical, namedMethods } from './types.js';

export type Selection =
  | { kind: 'field'; type: Type; indirect: boolean; depth: number }
  | { kind: 'method'; obj: FuncObj; type: Signature | undefined; indirect: boolean; depth: number };

const MAX_DEPTH = 30;

function matches(name: string, objPkg: string, want: string, pkg: string): boolean {
  return name === want && (isExported(want) || objPkg === pkg);
}

/** The methods of an interface's method set (explicit and embedded), or undefined when unknown. */
export function interfaceMethods(t: Type, depth = 0): FuncObj[] | undefined {
  const u = under(t);
  if (!u || u.k !== 'interface' || depth > MAX_DEPTH) return undefined;
  const out: FuncObj[] = [...u.methods];
  for (const e of u.embeddeds) {
    if (e.k === 'union') continue;
    const eu = under(e);
    if (!eu) return undefined;
    if (eu.k !== 'interface') continue;
    const ms = interfaceMethods(eu, depth + 1);
    if (!ms) return undefined;
    for (const m of ms) if (!out.some((x) => x.name === m.name)) out.push(m);
  }
  return out;
}

/**
 * Looks `name` up in `t` (a value's type) from package `pkg`. Returns the selection, or undefined
 * when there is none, it is ambiguous, or part of the way is unknown. `absent`, when given, is set
 * to true only when there is none for certain: every type on the way known, nothing at any depth.
 */
export function lookupFieldOrMethod(t: Type, _addressable: boolean, pkg: string, name: string, absent?: { v: boolean }): Selection | undefined {
  // A named type or a pointer to one (most selectors): memoized per type object.
  let start: Type | undefined;
  let indirect = false;
  if (t.k === 'named') start = t;
  else if (t.k === 'pointer' && t.elem.k === 'named') {
    start = t.elem;
    indirect = true;
  }
  if (start === undefined || (indirect === false && under(start)?.k === 'pointer')) return lookupUncached(t, pkg, name, absent);
  const memo = indirect ? memoPtr : memoVal;
  let byName = memo.get(start as Named);
  if (!byName) memo.set(start as Named, (byName = new Map()));
  // An unexported name is looked up for its package only.
  const key = isExported(name) ? name : `${name} ${pkg}`;
  let e = byName.get(key);
  if (e) {
    touch(e.dep);
  } else {
    const dep = new Dep();
    const before = cycleReads;
    const out = { v: false };
    const sel = within(dep, () => lookupUncached(t, pkg, name, out));
    e = { dep, sel, absent: out.v };
    touch(dep);
    // An answer that read a part being computed (a cycle) may differ once that part is done: not kept.
    if (cycleReads === before) byName.set(key, e);
  }
  if (absent && e.absent) absent.v = true;
  return e.sel;
}

/**
 * lookupFieldOrMethod's answers for a named type (memoVal) or a pointer to it (memoPtr), by name:
 * what it read is the entry's node (track.ts), touched on every hit, so that each computation
 * reading the answer depends on the same leaves as the one that computed it. Keyed by the type
 * object: each platform group's types are their own objects, so no group reads another's answer.
 */
interface LookupMemo {
  dep: Dep;
  sel: Selection | undefined;
  absent: boolean;
}
const memoVal = new WeakMap<Named, Map<string, LookupMemo>>();
const memoPtr = new WeakMap<Named, Map<string, LookupMemo>>();

function isExported(name: string): boolean {
  const c = name.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  return /^\p{Lu}/u.test(name);
}

function lookupUncached(t: Type, pkg: string, name: string, absent?: { v: boolean }): Selection | undefined {
  let start = t;
  let indirect = false;
  const u0 = under(t);
  if (t.k !== 'named' && u0?.k === 'pointer') {
    start = u0.elem;
    indirect = true;
  } else if (t.k === 'pointer') {
    start = t.elem;
    indirect = true;
  }
  if (t.k === 'named' && u0?.k === 'pointer') return undefined; // methods of a named pointer type: none; fields: rare
  let current: { type: Type; indirect: boolean }[] = [{ type: start, indirect }];
  const seen: Named[] = [];
  for (let depth = 0; current.length > 0 && depth < MAX_DEPTH; depth++) {
    const found: Selection[] = [];
    const next: { type: Type; indirect: boolean }[] = [];
    // Some entry at this depth may hold `name` unseen (a field of unknown type, or fields unknown
    // altogether), or hides what the next depth holds (an embedded field of unknown type).
    let blindHere = false;
    let blindBelow = false;
    let methodOfBlind = false;
    // A struct's fields at this depth: a match, and embedded ones to look into at the next.
    const fieldsAt = (fields: readonly Field[], indirect: boolean) => {
      for (const f of fields) {
        if (matches(f.name, f.pkg, name, pkg)) found.push({ kind: 'field', type: f.type, indirect, depth });
        if (f.embedded) {
          const ft = f.type;
          if (ft.k === 'pointer') next.push({ type: ft.elem, indirect: true });
          else next.push({ type: ft, indirect });
        }
      }
    };
    for (const e of current) {
      let typ: Type | undefined = e.type;
      if (typ.k === 'named') {
        const n: Named = typ;
        if (seen.some((s) => identical(s, n))) continue;
        seen.push(n);
        let own = false;
        for (const m of namedMethods(n, name)) {
          if (matches(m.name, m.pkg, name, pkg)) {
            found.push({ kind: 'method', obj: m, type: m.type(), indirect: e.indirect, depth });
            own = true;
          }
        }
        typ = n.underlying();
        if (!typ) {
          const p = n.partial?.();
          if (!p) {
            // Fields unknown. A method of its own still rules out a field of the same name
            // (the spec forbids both); an other entry's match at this depth could not be told.
            blindHere = true;
            blindBelow = true;
            if (own) methodOfBlind = true;
            continue;
          }
          fieldsAt(p.fields, e.indirect);
          for (const h of p.holes) {
            if (matches(h.name, h.pkg, name, pkg)) blindHere = true;
            if (h.embedded) blindBelow = true;
          }
          continue;
        }
      }
      switch (typ.k) {
        case 'struct':
          fieldsAt(typ.fields, e.indirect);
          break;
        case 'interface': {
          const ms = interfaceMethods(typ);
          if (!ms) return undefined;
          for (const m of ms) if (matches(m.name, m.pkg, name, pkg)) found.push({ kind: 'method', obj: m, type: m.type(), indirect: e.indirect, depth });
          break;
        }
        case 'typeparam': {
          const ms = interfaceMethods(typ.constraint() ?? { k: 'interface', methods: [], embeddeds: [] });
          if (!ms) return undefined;
          for (const m of ms) if (matches(m.name, m.pkg, name, pkg)) found.push({ kind: 'method', obj: m, type: m.type(), indirect: e.indirect, depth });
          break;
        }
        default:
          break;
      }
    }
    if (blindHere) {
      // Only a lone entry's own method is certain: nothing else at this depth could match.
      if (methodOfBlind && current.length === 1 && found.length === 1) return found[0];
      return undefined;
    }
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
    if (blindBelow) return undefined;
    current = next;
  }
  if (absent && current.length === 0) absent.v = true;
  return undefined;
}
