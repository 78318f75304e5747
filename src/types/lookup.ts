/**
 * Field and method lookup with promotion through embedded fields, as the spec says: the shallowest
 * depth wins, two at the same depth are ambiguous (no selection). An unknown type on the way makes
 * the lookup unknown wherever the name could be hiding in it: a struct with fields of unknown type
 * (Named.partial) still answers for its known fields at their depth when no unknown field there
 * has the name, and a type's own method is certain even when its fields are unknown.
 */
import { type Field, type FuncObj, type Named, type Signature, type Type, under, identical, namedMethods } from './types.js';

export type Selection =
  | { kind: 'field'; type: Type; indirect: boolean; depth: number }
  | { kind: 'method'; obj: FuncObj; type: Signature | undefined; indirect: boolean; depth: number };

const MAX_DEPTH = 30;

function matches(name: string, objPkg: string, want: string, pkg: string): boolean {
  return name === want && (/^\p{Lu}/u.test(want) || objPkg === pkg);
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
