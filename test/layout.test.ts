import { describe, expect, it } from 'vitest';
import type { FieldFact, TypeExpr } from '../src/parser/facts.js';
import {
  archLayout, evalIntConst, layoutOf, offsetOfPath, stdTypeNames,
  type NamedDef, type NamedRef, type TypeResolver,
} from '../src/layout/index.js';

// --- builders -------------------------------------------------------------------------------------
const n = (name: string, ...args: TypeExpr[]): TypeExpr => (args.length ? { k: 'name', name, args } : { k: 'name', name });
const q = (pkg: string, name: string, ...args: TypeExpr[]): TypeExpr =>
  args.length ? { k: 'qual', pkg, name, args } : { k: 'qual', pkg, name };
const ptr = (elem: TypeExpr): TypeExpr => ({ k: 'ptr', elem });
const sl = (elem: TypeExpr): TypeExpr => ({ k: 'slice', elem });
const arr = (len: number | string, elem: TypeExpr): TypeExpr => ({ k: 'array', len, elem });
const tp = (name: string): TypeExpr => ({ k: 'tparam', name });
const iface: TypeExpr = { k: 'iface', methods: ['M'], embeds: [] };
const f = (name: string, type: TypeExpr): FieldFact => ({ name, type, embedded: false, span: [1, 1, 1, 1] });
const e = (type: TypeExpr): FieldFact => {
  const b = type.k === 'ptr' ? type.elem : type;
  return { name: b.k === 'name' || b.k === 'qual' ? b.name : '?', type, embedded: true, span: [1, 1, 1, 1] };
};
const st = (...fields: FieldFact[]): TypeExpr => ({ k: 'struct', fields });

type Decl = TypeExpr | { type: TypeExpr; typeParams: string[] };

/** A package scope for tests: its own declarations, other packages by import path, constants. */
class Scope implements TypeResolver {
  constructor(
    readonly pkgPath: string | undefined,
    private readonly decls: Record<string, Decl>,
    private readonly others: Map<string, Scope> = new Map(),
    private readonly consts: Record<string, number> = {},
  ) {}
  resolveNamed(t: NamedRef): NamedDef | undefined {
    if (t.k === 'qual') return this.others.get(t.pkg)?.resolveNamed({ k: 'name', name: t.name });
    const d = Object.hasOwn(this.decls, t.name) ? this.decls[t.name] : undefined;
    if (!d) return undefined;
    return 'k' in d ? { type: d, scope: this } : { type: d.type, scope: this, typeParams: d.typeParams };
  }
  constValue(expr: string): number | undefined {
    return Object.hasOwn(this.consts, expr) ? this.consts[expr] : undefined;
  }
}

const empty = new Scope('example.com/p', {});
const A386 = archLayout('386');
const AMD64 = archLayout('amd64');
const ARM = archLayout('arm');
const ARM64 = archLayout('arm64');

const sizeAlign = (t: TypeExpr, a = AMD64, s: TypeResolver = empty) => {
  const l = layoutOf(t, a, s);
  return l && [l.size, l.align];
};
const offsets = (t: TypeExpr, a = AMD64, s: TypeResolver = empty) => layoutOf(t, a, s)?.fields?.map((x) => x.offset);

describe('archLayout', () => {
  it('knows word and register sizes', () => {
    expect(A386).toMatchObject({ ptrSize: 4, regSize: 4 });
    expect(AMD64).toMatchObject({ ptrSize: 8, regSize: 8 });
    expect(archLayout('mipsle')).toMatchObject({ ptrSize: 4, regSize: 4 });
    expect(archLayout('amd64p32')).toMatchObject({ ptrSize: 4, regSize: 8 });
    expect(archLayout('wasm')).toMatchObject({ ptrSize: 8, regSize: 8 });
    expect(archLayout('arm', 19).goMinor).toBe(19);
    expect(archLayout('arm')).toBe(archLayout('arm'));
  });
  it('rejects an unknown GOARCH', () => {
    expect(() => archLayout('vax')).toThrow(/unknown GOARCH/);
    expect(() => archLayout('toString')).toThrow(/unknown GOARCH/);
  });
});

