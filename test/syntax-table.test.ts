/** The syntax table (src/parser/syntax-table.ts): structure, byte offsets, and its serialized forms. */
import fs from 'node:fs';
import path from 'node:path';
import Parser from 'tree-sitter';
import Go from 'tree-sitter-go';
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../src/engine/facts-codec.js';
import { parseGoFile } from '../src/parser/parse.js';
import { buildSyntax } from '../src/parser/syntax.js';
import { encodeSyntax, SyntaxView, syntaxWords, type SyntaxTable } from '../src/parser/syntax-table.js';

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

  it('survives the facts codec (workers, the facts cache) and base64 JSON unchanged', () => {
    const facts = parseGoFile('package p\nfunc f() { x := []int{1, 2}; _ = x[0] }\n', 'x.go');
    const t = facts.extra.syntax!;
    expect(t.w).toBeInstanceOf(Int32Array);
    const back = decodeEntry('k', encodeEntry('k', facts))!.extra.syntax!;
    expect(back.w).toBeInstanceOf(Int32Array);
    const b64: SyntaxTable = { v: t.v, b: Buffer.from(t.w!.buffer, t.w!.byteOffset, t.w!.byteLength).toString('base64'), s: t.s };
    const json = JSON.parse(JSON.stringify(b64)) as SyntaxTable;
    const a = new SyntaxView(t);
    for (const other of [back, json]) {
      const b = new SyntaxView(other);
      expect(b.count).toBe(a.count);
      for (let i = 0; i < a.count; i++) expect([b.kind(i), b.field(i), b.start(i), b.end(i), b.next(i), b.text(i)]).toEqual([a.kind(i), a.field(i), a.start(i), a.end(i), a.next(i), a.text(i)]);
      expect([...syntaxWords(other)]).toEqual([...t.w!]);
    }
  });

  // parseGoFile makes the table in its one cursor walk (TableBuilder) for files that parse without
  // errors; encodeSyntax of the GoNode copy is the reference (and what files with errors get).
  const parser = new Parser();
  parser.setLanguage(Go as unknown as Parser.Language);
  const reference = (source: Buffer): SyntaxTable => {
    let text = source.toString('utf8');
    let bom = 0;
    if (text.charCodeAt(0) === 0xfeff) (text = text.slice(1), (bom = 3));
    return encodeSyntax(buildSyntax(parser.parse(text), 0).root, text, bom);
  };
  const same = (source: Buffer): void => {
    const got = parseGoFile(source, 'x.go').extra.syntax!;
    const want = reference(source);
    expect(got.s).toEqual(want.s);
    expect(Buffer.from(got.w!.buffer, got.w!.byteOffset, got.w!.byteLength).equals(Buffer.from(want.w!.buffer, want.w!.byteOffset, want.w!.byteLength))).toBe(true);
  };

  it('is made in the cursor walk word for word as encodeSyntax makes it from the copy', () => {
    const cases = [
      'package p\n\n// c\nfunc f(a int) int { return a + 1 }\n',
      'package p\ntype T struct{ *U; a, b int `tag:"x"`; *pkg.V }\nvar a <-chan int\nvar b chan<- int\nvar c chan (<-chan int)\n',
      'package p\nfunc f(c chan int) { select { case x := <-c: _ = x; case y = <-c: } ; for i, v := range c { x += i; v++ ; _ = -v &^ ^v } }\n',
      'package p\nvar s = "h\\u00e9llo\\n😀" + `raw\nline` + \'\\x41\'\nconst ( A = iota; B )\nfunc g[T any, U ~int | ~string](t T) (r U) { return }\n',
      '\ufeffpackage p\n\n/* é */ var s = "héllo😀"; var n = 1 // ü\r\nfunc h() { goto L; L: defer func() {}(); go h() }\n',
      'package p\nfunc f() { if x := 1; x > 0 { } else if y := 2; y < 0 { } ; switch v := any(1).(type) { case int: _ = v }; m := map[string][]*[4]int{"a": {nil}}; _ = m["a"][0:1:1] }\n',
    ];
    for (const c of cases) same(Buffer.from(c));
    // Every fixture file that parses without errors.
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.go') ? [path.join(d, e.name)] : []));
    let n = 0;
    for (const f of walk(path.resolve(import.meta.dirname, '../fixtures'))) {
      const src = fs.readFileSync(f);
      if (parser.parse(src.toString('utf8')).rootNode.hasError) continue;
      same(src);
      n++;
    }
    expect(n).toBeGreaterThan(100);
  }, 120_000);

  it('gives the same copy when token ends are read off the text as when the cursor is asked', () => {
    type Node = ReturnType<typeof buildSyntax>['root'];
    const flat = (n: Node, out: string[] = []): string[] => {
      out.push(`${n.type} ${n.named} ${n.field} ${n.start} ${n.end} ${n.missing} ${n.children.length}`);
      for (const c of n.children) flat(c, out);
      return out;
    };
    const cases = [
      'package p\nfunc f(a int) int { return a+1 }\n',
      // Non-ASCII identifiers (the cursor is asked), an identifier at the end of the text, keywords
      // next to names, named terminals.
      'package p\nvar héllo, x😀 = 1, 2\nvar ñ=nil\nfunc g(){for{break};if true{return};_=iota}\nvar z',
      'package p\nfunc f() { x := ; y := 1 }\nfunc (a) g[T any]() {}\n',
      'package p\nfunc f() { if x {\n',
    ];
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.go') ? [path.join(d, e.name)] : []));
    const texts = [...cases, ...walk(path.resolve(import.meta.dirname, '../fixtures')).map((f) => fs.readFileSync(f, 'utf8'))];
    for (const text of texts) {
      const tree = parser.parse(text);
      expect(flat(buildSyntax(tree, 5, undefined, undefined, text).root)).toEqual(flat(buildSyntax(tree, 5).root));
    }
  }, 120_000);

  it('of a file with syntax errors is the copy\'s (after recovery)', () => {
    const src = Buffer.from('package p\nfunc f() { x := ; y := 1 }\nfunc (a) g[T any]() {}\n');
    const t = parseGoFile(src, 'x.go').extra.syntax!;
    expect(new SyntaxView(t).count).toBeGreaterThan(5);
  });
});
