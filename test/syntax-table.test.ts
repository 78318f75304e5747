/** The syntax table (src/parser/syntax-table.ts): structure, byte offsets, and its JSON form. */
import { describe, expect, it } from 'vitest';
import { parseGoFile } from '../src/parser/parse.js';
import { SyntaxView, type SyntaxTable } from '../src/parser/syntax-table.js';

function view(src: string | Buffer): SyntaxView {
  const t = parseGoFile(src, 'x.go').extra.syntax;
  expect(t).toBeDefined();
  return new SyntaxView(t!);
}

function find(v: SyntaxView, kind: string, text?: string): number {
  for (let i = 0; i < v.count; i++) if (v.kind(i) === kind && (text === undefined || v.text(i) === text)) return i;
  return -1;
}

describe('syntax table', () => {
  it('keeps named nodes in preorder with fields, operators and texts', () => {
    const v = view('package p\n\n// c\nfunc f(a int) int { return a + 1 }\n');
    expect(v.kind(0)).toBe('source_file');
    const fn = find(v, 'function_declaration');
    expect(v.text(v.child(fn, 'name'))).toBe('f');
    const bin = find(v, 'binary_expression');
    expect(v.text(bin)).toBe('+');
    expect(v.kind(v.child(bin, 'left'))).toBe('identifier');
    expect(v.text(v.child(bin, 'right'))).toBe('1');
    expect(find(v, 'comment')).toBe(-1);
    // Every child lies inside its parent.
    for (let i = 0; i < v.count; i++) for (const c of v.children(i)) expect(v.start(c) >= v.start(i) && v.end(c) <= v.end(i)).toBe(true);
  });

  it('records channel directions, embedded pointers and := in receive clauses', () => {
    const v = view('package p\ntype T struct{ *U }\nvar a <-chan int\nvar b chan<- int\nfunc f(c chan int) { select { case x := <-c: _ = x } }\n');
    expect(find(v, 'channel_type', '<-chan')).toBeGreaterThan(0);
    expect(find(v, 'channel_type', 'chan<-')).toBeGreaterThan(0);
    expect(find(v, 'channel_type', 'chan')).toBeGreaterThan(0);
    expect(find(v, 'field_declaration', '*')).toBeGreaterThan(0);
    expect(find(v, 'receive_statement', ':=')).toBeGreaterThan(0);
  });

  it('gives byte offsets and go/token positions past non-ASCII text and a BOM', () => {
    const src = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('package p\n\nvar s = "héllo😀"; var n = 1\n')]);
    const v = view(src);
    const n = find(v, 'identifier', 'n');
    const off = src.indexOf('n = 1');
    expect(v.start(n)).toBe(off);
    expect(v.end(n)).toBe(off + 1);
    expect(v.position(v.start(n))).toEqual({ line: 3, col: off - src.indexOf('var s') + 1 });
    expect(v.position(v.start(find(v, 'package_clause')))).toEqual({ line: 1, col: 4 });
  });

  it('survives JSON (the facts cache) unchanged', () => {
    const t = parseGoFile('package p\nfunc f() { x := []int{1, 2}; _ = x[0] }\n', 'x.go').extra.syntax!;
    const back = JSON.parse(JSON.stringify(t)) as SyntaxTable;
    const a = new SyntaxView(t);
    const b = new SyntaxView(back);
    expect(b.count).toBe(a.count);
    for (let i = 0; i < a.count; i++) expect([b.kind(i), b.field(i), b.start(i), b.end(i), b.next(i), b.text(i)]).toEqual([a.kind(i), a.field(i), a.start(i), a.end(i), a.next(i), a.text(i)]);
  });
});