describe('basic types', () => {
  // [type, 386 size/align, arm, amd64, arm64]
  const table: [TypeExpr, number[], number[]][] = [
    [n('bool'), [1, 1], [1, 1]],
    [n('int8'), [1, 1], [1, 1]],
    [n('uint8'), [1, 1], [1, 1]],
    [n('byte'), [1, 1], [1, 1]],
    [n('int16'), [2, 2], [2, 2]],
    [n('uint16'), [2, 2], [2, 2]],
    [n('int32'), [4, 4], [4, 4]],
    [n('uint32'), [4, 4], [4, 4]],
    [n('rune'), [4, 4], [4, 4]],
    [n('float32'), [4, 4], [4, 4]],
    [n('int64'), [8, 4], [8, 8]],
    [n('uint64'), [8, 4], [8, 8]],
    [n('float64'), [8, 4], [8, 8]],
    [n('complex64'), [8, 4], [8, 4]],
    [n('complex128'), [16, 4], [16, 8]],
    [n('int'), [4, 4], [8, 8]],
    [n('uint'), [4, 4], [8, 8]],
    [n('uintptr'), [4, 4], [8, 8]],
    [n('string'), [8, 4], [16, 8]],
    [n('error'), [8, 4], [16, 8]],
    [n('any'), [8, 4], [16, 8]],
    [q('unsafe', 'Pointer'), [4, 4], [8, 8]],
    [ptr(n('int64')), [4, 4], [8, 8]],
    [sl(n('int8')), [12, 4], [24, 8]],
    [{ k: 'map', key: n('string'), value: n('int') }, [4, 4], [8, 8]],
    [{ k: 'chan', elem: n('int') }, [4, 4], [8, 8]],
    [{ k: 'func' }, [4, 4], [8, 8]],
    [iface, [8, 4], [16, 8]],
    [{ k: 'iface', methods: [], embeds: [] }, [8, 4], [16, 8]],
  ];
  it.each(table.map(([t, w32, w64]) => [JSON.stringify(t), t, w32, w64] as const))('%s', (_, t, w32, w64) => {
    expect(sizeAlign(t, A386)).toEqual(w32);
    expect(sizeAlign(t, ARM)).toEqual(w32);
    expect(sizeAlign(t, AMD64)).toEqual(w64);
    expect(sizeAlign(t, ARM64)).toEqual(w64);
  });
  it('is unknown for unknown names and syntax', () => {
    expect(layoutOf(n('Nope'), AMD64, empty)).toBeUndefined();
    expect(layoutOf(n('comparable'), AMD64, empty)).toBeUndefined();
    expect(layoutOf({ k: 'unknown', text: 'x' }, AMD64, empty)).toBeUndefined();
    expect(layoutOf(q('unsafe', 'Sizeof'), AMD64, empty)).toBeUndefined();
    expect(layoutOf(q('C', 'int'), AMD64, empty)).toBeUndefined();
    expect(layoutOf(st(f('a', n('int8')), f('b', n('Nope'))), AMD64, empty)).toBeUndefined();
  });
  it('lets a package shadow a predeclared name', () => {
    const s = new Scope('p', { int64: st(f('a', n('int8'))) });
    expect(sizeAlign(n('int64'), A386, s)).toEqual([1, 1]);
  });
});

