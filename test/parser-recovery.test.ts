/**
 * Recovery where tree-sitter-go 0.25 lags behind Go (src/parser/recovery/): the facts of Go 1.26
 * new(expr), of a package's own new/make, of Go 1.27 generic methods, and the syntax checks that
 * reject what Go's parser rejects. Go 1.19 (CI's go) cannot parse some of these; the fixtures
 * gated-symbol/{new-expr,own-new,generic-methods} and their ok- twins run everywhere.
 */
import { describe, expect, it } from 'vitest';
import { parseGoFile, syntaxErrorsOf } from '../src/parser/parse.js';
import type { FileFacts, TypeExpr } from '../src/parser/facts.js';
import { scanGo } from '../src/parser/recovery/scan.js';

const parse = (src: string): FileFacts => parseGoFile(src, 'x.go');
const inFunc = (code: string, extra = ''): FileFacts => parse(`package p\n${extra}\nfunc f() {\n${code}\n}\n`);
const refs = (f: FileFacts): string[] => f.refs.map((r) => r.name);
const errLines = (f: FileFacts): number[] => f.syntaxErrors.map((s) => s[0]);
const recovered = (f: FileFacts): string[] => f.skips.filter((s) => s.reason.startsWith('recovered: ')).map((s) => s.reason.slice(11));

function show(t: TypeExpr): string {
  switch (t.k) {
    case 'ptr':
      return '*' + show(t.elem);
    case 'name':
      return t.name + (t.args ? `[${t.args.map(show).join(',')}]` : '');
    case 'qual':
      return `${t.pkg}.${t.name}`;
    default:
      return `?${t.k}`;
  }
}
const sels = (f: FileFacts): string[] =>
  f.selectors.map((s) => (s.root.k === 'type' ? `${show(s.root.type)}.${s.path.join('.')}` : `${s.root.k}.${s.path.join('.')}`));

describe('Go 1.26 new(expr)', () => {
  it('parses every form Go accepts, with the argument identifiers as ordinary references', () => {
    const f = inFunc(`
	a := new("dir/")
	b := new(g())
	c := new(T(x))
	d := new(new(5))
	e := new([]int{1, 2})
	h := new(struct{}{})
	i := new(-n)
	_, _, _, _, _, _, _ = a, b, c, d, e, h, i`);
    expect(f.syntaxErrors).toEqual([]);
    expect(refs(f)).toEqual(['new', 'new', 'g', 'new', 'T', 'x', 'new', 'new', 'new', 'int', 'new', 'new', 'n']);
    expect(recovered(f)).toHaveLength(8); // new(new(5)): both
  });

  it('is a pointer to the type of the expression, never the expression read as a type', () => {
    const f = inFunc(
      `
	p := new(T{X: 1})
	_ = p.X
	q := new(v)
	_ = q.X
	r := new(T)
	_ = r.X
	s := new(g())
	_ = s.X`,
      'type T struct{ X int }\nvar v T',
    );
    // v is package-level (its type is not known per file) and g() is a call: no selector for them.
    expect(sels(f)).toEqual(['*T.X', '*v.X', '*T.X']);
    const g = parse('package p\ntype T struct{ X int }\nfunc f(v T) {\n\tq := new(v)\n\t_ = q.X\n\tw := new(new(v))\n\t_ = w\n}\n');
    expect(sels(g)).toEqual(['*T.X']);
  });

  it('keeps lines and byte columns of the original source', () => {
    const f = parse('package p\n\nvar héllo = new(λ("a"), 1)\nvar x = new(y + z)\n');
    expect(f.syntaxErrors).toEqual([]);
    expect(f.refs.map((r) => `${r.name}@${r.span.join(':')}`)).toEqual(['new@3:14:3:17', 'λ@3:18:3:20', 'new@4:9:4:12', 'y@4:13:4:14', 'z@4:17:4:18']);
  });

  it('leaves new( in strings and comments alone, and real errors in place', () => {
    const f = parse('package p\n// new(1)\nvar s = "new(2)" + `new(3)`\nvar x = new(1)\nfunc f() {\n\tx :=\n}\n');
    expect(errLines(f)).toEqual([7]);
    expect(recovered(f)).toEqual(['new-make-call']);
    expect(errLines(parse('package p\nvar x = new(1\n'))).not.toEqual([]);
  });
});

describe("a package's own new and make", () => {
  it('calls with value arguments are ordinary calls', () => {
    const f = parse(`package p
import "io"
func new(out io.Writer, rows int) *T { return nil }
func make(n int) []int { return nil }
func f(r io.Reader) {
	_ = new(io.NopCloser(r), 24)
	_ = make(len(s))
}
`);
    expect(f.syntaxErrors).toEqual([]);
    expect(f.decls.map((d) => d.name)).toEqual(['new', 'make', 'f']);
    expect(refs(f)).toContain('new');
    expect(refs(f)).toContain('s');
  });

  it('a new declared in the file or locally is not the builtin: no type from its argument', () => {
    const own = parse('package p\ntype T struct{ X int }\nfunc new(t T) *U { return nil }\nfunc f() {\n\t_ = new(T{}).X\n}\n');
    expect(sels(own)).toEqual([]);
    const local = inFunc('new := func(t T) *U { return nil }\n_ = new(T{}).X', 'type T struct{ X int }');
    expect(sels(local)).toEqual([]);
    expect(refs(local)).not.toContain('new');
    const builtin = inFunc('_ = new(T).X', 'type T struct{ X int }');
    expect(sels(builtin)).toEqual(['*T.X']);
  });
});

