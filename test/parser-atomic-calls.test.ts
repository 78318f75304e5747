/** The atomic-calls extractor: 64-bit sync/atomic calls and wrapper method calls on field paths. */
import { describe, expect, it } from 'vitest';
import { parseGoFile } from '../src/parser/parse.js';
import { atomicCalls, type AtomicCallFact, type AtomicRoot } from '../src/parser/extractors/atomic-calls.js';
import type { FileFacts, TypeExpr } from '../src/parser/facts.js';

const parse = (src: string): FileFacts => parseGoFile(src, 'x.go', { extractors: [atomicCalls] });

function show(t: TypeExpr): string {
  switch (t.k) {
    case 'name': return t.name;
    case 'qual': return `${t.pkg}.${t.name}`;
    case 'ptr': return `*${show(t.elem)}`;
    case 'slice': return `[]${show(t.elem)}`;
    case 'array': return `[${t.len}]${show(t.elem)}`;
    default: return t.k;
  }
}

function root(r: AtomicRoot): string {
  switch (r.k) {
    case 'local': case 'fresh': return `${r.k}:${show(r.type)}`;
    case 'global': return `global:${r.name}`;
    case 'qualGlobal': return `qual:${r.pkg}.${r.name}`;
    default: return `unknown:${r.reason}`;
  }
}

const calls = (f: FileFacts): string[] =>
  (f.extra.atomicCalls?.calls ?? []).map((c: AtomicCallFact) =>
    `${c.kind} ${c.name} ${root(c.root)} ${c.steps.map((s) => (s === null ? '[?]' : typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')} @${c.span[0]}:${c.span[1]}`);

describe('atomic-calls extractor', () => {
  it('records 64-bit sync/atomic calls on field paths, under any import name', () => {
    const f = parse(`package p
import (
	"sync/atomic"
	a2 "sync/atomic"
	m "example.com/m"
)
type T struct{ n int64 }
var g T
func f(t *T, ts []T, i int) {
	atomic.AddInt64(&t.n, 1)
	a2.LoadUint64(&(t.a.b.n))
	atomic.StoreInt64(&ts[i].n, 1)
	atomic.SwapInt64(&t.arr[2], 1)
	atomic.AndInt64(&(*t).n, 1)
	atomic.OrUint64(&g.n, 1)
	atomic.CompareAndSwapInt64(&m.Global.n, 0, 1)
	atomic.AddInt64(&T{}.n, 1)
	atomic.AddInt64(&new(T).n, 1)
	atomic.AddInt32(&t.m, 1)
	atomic.AddInt64(&g, 1)
	atomic.AddInt64(t.p, 1)
	x := get()
	atomic.AddInt64(&x.n, 1)
	c := &T{}
	atomic.AddInt64(&c.n, 1)
}
`);
    expect(calls(f)).toEqual([
      'func AddInt64 local:*T .n @10:18',
      'func LoadUint64 local:*T .a.b.n @11:16',
      'func StoreInt64 local:[]T [?].n @12:20',
      'func SwapInt64 local:*T .arr[2] @13:19',
      'func AndInt64 local:*T .n @14:18',
      'func OrUint64 global:g .n @15:18',
      'func CompareAndSwapInt64 qual:example.com/m.Global .n @16:29',
      // Composite literals and new(T) are typed only after the call is visited: unknown (and rare).
      'func AddInt64 unknown:unknown-root-type .n @17:18',
      'func AddInt64 unknown:unknown-root-type .n @18:18',
      'func AddInt64 unknown:unknown-local-type .n @23:18',
      'func AddInt64 local:*T .n @25:18',
    ]);
  });

  it('sees through pointer conversions, and takes a converted pointer to a named type as the word', () => {
    const f = parse(`package p
import (
	"sync/atomic"
	"unsafe"
)
type idx uint64
func (i *idx) f(t *T, p *uint64) {
	atomic.StoreUint64((*uint64)(i), 1)
	atomic.LoadUint64((*uint64)(unsafe.Pointer(i)))
	atomic.AddInt64((*int64)(unsafe.Pointer(&t.n)), 1)
	atomic.AddUint64(p, 1)
	atomic.AddUint64((*uint64)(p), 1)
}
`);
    expect(calls(f)).toEqual([
      'func StoreUint64 local:*idx  @8:21',
      'func LoadUint64 local:*idx  @9:20',
      'func AddInt64 local:*T .n @10:18',
    ]);
  });

  it('records method calls on field paths as candidates, not on bare variables or packages', () => {
    const f = parse(`package p
import "go.uber.org/atomic"
type S struct{ n atomic.Int64 }
func (s *S) f(v *atomic.Int64) {
	s.n.Add(1)
	s.list[3].n.Load()
	v.Add(1)
	atomic.NewInt64(1)
	s.n.Frob()
}
`);
    expect(calls(f)).toEqual(['method Add local:*S .n @5:2', 'method Load local:*S .list[3].n @6:2']);
  });

  it('records arrays and slices of named types, once per file, and package constants', () => {
    const f = parse(`package p
import "example.com/m"
const (
	A = iota * 4
	B
	C, D = 1 << 3, A + 2
)
type T struct{ a [B]U; b []m.V; c [2]int; d []*U }
func f() { _ = make([]U, 3); var x [B]U; _ = x; type L struct{}; _ = []L{} }
`);
    const ax = f.extra.atomicCalls!;
    expect(ax.elems.map((e) => `${e.len ?? '[]'} ${show(e.elem)}`)).toEqual(['B U', '[] example.com/m.V', '[] U']);
    expect(ax.consts).toEqual([
      { name: 'A', expr: 'iota * 4', iota: 0 },
      { name: 'B', expr: 'iota * 4', iota: 1 },
      { name: 'C', expr: '1 << 3', iota: 2 },
      { name: 'D', expr: 'A + 2', iota: 2 },
    ]);
  });

  it('leaves files without anything to record alone', () => {
    expect(parse('package p\nfunc f() {}\n').extra.atomicCalls).toBeUndefined();
  });
});