describe('structs', () => {
  const padded = st(f('a', n('bool')), f('b', n('int64')), f('c', n('bool')));
  it('aligns fields and rounds the size to the alignment', () => {
    expect(offsets(padded, AMD64)).toEqual([0, 8, 16]);
    expect(sizeAlign(padded, AMD64)).toEqual([24, 8]);
    expect(offsets(padded, A386)).toEqual([0, 4, 12]);
    expect(sizeAlign(padded, A386)).toEqual([16, 4]);
    const mixed = st(f('a', n('int8')), f('b', n('int16')), f('c', n('int8')), f('d', n('complex64')), f('e', n('string')));
    expect(offsets(mixed, AMD64)).toEqual([0, 2, 4, 8, 16]);
    expect(sizeAlign(mixed, AMD64)).toEqual([32, 8]);
    expect(offsets(mixed, A386)).toEqual([0, 2, 4, 8, 16]);
    expect(sizeAlign(mixed, A386)).toEqual([24, 4]);
  });
  it('reports fields with their layout', () => {
    expect(layoutOf(padded, A386, empty)?.fields?.[1]).toEqual({
      name: 'b', offset: 4, size: 8, align: 4, embedded: false, type: n('int64'),
    });
  });
  it('pads a trailing zero-size field (gc, go.dev/issue/9401)', () => {
    expect(sizeAlign(st(), AMD64)).toEqual([0, 1]);
    expect(sizeAlign(st(f('z', st())), AMD64)).toEqual([0, 1]);
    expect(sizeAlign(st(f('z', st()), f('y', arr(0, n('int64')))), A386)).toEqual([0, 4]);
    expect(sizeAlign(st(f('a', n('int64')), f('z', st())), AMD64)).toEqual([16, 8]);
    expect(sizeAlign(st(f('a', n('int64')), f('z', st())), A386)).toEqual([12, 4]);
    expect(sizeAlign(st(f('a', n('int8')), f('z', arr(0, n('int64')))), AMD64)).toEqual([16, 8]);
    expect(offsets(st(f('a', n('int8')), f('z', arr(0, n('int64')))), AMD64)).toEqual([0, 8]);
    expect(sizeAlign(st(f('a', n('int8')), f('z', arr(0, n('int64')))), A386)).toEqual([8, 4]);
    expect(sizeAlign(st(f('a', n('int8')), f('z', st())), A386)).toEqual([2, 1]);
    // zero-size fields elsewhere take no space
    expect(sizeAlign(st(f('z', st()), f('a', n('int8'))), A386)).toEqual([1, 1]);
    expect(sizeAlign(st(f('a', n('int32')), f('z', st()), f('b', n('int8'))), A386)).toEqual([8, 4]);
  });
  it('lays out nested and embedded structs', () => {
    const inner = st(f('x', n('int8')), f('y', n('int64')));
    const s = new Scope('p', { Inner: inner });
    const outer = st(f('a', n('bool')), e(n('Inner')), f('c', st(f('d', n('int16')), f('e', n('Inner')))), f('p', ptr(n('Inner'))));
    expect(offsets(outer, AMD64, s)).toEqual([0, 8, 24, 48]);
    expect(sizeAlign(outer, AMD64, s)).toEqual([56, 8]);
    expect(offsets(outer, A386, s)).toEqual([0, 4, 16, 32]);
    expect(sizeAlign(outer, A386, s)).toEqual([36, 4]);
    expect(layoutOf(outer, A386, s)?.fields?.[1]).toMatchObject({ name: 'Inner', embedded: true, size: 12 });
  });
  it('lays out arrays of structs', () => {
    const el = st(f('a', n('int64')), f('b', n('bool')));
    expect(sizeAlign(arr(3, el), AMD64)).toEqual([48, 8]);
    expect(sizeAlign(arr(3, el), A386)).toEqual([36, 4]);
    expect(sizeAlign(arr(0, el), AMD64)).toEqual([0, 8]);
    expect(sizeAlign(arr(2, st(f('a', n('int32')), f('z', st()))), AMD64)).toEqual([16, 4]);
  });
  it('evaluates array lengths through the scope', () => {
    const s = new Scope('p', {}, new Map(), { N: 3, 'pkg.M': 2, 'Weird + 1': 7 });
    expect(sizeAlign(arr('N * 2', n('int16')), AMD64, s)).toEqual([12, 2]);
    expect(sizeAlign(arr('(N+pkg.M)<<1', n('int8')), AMD64, s)).toEqual([10, 1]);
    expect(sizeAlign(arr('Weird + 1', n('int8')), AMD64, s)).toEqual([7, 1]);
    expect(sizeAlign(arr('0x10', n('int8')), AMD64, empty)).toEqual([16, 1]);
    expect(layoutOf(arr('Unknown', n('int8')), AMD64, s)).toBeUndefined();
    expect(layoutOf(arr('N - 4', n('int8')), AMD64, s)).toBeUndefined();
    expect(layoutOf(arr('len(x)', n('int8')), AMD64, s)).toBeUndefined();
  });
  it('sees through named types and aliases', () => {
    const s = new Scope('p', {
      B: st(f('a', n('int32')), f('b', n('float64'))),
      A: n('B'), // type A = B (aliases are transparent, as defined types' underlying layouts are)
      D: n('A'), // type D A
      M: n('int64'),
      Arr: arr(2, n('M')),
    });
    expect(sizeAlign(n('A'), A386, s)).toEqual([12, 4]);
    expect(sizeAlign(n('D'), AMD64, s)).toEqual([16, 8]);
    expect(offsets(n('D'), AMD64, s)).toEqual([0, 8]);
    expect(sizeAlign(n('Arr'), A386, s)).toEqual([16, 4]);
  });
  it('follows qualified types into other packages', () => {
    const lib = new Scope('example.com/lib', { T: st(f('x', n('U'))), U: n('int64') });
    const main = new Scope('example.com/main', { U: n('int8') }, new Map([['example.com/lib', lib]]));
    expect(sizeAlign(q('example.com/lib', 'T'), A386, main)).toEqual([8, 4]);
    expect(layoutOf(q('example.com/other', 'T'), A386, main)).toBeUndefined();
  });
  it('rejects types that contain themselves, but not through pointers', () => {
    const s = new Scope('p', {
      A: st(f('b', n('B'))), B: st(f('a', arr(1, n('A')))),
      L: st(f('next', ptr(n('L'))), f('v', n('int'))),
      S: st(f('kids', sl(n('S'))), f('m', { k: 'map', key: n('string'), value: n('S') })),
      Self: n('Self'),
      X: n('Y'), Y: n('X'),
    });
    expect(layoutOf(n('A'), AMD64, s)).toBeUndefined();
    expect(layoutOf(n('B'), AMD64, s)).toBeUndefined();
    expect(layoutOf(n('Self'), AMD64, s)).toBeUndefined();
    expect(layoutOf(n('X'), AMD64, s)).toBeUndefined();
    expect(sizeAlign(n('L'), AMD64, s)).toEqual([16, 8]);
    expect(sizeAlign(n('S'), A386, s)).toEqual([16, 4]);
  });
});