describe('Go 1.27 generic methods', () => {
  const src = `package p

type List[T any] struct{ items []T }

func (l *List[T]) Map[U any, V interface{ ~[]T | ~[]U }](f func(T) U) *List[U] {
	var zero U
	var w V
	_, _ = zero, w
	return &List[U]{}
}

func (List[T]) Keys[K comparable]() []K { return nil }
`;

  it('are methods of their receiver base type, type parameters in scope in signature and body', () => {
    const f = parse(src);
    expect(f.syntaxErrors).toEqual([]);
    expect(f.methods.map((m) => `${m.recv}.${m.name}${m.ptr ? '*' : ''}`)).toEqual(['List.Map*', 'List.Keys']);
    // Only the package-level and universe names remain references.
    expect([...new Set(refs(f))].sort()).toEqual(['List', 'any', 'comparable', 'nil']);
    expect(f.methods[0]!.span).toEqual([5, 19, 5, 22]);
    expect(recovered(f)).toEqual(['generic-method', 'generic-method']);
  });

  it('syntax errors inside the type parameters stay errors, on their line', () => {
    expect(errLines(parse('package p\n\nfunc (T) m[P any,\n\t~](x P) {}\n'))).toEqual([4]);
    expect(errLines(parse('package p\n\nfunc (T) m[P any](x P {\n}\n'))).not.toEqual([]);
  });
});

describe('what Go rejects and tree-sitter accepts', () => {
  const cases: Array<[string, string, number]> = [
    ['three range variables', 'package p\nfunc f(s []int) {\n\tfor i, j, k := range s {\n\t}\n}\n', 3],
    ['go without a call', 'package p\nfunc f() {\n\tgo f\n}\n', 3],
    ['defer of a parenthesized call', 'package p\nfunc f() {\n\tdefer (f())\n}\n', 3],
    ['a missing parameter type', 'package p\n\nfunc f(a int,\n\tb)\n', 4],
    ['a missing parameter name', 'package p\n\nfunc f(a int,\n\t[]int)\n', 4],
    ['a method without a name', 'package p\n\nfunc (x string) []byte {\n\treturn nil\n}\n', 3],
    ['a statement at top level', 'package p\n\nx := 1\n', 3],
    ['a variadic parameter before the last', 'package p\n\nfunc f(a ...int,\n\tb int) {}\n', 3],
    ['no comma before a line break in a parameter list', 'package p\n\nfunc f(a int,\n\tb int\n) {}\n', 4],
    // The copy keeps no commas: the one inside the comment is not the list's.
    ['no comma before a line break, one in a comment', 'package p\n\nfunc f(a int,\n\tb int /* c, d */\n) {}\n', 4],
    ['no comma before a comment ending the line', 'package p\n\nfunc f(\n\ta int // c,\n) {}\n', 4],
    ['an unknown escape', 'package p\n\nvar s = "a\\qb"\n', 3],
    ["\\' in a string", 'package p\n\nvar s = "\\\'"\n', 3],
    ['an octal escape above 255', "package p\n\nvar r = '\\400'\n", 3],
    ['a surrogate half', 'package p\n\nvar s = "\\uD800"\n', 3],
    ['a code point above U+10FFFF', 'package p\n\nvar s = "\\U00110000"\n', 3],
    ['no package clause', '// just a comment\n', 1],
    ['an empty file', '', 1],
  ];
  for (const [name, code, line] of cases) {
    it(name, () => {
      expect(errLines(parse(code))[0]).toBe(line);
      expect(syntaxErrorsOf(code)![0]![0]).toBe(line);
    });
  }

  it('and accepts what Go accepts', () => {
    for (const code of [
      'package p\nfunc f(a, b, c, d, e, g, h, i, j int, k string) {}\n',
      'package p\nfunc f(int, string, []byte, ...int) {}\n',
      'package p\nfunc f(fs []func(int)) {\n\tgo fs[0](1)\n\tdefer fs[1](2)\n}\n',
      'package p\nfunc f(s []int) {\n\tfor i, v := range s {\n\t\t_, _ = i, v\n\t}\n}\n',
      'package p\nvar _ = x /* no newline at the end */',
      'package p\nfunc f(a int,\n\tb ...int,\n) {}\n',
      'package p\nfunc f(a int,\n\tb int /* c */ , // d\n\t/* e */\n) {}\n',
      'package p\nfunc f(n int) {\n\tif ; n > 0 {\n\t}\n\tswitch ; n {\n\t}\n}\n',
      'package p\nvar s, r, t = "\\"\\\\\\x41\\101\\u00e9\\U0010FFFF\\a", \'\\\'\', `\\q \\400`\n',
    ]) {
      expect(parse(code).syntaxErrors, code).toEqual([]);
    }
  });
});

describe('scanGo', () => {
  it('matches brackets and skips comments, strings, runes and raw strings', () => {
    const toks = scanGo('f(a[1], "(", \'[\', `{`) // (\n/* [ */ g{}');
    expect(toks.map((t) => t.text || 'lit').join(' ')).toBe('f ( a [ lit ] , lit , lit , lit ) g { }');
    expect(toks[1]!.match).toBe(12);
    expect(toks[3]!.match).toBe(5);
    expect(toks[14]!.match).toBe(15);
  });
});
