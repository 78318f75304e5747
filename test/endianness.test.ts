/** The unsafe-casts extractor behind endianness: conversions through unsafe.Pointer and their types. */
import { describe, expect, it } from 'vitest';
import { parseGoFile } from '../src/parser/parse.js';
import type { TypeExpr } from '../src/parser/facts.js';
import { unsafeCasts, type CastSource } from '../src/parser/extractors/unsafe-casts.js';

function show(t: TypeExpr | undefined): string {
  if (t === undefined) return '?';
  switch (t.k) {
    case 'name':
      return t.name;
    case 'qual':
      return `${t.pkg}.${t.name}`;
    case 'ptr':
      return `*${show(t.elem)}`;
    case 'slice':
      return `[]${show(t.elem)}`;
    case 'array':
      return `[${t.len}]${show(t.elem)}`;
    default:
      return t.k;
  }
}

const source = (s: CastSource | undefined) => (s === undefined ? '?' : s.k === 'type' ? show(s.type) : `global ${s.name}${s.steps}`);

function casts(body: string, imports = '"unsafe"') {
  const f = parseGoFile(`package p\nimport (${imports})\n${body}`, 'x.go', { extractors: [unsafeCasts] });
  const uc = f.extra.unsafeCasts;
  return {
    casts: (uc?.casts ?? []).map((c) => `${source(c.from)} -> ${show(c.to)} ${c.use} ${c.func >= 0 ? uc!.funcs[c.func]!.name : '-'}`),
    funcs: (uc?.funcs ?? []).map((f) => f.name),
  };
}

describe('unsafe-casts extractor', () => {
  it('records pointee types on both sides and how the result is used', () => {
    const r = casts(`
var buf [8]byte
var pg *[16]uint16
func f(b []byte, x uint32, f64 float64) {
	_ = *(*uint32)(unsafe.Pointer(&b[0]))
	_ = (*[4]byte)(unsafe.Pointer(&x))
	_ = unsafe.Slice((*byte)(unsafe.Pointer(&x)), 4)
	_ = *(*[8]byte)(unsafe.Pointer(&f64))
	_ = *(*uint64)(unsafe.Pointer(&buf))
	_ = (*uint16)(unsafe.Pointer(&b[2:4][0]))
	_ = (*uint32)(unsafe.Pointer(pg))
	_ = (*uint32)(unsafe.Pointer(&buf[4]))
}
func (s *S) g(p *int64) { _ = (*[8]byte)(unsafe.Pointer(p)) }
`);
    expect(r.casts).toEqual([
      'byte -> uint32 deref f',
      'uint32 -> [4]byte other f',
      'uint32 -> byte slice f',
      'float64 -> [8]byte deref f',
      'global buf -> uint64 deref f',
      'byte -> uint16 other f',
      'global pg* -> uint32 other f',
      'global bufi -> uint32 other f',
      'int64 -> [8]byte other S.g',
    ]);
    expect(r.funcs).toEqual(['f', 'S.g']);
  });

  it('leaves the source unknown when the file does not tell it', () => {
    const r = casts(`
type H struct{ Len uint32 }
func f(h *H, p unsafe.Pointer, off uintptr) {
	_ = (*[4]byte)(unsafe.Pointer(&h.Len))
	_ = (*uint32)(unsafe.Pointer(uintptr(p) + off))
	v := g()
	_ = (*[8]byte)(unsafe.Pointer(&v))
}
`);
    expect(r.casts).toEqual(['? -> [4]byte other f', '? -> uint32 other f', '? -> [8]byte other f']);
  });

  it('ignores conversions that are not through unsafe.Pointer, and files without unsafe or encoding/binary', () => {
    expect(casts('func f(p *T) { _ = (*U)(p) }').casts).toEqual([]);
    expect(casts('func f(b []byte) { _ = (*uint32)(unsafe.Pointer(&b[0])) }', '"fmt"')).toEqual({ casts: [], funcs: [] });
    expect(casts('func f(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }', '"encoding/binary"').funcs).toEqual(['f']);
  });

  it('keeps package-level conversions outside any function', () => {
    expect(casts('var x uint16 = 1\nvar little = *(*byte)(unsafe.Pointer(&x)) == 1\nfunc f() {}\n').casts).toEqual(['global x -> byte deref -']);
  });
});