describe('generics', () => {
  const s = new Scope('p', {
    Pair: { type: st(f('a', n('bool')), f('v', tp('T'))), typeParams: ['T'] },
    KV: { type: st(f('k', tp('K')), f('v', arr(2, tp('V'))), f('z', st())), typeParams: ['K', 'V'] },
    Ref: { type: st(f('p', ptr(tp('T'))), f('n', n('int32'))), typeParams: ['T'] },
    // a parser may also write a type parameter as a plain name
    Named: { type: st(f('a', n('int8')), f('v', n('T'))), typeParams: ['T'] },
    Wrap: { type: st(f('inner', n('Pair', tp('T')))), typeParams: ['T'] },
    T: n('int8'),
    Deep: { type: st(f('d', n('Deep', arr(1, tp('T'))))), typeParams: ['T'] },
  });
  it('substitutes type arguments', () => {
    expect(sizeAlign(n('Pair', n('int64')), AMD64, s)).toEqual([16, 8]);
    expect(sizeAlign(n('Pair', n('int64')), A386, s)).toEqual([12, 4]);
    expect(offsets(n('Pair', n('int64')), A386, s)).toEqual([0, 4]);
    expect(sizeAlign(n('Pair', n('Pair', n('int16'))), AMD64, s)).toEqual([6, 2]);
    expect(sizeAlign(n('KV', n('string'), n('int8')), AMD64, s)).toEqual([24, 8]);
    expect(sizeAlign(n('Named', n('int64')), A386, s)).toEqual([12, 4]);
    expect(sizeAlign(n('Wrap', n('complex128')), AMD64, s)).toEqual([24, 8]);
  });
  it('resolves type arguments in the scope that wrote them', () => {
    // T is a package-level type of p (int8) and also Named's type parameter: the argument wins inside
    expect(sizeAlign(n('Named', n('T')), AMD64, s)).toEqual([2, 1]);
    const user = new Scope('u', { X: n('float64') }, new Map([['p', s]]));
    expect(sizeAlign(q('p', 'Pair', n('X')), AMD64, user)).toEqual([16, 8]);
  });
  it('is unknown without type arguments, unless they are not needed', () => {
    expect(layoutOf(n('Pair'), AMD64, s)).toBeUndefined();
    expect(layoutOf(n('Pair', n('int8'), n('int8')), AMD64, s)).toBeUndefined();
    expect(layoutOf(n('Pair', n('Unknown')), AMD64, s)).toBeUndefined();
    expect(sizeAlign(n('Ref'), A386, s)).toEqual([8, 4]);
    expect(layoutOf(tp('T'), AMD64, s)).toBeUndefined();
  });
  it('stops on runaway instantiation', () => {
    expect(layoutOf(n('Deep', n('int8')), AMD64, s)).toBeUndefined();
  });
});

