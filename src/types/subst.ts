/** Substitution of type parameters and instantiation of generic named types. */
import { aliasType, lazy, namedMethods, typeString, type FuncObj, type Named, type Signature, type Type, type TypeParam, type VarObj } from './types.js';

const instances = new WeakMap<Named, Map<string, Named>>();

/** `origin[targs]`, or undefined when the counts differ. Instances are shared per origin and arguments. */
export function instantiate(origin: Named, targs: readonly Type[]): Named | undefined {
  const o = origin.origin ?? origin;
  const tps = o.tparams ?? [];
  if (tps.length !== targs.length || tps.length === 0) return undefined;
  // Keyed with type parameters' identities: F[U] of one generic function is not F[U] of another.
  const key = targs.map((t) => typeString(t, true)).join('\0');
  let m = instances.get(o);
  if (!m) instances.set(o, (m = new Map()));
  const hit = m.get(key);
  if (hit) return hit;
  const bind = new Map<TypeParam, Type>();
  tps.forEach((tp, i) => bind.set(tp, targs[i]!));
  const inst: Named = {
    k: 'named',
    obj: o.obj,
    origin: o,
    targs,
    underlying: lazy(() => {
      const ou = o.underlying();
      return ou === undefined ? undefined : subst(ou, bind);
    }),
    methods: () => o.methods().map((f) => substMethod(f, bind)),
    methodsNamed: (name: string) => namedMethods(o, name).map((f) => substMethod(f, bind)),
  };
  m.set(key, inst);
  return inst;
}

function substMethod(f: FuncObj, bind: Map<TypeParam, Type>): FuncObj {
  return {
    ...f,
    type: lazy(() => {
      const t = f.type();
      return t === undefined ? undefined : (subst(t, bind) as Signature);
    }),
  };
}

function substVar(v: VarObj, bind: Map<TypeParam, Type>): VarObj {
  return { ...v, type: v.type === undefined ? undefined : subst(v.type, bind) };
}

/** `t` with the type parameters in `bind` replaced. */
export function subst(t: Type, bind: Map<TypeParam, Type>, depth = 0): Type {
  if (depth > 50) return t;
  const s = (x: Type) => subst(x, bind, depth + 1);
  if (t.k !== 'tuple' && t.k !== 'union' && t.alias) {
    // As go/types: a non-generic alias stays as it is; an instance of a generic one is
    // re-instantiated with its substituted arguments.
    const a = t.alias;
    if (!a.targs) return t;
    return aliasType(a.obj, s(a.actual), a.targs.map(s));
  }
  switch (t.k) {
    case 'typeparam':
      return bind.get(t) ?? t;
    case 'basic':
      return t;
    case 'pointer':
      return { k: 'pointer', elem: s(t.elem) };
    case 'slice':
      return { k: 'slice', elem: s(t.elem) };
    case 'array':
      return { k: 'array', len: t.len, elem: s(t.elem) };
    case 'map':
      return { k: 'map', key: s(t.key), elem: s(t.elem) };
    case 'chan':
      return { k: 'chan', dir: t.dir, elem: s(t.elem) };
    case 'tuple':
      return { k: 'tuple', vars: t.vars.map((v) => substVar(v, bind)) };
    case 'signature': {
      const out: Signature = {
        k: 'signature',
        params: { k: 'tuple', vars: t.params.vars.map((v) => substVar(v, bind)) },
        results: { k: 'tuple', vars: t.results.vars.map((v) => substVar(v, bind)) },
        variadic: t.variadic,
        ...(t.recv ? { recv: substVar(t.recv, bind) } : {}),
        ...(t.tparams ? { tparams: t.tparams } : {}),
      };
      return out;
    }
    case 'struct':
      return { k: 'struct', fields: t.fields.map((f) => ({ ...f, type: s(f.type) })) };
    case 'interface':
      return { ...t, methods: t.methods.map((m) => substMethod(m, bind)), embeddeds: t.embeddeds.map((e) => (e.k === 'union' ? { k: 'union', terms: e.terms.map((x) => ({ tilde: x.tilde, type: s(x.type) })) } : s(e))) };
    case 'union':
      return { k: 'union', terms: t.terms.map((x) => ({ tilde: x.tilde, type: s(x.type) })) };
    case 'named': {
      if (!t.targs) return t;
      const args = t.targs.map(s);
      return instantiate(t.origin ?? t, args) ?? t;
    }
  }
}