describe('64-bit atomics', () => {
  it('keeps sync/atomic.Int64 and Uint64 8-aligned everywhere', () => {
    for (const a of [A386, ARM, archLayout('mips'), AMD64]) {
      expect(sizeAlign(q('sync/atomic', 'Int64'), a)).toEqual([8, 8]);
      expect(sizeAlign(q('sync/atomic', 'Uint64'), a)).toEqual([8, 8]);
    }
    const s = st(f('flag', n('bool')), f('n', q('sync/atomic', 'Int64')));
    expect(offsets(s, A386)).toEqual([0, 8]);
    expect(sizeAlign(s, A386)).toEqual([16, 8]);
  });
  it('recognises align64 from a loaded atomic package', () => {
    const rt = new Scope('internal/runtime/atomic', {
      align64: st(), noCopy: st(),
      Uint64: st(f('_', n('noCopy')), f('_', n('align64')), f('value', n('uint64'))),
    });
    const user = new Scope('example.com/u', { align64: st(), T: st(f('_', n('align64')), f('v', n('int64'))) },
      new Map([['internal/runtime/atomic', rt]]));
    expect(sizeAlign(q('internal/runtime/atomic', 'Uint64'), A386, user)).toEqual([8, 8]);
    expect(sizeAlign(q('internal/runtime/atomic', 'align64'), A386, user)).toEqual([0, 8]);
    // an align64 declared anywhere else is an ordinary empty struct
    expect(sizeAlign(n('T'), A386, user)).toEqual([8, 4]);
  });
  it('knows go.uber.org/atomic.Int64 is only 4-aligned on 32-bit', () => {
    const uber = 'go.uber.org/atomic';
    expect(sizeAlign(q(uber, 'Int64'), A386)).toEqual([8, 4]);
    expect(sizeAlign(q(uber, 'Int64'), AMD64)).toEqual([8, 8]);
    expect(offsets(st(f('b', n('bool')), f('v', q(uber, 'Uint64'))), ARM)).toEqual([0, 4]);
    expect(sizeAlign(q(uber, 'Float64'), ARM)).toEqual([8, 4]);
    expect(sizeAlign(q(uber, 'Duration'), ARM)).toEqual([8, 4]);
    expect(sizeAlign(q(uber, 'Bool'), ARM)).toEqual([4, 4]);
    expect(sizeAlign(q(uber, 'String'), ARM)).toEqual([8, 4]);
    expect(sizeAlign(q(uber, 'Pointer', n('int')), AMD64)).toEqual([8, 8]);
  });
  it('prefers the project\'s own copy of a non-std package', () => {
    const vendored = new Scope(uberPath(), { Int64: st(f('v', q('sync/atomic', 'Int64'))) });
    const user = new Scope('u', {}, new Map([[uberPath(), vendored]]));
    expect(sizeAlign(q(uberPath(), 'Int64'), A386, user)).toEqual([8, 8]);
  });
});
function uberPath() { return 'go.uber.org/atomic'; }

describe('std table', () => {
  const cases: [string, string, number, number[], number[]][] = [
    // pkg, name, goMinor, [size, align] on 386, on amd64
    ['sync', 'Mutex', 19, [8, 4], [8, 4]],
    ['sync', 'Mutex', 25, [8, 4], [8, 4]],
    ['sync', 'RWMutex', 19, [24, 4], [24, 4]],
    ['sync', 'RWMutex', 25, [24, 4], [24, 4]],
    ['sync', 'WaitGroup', 17, [12, 4], [12, 4]],
    ['sync', 'WaitGroup', 19, [12, 4], [16, 8]],
    ['sync', 'WaitGroup', 20, [16, 8], [16, 8]],
    ['sync', 'WaitGroup', 25, [16, 8], [16, 8]],
    ['sync', 'Once', 19, [12, 4], [12, 4]],
    ['sync', 'Once', 25, [12, 4], [12, 4]],
    ['sync', 'Map', 19, [24, 4], [40, 8]],
    ['sync', 'Map', 20, [20, 4], [32, 8]],
    ['sync', 'Map', 25, [28, 4], [48, 8]],
    ['sync', 'Pool', 25, [20, 4], [40, 8]],
    ['sync', 'Cond', 19, [32, 4], [56, 8]],
    ['sync', 'Cond', 25, [32, 4], [56, 8]],
    ['sync/atomic', 'Value', 25, [8, 4], [16, 8]],
    ['sync/atomic', 'Bool', 25, [4, 4], [4, 4]],
    ['sync/atomic', 'Int32', 25, [4, 4], [4, 4]],
    ['sync/atomic', 'Uintptr', 25, [4, 4], [8, 8]],
    ['time', 'Time', 25, [20, 4], [24, 8]],
    ['time', 'Duration', 25, [8, 4], [8, 8]],
    ['time', 'Location', 19, [60, 4], [104, 8]],
    ['context', 'Context', 25, [8, 4], [16, 8]],
    ['math/big', 'Int', 25, [16, 4], [32, 8]],
    ['math/big', 'Float', 25, [24, 4], [40, 8]],
    ['bytes', 'Buffer', 25, [20, 4], [40, 8]],
    ['strings', 'Builder', 25, [16, 4], [32, 8]],
    ['strings', 'Reader', 25, [20, 4], [32, 8]],
    ['net', 'IP', 25, [12, 4], [24, 8]],
    ['net', 'IPNet', 25, [24, 4], [48, 8]],
    ['net/netip', 'Addr', 25, [20, 4], [24, 8]],
    ['net/netip', 'Prefix', 25, [24, 4], [32, 8]],
    ['os', 'File', 25, [4, 4], [8, 8]],
    ['reflect', 'Value', 25, [12, 4], [24, 8]],
  ];
  it.each(cases)('%s.%s (go1.%i)', (pkg, name, minor, w32, w64) => {
    expect(sizeAlign(q(pkg, name), archLayout('386', minor))).toEqual(w32);
    expect(sizeAlign(q(pkg, name), archLayout('amd64', minor))).toEqual(w64);
  });
  it('has no typed atomics before Go 1.19, and no HashTrieMap before 1.24', () => {
    expect(layoutOf(q('sync/atomic', 'Int64'), archLayout('386', 18), empty)).toBeUndefined();
    expect(layoutOf(q('sync/atomic', 'Value'), archLayout('386', 18), empty)).toBeDefined();
    expect(layoutOf(q('internal/sync', 'HashTrieMap', n('any'), n('any')), archLayout('386', 23), empty)).toBeUndefined();
  });
  it('leaves the rest unknown', () => {
    expect(layoutOf(q('time', 'Timer'), AMD64, empty)).toBeUndefined();
    expect(layoutOf(q('net/http', 'Client'), AMD64, empty)).toBeUndefined();
    expect(layoutOf(q('sync', 'toString'), AMD64, empty)).toBeUndefined();
    expect(layoutOf(q('constructor', 'x'), AMD64, empty)).toBeUndefined();
  });
  it('lists its entries', () => {
    const names = stdTypeNames();
    expect(names).toContain('sync.WaitGroup');
    expect(names).toContain('go.uber.org/atomic.Int64');
    expect([...names].sort()).toEqual(names);
  });
  it('gives the WaitGroup layout a 32-bit atomic rule needs', () => {
    const s = st(f('ready', n('bool')), f('wg', q('sync', 'WaitGroup')));
    expect(offsets(s, archLayout('arm', 19))).toEqual([0, 4]);
    expect(offsets(s, archLayout('arm', 20))).toEqual([0, 8]);
  });
});

describe('offsetOfPath', () => {
  const s = new Scope('p', {
    Base: st(f('id', n('int32')), f('count', n('int64'))),
    Mid: st(f('tag', n('bool')), e(n('Base'))),
    Top: st(f('x', n('int8')), e(n('Mid')), f('count2', n('int64')), f('p', ptr(n('Base'))), e(ptr(n('Other')))),
    Other: st(f('pad', n('int8')), f('far', n('uint64'))),
    Amb: st(e(n('L')), e(n('R'))),
    L: st(f('v', n('int8')), f('onlyL', n('int16'))),
    R: st(f('v', n('int8'))),
    Shallow: st(e(n('Amb')), f('v', n('int64'))),
    Node: st(e(ptr(n('Node'))), f('val', n('int32'))),
    HasUnknown: st(f('own', n('int8')), e(ptr(n('Mystery'))), e(n('Base'))),
    Mystery: { k: 'unknown', text: '?' },
    WithIface: st(e(n('Stringer')), e(n('Base'))),
    Stringer: iface,
    Gen: { type: st(f('pad', n('int8')), e(n('Base')), f('v', tp('T'))), typeParams: ['T'] },
  });
  const at = (t: TypeExpr, path: string[], a = A386) => offsetOfPath(t, path, a, s);

  it('adds up offsets through named fields and embedded structs', () => {
    expect(at(n('Top'), ['x'])?.offset).toBe(0);
    expect(at(n('Top'), ['count2'])?.offset).toBe(20);
    const r = at(n('Top'), ['count']);
    expect(r).toMatchObject({ offset: 12, size: 8, align: 4 });
    expect(r?.steps.map((x) => [x.name, x.offset, x.implicit])).toEqual([['Mid', 4, true], ['Base', 8, true], ['count', 12, false]]);
    expect(r?.resetAt).toBeUndefined();
    expect(at(n('Top'), ['count'], AMD64)?.offset).toBe(24);
    expect(at(n('Top'), ['Mid', 'Base', 'count'])?.offset).toBe(12);
    expect(at(n('Top'), ['Mid', 'count'])?.steps.map((x) => x.offset)).toEqual([4, 8, 12]);
    expect(at(n('Top'), ['Mid'])?.steps[0]).toMatchObject({ name: 'Mid', typeName: 'Mid', size: 16, implicit: false });
  });
  it('starts over behind a pointer', () => {
    const viaField = at(n('Top'), ['p', 'count']);
    expect(viaField).toMatchObject({ offset: 4, resetAt: 1 });
    expect(viaField?.steps.map((x) => x.offset)).toEqual([28, 4]);
    const viaEmbedded = at(n('Top'), ['far']);
    expect(viaEmbedded).toMatchObject({ offset: 4, resetAt: 1 });
    expect(viaEmbedded?.steps.map((x) => [x.name, x.offset, x.typeName])).toEqual([['Other', 32, '*Other'], ['far', 4, 'uint64']]);
    expect(at(ptr(n('Top')), ['count2'])).toMatchObject({ offset: 20, resetAt: 0 });
    expect(at(ptr(ptr(n('Top'))), ['count2'])).toBeUndefined();
  });
  it('follows Go\'s depth rule for promoted fields', () => {
    expect(at(n('Amb'), ['v'])).toBeUndefined(); // L.v and R.v at the same depth
    expect(at(n('Amb'), ['onlyL'])?.offset).toBe(2);
    expect(at(n('Shallow'), ['v'])?.offset).toBe(8); // Shallow.v beats Amb's ambiguous v
    expect(at(n('Node'), ['val'])?.offset).toBe(4);
    expect(at(n('Node'), ['missing'])).toBeUndefined(); // the *Node cycle ends
    expect(at(n('Top'), ['nope'])).toBeUndefined();
    expect(at(n('Top'), ['x', 'y'])).toBeUndefined();
    expect(at(n('Top'), ['_'])).toBeUndefined();
  });
  it('is unknown when an embedded type can hide the name', () => {
    expect(at(n('HasUnknown'), ['id'])).toBeUndefined();
    expect(at(n('HasUnknown'), ['own'])?.offset).toBe(0);
    expect(at(st(e(n('Mystery'))), ['own'])).toBeUndefined();
    expect(at(n('WithIface'), ['id'])?.offset).toBe(8);
  });
  it('works through generic types and std types', () => {
    expect(at(n('Gen', n('int64')), ['v'])?.offset).toBe(16);
    expect(at(n('Gen', n('int64')), ['count'])?.offset).toBe(8);
    expect(at(q('time', 'Time'), ['loc'])?.offset).toBe(16);
    const wg = st(f('a', n('bool')), f('wg', q('sync', 'WaitGroup')));
    expect(offsetOfPath(wg, ['wg', 'state'], archLayout('386', 25), s)?.offset).toBe(8);
    expect(offsetOfPath(wg, ['wg', 'state1'], archLayout('386', 19), s)?.offset).toBe(4);
  });
  it('answers an empty path with the root', () => {
    expect(at(n('Base'), [])).toEqual({ offset: 0, size: 12, align: 4, steps: [] });
  });
});

describe('evalIntConst', () => {
  const look = (id: string) => ({ A: 5, 'x.B': 3 } as Record<string, number>)[id];
  it.each([
    ['1 + 2*3', 7], ['(1+2)*3', 9], ['1<<10 - 1', 1023], ['0x1_0', 16], ['0b101', 5], ['0o17', 15], ['017', 15],
    ['A * x.B', 15], ['-A + 10', 5], ['7 / 2', 3], ['7 % 4', 3], ['0xff &^ 0x0f', 240], ['6 | 1 ^ 2', 5], ['^0 + 2', 1],
  ])('%s = %d', (src, want) => expect(evalIntConst(src, look)).toBe(want));
  it.each(['', 'C', '1.5', '1e3', '1 / 0', 'f(1)', '"s"', '(1', '1 2', String(2n ** 60n) + ' * 1024'])('%s is unknown', (src) =>
    expect(evalIntConst(src, look)).toBeUndefined());
});
