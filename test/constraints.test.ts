/**
 * The build-constraint engine, rule by rule, against go/build's behaviour: the //go:build and
 * // +build grammars (go/build/constraint, with its own test tables), file headers
 * (go/build shouldBuild/parseFileHeader), file-name suffixes (goodOSArchFile), matchTag,
 * per-directory classification, --platforms and Targets. test/conformance.test.ts checks the
 * whole engine against `go list` itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildContext } from '../src/constraints/context.js';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { type BuildContext, fileNameTags, knownOS, matchTag } from '../src/constraints/context.js';
import {
  ConstraintSyntaxError,
  type Expr,
  evalExpr,
  exprString,
  exprTags,
  goFields,
  goTrimSpace,
  parseConstraintLine,
  parseGoBuildExpr,
  parsePlusBuildExpr,
  splitGoBuild,
  splitPlusBuild,
} from '../src/constraints/expr.js';
import { classifyDir, type ClassifiedFile, ConstraintEvaluator } from '../src/constraints/fileset.js';
import { readHeader } from '../src/constraints/header.js';
import { archFeatureTags, DIST_LIST, KUBERNETES, NEWEST_GO_MINOR } from '../src/platform/known.js';
import { distListOf } from '../src/platform/releases.js';
import { parsePlatforms, PlatformError, Targets } from '../src/platform/targets.js';

const tag = (t: string): Expr => ({ op: 'tag', tag: t });
const not = (x: Expr): Expr => ({ op: 'not', x });
const and = (x: Expr, y: Expr): Expr => ({ op: 'and', x, y });
const or = (x: Expr, y: Expr): Expr => ({ op: 'or', x, y });

function syntaxError(f: () => unknown): { offset: number; reason: string } | null {
  try {
    f();
  } catch (e) {
    if (e instanceof ConstraintSyntaxError) return { offset: e.offset, reason: e.reason };
    throw e;
  }
  return null;
}

function ctx(goos: string, goarch: string, o: { cgo?: boolean; tags?: string[]; goMinor?: number } = {}): BuildContext {
  return buildContext({ goos, goarch, id: `${goos}/${goarch}` }, { cgo: o.cgo ?? false, tags: o.tags ?? [], goMinor: o.goMinor ?? 25 });
}

describe('//go:build expressions (constraint.parseExpr)', () => {
  it('parses go/build/constraint parseExprTests', () => {
    const cases: [string, Expr][] = [
      ['x', tag('x')],
      ['x&&y', and(tag('x'), tag('y'))],
      ['x||y', or(tag('x'), tag('y'))],
      ['(x)', tag('x')],
      ['x||y&&z', or(tag('x'), and(tag('y'), tag('z')))],
      ['x&&y||z', or(and(tag('x'), tag('y')), tag('z'))],
      ['x&&(y||z)', and(tag('x'), or(tag('y'), tag('z')))],
      ['(x||y)&&z', and(or(tag('x'), tag('y')), tag('z'))],
      ['!(x&&y)', not(and(tag('x'), tag('y')))],
      // Left-associative chains, tabs and spaces anywhere between tokens.
      ['a || b || c', or(or(tag('a'), tag('b')), tag('c'))],
      ['a && b && c', and(and(tag('a'), tag('b')), tag('c'))],
      ['\t! a\t&&  ( b )', and(not(tag('a')), tag('b'))],
      ['!a||!b', or(not(tag('a')), not(tag('b')))],
    ];
    for (const [text, want] of cases) expect(parseGoBuildExpr(text), text).toEqual(want);
  });

  it('lexes tags like go/build/constraint lexTests', () => {
    // Letters and digits of any script, _ and . are tag characters.
    for (const t of ['x.y', 'x_y', 'αx', 'go1.2', '386', 'amd64.v1', 'arm64.v8.0', 'ñandú', '_', '٣']) {
      expect(parseGoBuildExpr(t), t).toEqual(tag(t));
    }
    expect(syntaxError(() => parseGoBuildExpr('αx²'))).toEqual({ offset: 3, reason: 'invalid syntax at ²' });
    expect(syntaxError(() => parseGoBuildExpr('x~'))).toEqual({ offset: 1, reason: 'invalid syntax at ~' });
    expect(syntaxError(() => parseGoBuildExpr('x ~'))).toEqual({ offset: 2, reason: 'invalid syntax at ~' });
    expect(syntaxError(() => parseGoBuildExpr('x &'))).toEqual({ offset: 2, reason: 'invalid syntax at &' });
    expect(syntaxError(() => parseGoBuildExpr('x &y'))).toEqual({ offset: 2, reason: 'invalid syntax at &' });
    expect(syntaxError(() => parseGoBuildExpr('x | y'))).toEqual({ offset: 2, reason: 'invalid syntax at |' });
    expect(syntaxError(() => parseGoBuildExpr('x-y'))).toEqual({ offset: 1, reason: 'invalid syntax at -' });
    // Only space and tab separate tokens: a no-break space is an invalid character.
    expect(syntaxError(() => parseGoBuildExpr('x\u00a0&& y'))?.reason).toBe('invalid syntax at \u00a0');
  });

  it('reports every error of go/build/constraint with its offset (parseExprErrorTests)', () => {
    const cases: [string, number, string][] = [
      ['x && ', 5, 'unexpected end of expression'],
      ['x && (', 6, 'missing close paren'],
      ['x && ||', 5, 'unexpected token ||'],
      ['x && !', 6, 'unexpected end of expression'],
      ['x && !!', 6, 'double negation not allowed'],
      ['x !', 2, 'unexpected token !'],
      ['x && (y', 5, 'missing close paren'],
      // More of the same family.
      ['', 0, 'unexpected end of expression'],
      ['!!x', 1, 'double negation not allowed'],
      ['x y', 2, 'unexpected token y'],
      ['x)', 1, 'unexpected token )'],
      ['()', 1, 'unexpected token )'],
      ['(x', 0, 'missing close paren'],
      ['((x)', 0, 'missing close paren'],
      ['&& x', 0, 'unexpected token &&'],
    ];
    for (const [text, offset, reason] of cases) expect(syntaxError(() => parseGoBuildExpr(text)), text).toEqual({ offset, reason });
  });

  it('rejects expressions that are too large (newer go/build/constraint: 1000 terms)', () => {
    const big = Array.from({ length: 1001 }, (_, i) => `t${i}`).join(' || ');
    expect(syntaxError(() => parseGoBuildExpr(big))?.reason).toBe('build expression too large');
    const ok = Array.from({ length: 1000 }, (_, i) => `t${i}`).join(' || ');
    expect(exprTags(parseGoBuildExpr(ok)).size).toBe(1000);
    // Deep nesting is counted too (it used to exhaust the stack).
    const deep = '('.repeat(2000) + 'x' + ')'.repeat(2000);
    expect(syntaxError(() => parseGoBuildExpr(deep))?.reason).toBe('build expression too large');
  });

  it('evaluates like Expr.Eval, visiting every tag (exprEvalTests)', () => {
    const cases: [string, boolean, string[]][] = [
      ['x', false, ['x']],
      ['x && y', false, ['x', 'y']],
      ['x || y', false, ['x', 'y']],
      ['!x && yes', true, ['x', 'yes']],
      ['yes || y', true, ['y', 'yes']],
    ];
    for (const [text, ok, tags] of cases) {
      const seen = new Set<string>();
      const got = evalExpr(parseGoBuildExpr(text), (t) => {
        seen.add(t);
        return t === 'yes';
      });
      expect(got, text).toBe(ok);
      expect([...seen].sort(), text).toEqual(tags);
    }
  });

  it('prints expressions with the parentheses precedence needs', () => {
    expect(exprString(parseGoBuildExpr('!(abc && def)'))).toBe('!(abc && def)');
    expect(exprString(parseGoBuildExpr('abc && (def || ghi)'))).toBe('abc && (def || ghi)');
    expect(exprString(parseGoBuildExpr('!x'))).toBe('!x');
    for (const text of ['a || b && c', '(a || b) && !c', '!(a && (b || !c))']) {
      const x = parseGoBuildExpr(text);
      expect(parseGoBuildExpr(exprString(x)), text).toEqual(x);
    }
  });
});

describe('// +build expressions (constraint.parsePlusBuildExpr)', () => {
  it('parses go/build/constraint parsePlusBuildExprTests', () => {
    const cases: [string, Expr][] = [
      ['x', tag('x')],
      ['x,y', and(tag('x'), tag('y'))],
      ['x y', or(tag('x'), tag('y'))],
      ['x y,z', or(tag('x'), and(tag('y'), tag('z')))],
      ['x,y z', or(and(tag('x'), tag('y')), tag('z'))],
      ['x,!y !z', or(and(tag('x'), not(tag('y'))), not(tag('z')))],
      ['!! x', or(tag('ignore'), tag('x'))],
      ['!!x', tag('ignore')],
      ['!x', not(tag('x'))],
      ['!', tag('ignore')],
      ['', tag('ignore')],
    ];
    for (const [text, want] of cases) expect(parsePlusBuildExpr(text), JSON.stringify(text)).toEqual(want);
  });

  it('turns invalid tags into "ignore" instead of failing', () => {
    expect(parsePlusBuildExpr('linux-amd64 darwin')).toEqual(or(tag('ignore'), tag('darwin')));
    expect(parsePlusBuildExpr('!a/b')).toEqual(not(tag('ignore')));
    expect(parsePlusBuildExpr('linux,,amd64')).toEqual(and(and(tag('linux'), tag('ignore')), tag('amd64')));
    expect(parsePlusBuildExpr('!!linux,amd64')).toEqual(and(tag('ignore'), tag('amd64')));
  });

  it('splits clauses on any Go white space (strings.Fields), not on U+FEFF', () => {
    expect(parsePlusBuildExpr('a\tb\u00a0c\u0085d\u3000e')).toEqual(or(or(or(or(tag('a'), tag('b')), tag('c')), tag('d')), tag('e')));
    expect(goFields(' a \u2003 b\v')).toEqual(['a', 'b']);
    // U+FEFF is no white space for Go: one word, an invalid tag.
    expect(goFields('a\ufeffb')).toEqual(['a\ufeffb']);
    expect(parsePlusBuildExpr('a\ufeffb')).toEqual(tag('ignore'));
  });

  it('rejects lines with more than 100 operators (newer go/build/constraint)', () => {
    const ors = Array.from({ length: 101 }, (_, i) => `t${i}`).join(' ');
    expect(exprTags(parsePlusBuildExpr(ors)).size).toBe(101);
    const tooMany = Array.from({ length: 102 }, (_, i) => `t${i}`).join(' ');
    expect(syntaxError(() => parsePlusBuildExpr(tooMany))?.reason).toBe('expression too complex for // +build lines');
    const ands = Array.from({ length: 102 }, (_, i) => `t${i}`).join(',');
    expect(syntaxError(() => parsePlusBuildExpr(ands))?.reason).toBe('expression too complex for // +build lines');
  });
});

describe('constraint lines (constraint.Parse, IsGoBuild, IsPlusBuild)', () => {
  it('follows go/build/constraint constraintTests', () => {
    const cases: [string, Expr | string][] = [
      ['//+build !', tag('ignore')],
      ['//+build', tag('ignore')],
      ['//+build x y', or(tag('x'), tag('y'))],
      ['// +build x y \n', or(tag('x'), tag('y'))],
      ['// +build x y \n ', 'not a build constraint'],
      ['// +build x y \nmore', 'not a build constraint'],
      [' //+build x y', 'not a build constraint'],
      ['//go:build x && y', and(tag('x'), tag('y'))],
      ['//go:build x && y\n', and(tag('x'), tag('y'))],
      ['//go:build x && y\n ', 'not a build constraint'],
      ['//go:build x && y\nmore', 'not a build constraint'],
      [' //go:build x && y', 'not a build constraint'],
      ['//go:build\n', 'unexpected end of expression'],
    ];
    for (const [line, want] of cases) {
      if (typeof want === 'string') expect(syntaxError(() => parseConstraintLine(line))?.reason, JSON.stringify(line)).toBe(want);
      else expect(parseConstraintLine(line), JSON.stringify(line)).toEqual(want);
    }
  });

  it('recognises //go:build only when followed by white space or nothing', () => {
    expect(splitGoBuild('//go:build linux')).toBe('linux');
    expect(splitGoBuild('//go:build\tlinux  ')).toBe('linux');
    expect(splitGoBuild('//go:build')).toBe('');
    expect(splitGoBuild('//go:build\u00a0linux')).toBe('linux');
    expect(splitGoBuild('//go:buildfoo')).toBeUndefined();
    expect(splitGoBuild('//go:build-linux')).toBeUndefined();
    expect(splitGoBuild('// go:build linux')).toBeUndefined();
    // U+FEFF is not white space for strings.TrimSpace.
    expect(splitGoBuild('//go:build\ufefflinux')).toBeUndefined();
  });

  it('recognises // +build with or without the space (constraint.IsPlusBuild)', () => {
    expect(splitPlusBuild('// +build linux')).toBe('linux');
    expect(splitPlusBuild('//+build linux')).toBe('linux');
    expect(splitPlusBuild('//\t+build\tlinux')).toBe('linux');
    expect(splitPlusBuild('//   +build')).toBe('');
    expect(splitPlusBuild('// +buildlinux')).toBeUndefined();
    expect(splitPlusBuild('// x +build linux')).toBeUndefined();
    expect(splitPlusBuild('/* +build linux */')).toBeUndefined();
    expect(splitPlusBuild('// +build\ufefflinux')).toBeUndefined();
  });

  it('trims Go white space only (strings.TrimSpace)', () => {
    expect(goTrimSpace('\t\v\f\r\n \u0085\u00a0\u2000x\u3000\u205f')).toBe('x');
    expect(goTrimSpace('\ufeffx\ufeff')).toBe('\ufeffx\ufeff');
  });
});

describe('file headers (go/build shouldBuild)', () => {
  const constraint = (src: string) => {
    const h = readHeader(src);
    return h.invalid ? `invalid: ${h.invalid}` : h.constraint ? exprString(h.constraint) : null;
  };

  it('reads //go:build before the package clause, blank line or not', () => {
    expect(constraint('//go:build linux && amd64\n\npackage p\n')).toBe('linux && amd64');
    expect(constraint('//go:build linux\npackage p\n')).toBe('linux');
    expect(constraint('// Copyright.\n\n//go:build linux\n\n// Package p.\npackage p\n')).toBe('linux');
    expect(constraint('/* block */\n//go:build linux\n\npackage p\n')).toBe('linux');
    expect(constraint('\t//go:build linux\n\npackage p\n')).toBe('linux');
  });

  it('ignores //go:build inside /* */, after the package clause, or not at the start of a line', () => {
    expect(constraint('/*\n//go:build linux\n*/\n\npackage p\n')).toBeNull();
    expect(constraint('/* x */ //go:build linux\n\npackage p\n')).toBeNull();
    expect(constraint('package p\n\n//go:build linux\n')).toBeNull();
    expect(constraint('//go:buildfoo\n\npackage p\n')).toBeNull();
    expect(constraint('// go:build linux\n\npackage p\n')).toBeNull();
    expect(constraint('//go:build\ufefflinux\n\npackage p\n')).toBeNull();
  });

  it('lets //go:build win over // +build, in either order', () => {
    expect(constraint('//go:build linux\n// +build windows\n\npackage p\n')).toBe('linux');
    expect(constraint('// +build windows\n//go:build !windows\n\npackage p\n')).toBe('!windows');
    expect(constraint('//go:build darwin\n// +build !!x\n\npackage p\n')).toBe('darwin');
    // An invalid //go:build line is an error, not a fall-back to +build.
    expect(constraint('//go:build linux ||\n// +build linux\n\npackage p\n')).toBe('invalid: parsing //go:build line: unexpected end of expression');
  });

  it('reports invalid //go:build lines as go/build does', () => {
    expect(constraint('//go:build linux\n//go:build linux\n\npackage p\n')).toBe('invalid: multiple //go:build comments');
    expect(constraint('//go:build\n\npackage p\n')).toBe('invalid: parsing //go:build line: unexpected end of expression');
    expect(constraint('//go:build !!linux\n\npackage p\n')).toBe('invalid: parsing //go:build line: double negation not allowed');
    expect(constraint('//go:build linux // note\n\npackage p\n')).toBe('invalid: parsing //go:build line: invalid syntax at /');
    // A second //go:build inside /* */ does not count.
    expect(constraint('//go:build linux\n/*\n//go:build windows\n*/\n\npackage p\n')).toBe('linux');
  });

  it('honours // +build only in the leading comment block, followed by a blank line', () => {
    expect(constraint('// +build linux darwin\n\npackage p\n')).toBe('linux || darwin');
    expect(constraint('// +build linux,amd64\n\npackage p\n')).toBe('linux && amd64');
    expect(constraint('// +build linux darwin\n// +build amd64\n\npackage p\n')).toBe('(linux || darwin) && amd64');
    expect(constraint('// +build linux\n\n// +build amd64\n\n// Doc.\npackage p\n')).toBe('linux && amd64');
    expect(constraint('// Copyright.\n\n// +build windows\n\n// Package p.\npackage p\n')).toBe('windows');
    expect(constraint('//+build windows\n\npackage p\n')).toBe('windows');
    expect(constraint('  // +build windows\n\npackage p\n')).toBe('windows');
    // Not followed by a blank line: part of the package doc comment.
    expect(constraint('// +build windows\npackage p\n')).toBeNull();
    expect(constraint('// +build windows\n// Package p.\npackage p\n')).toBeNull();
    // After a /* */ comment, inside one, or after the package clause.
    expect(constraint('/* c */\n\n// +build windows\n\npackage p\n')).toBeNull();
    expect(constraint('/*\n// +build windows\n*/\n\npackage p\n')).toBeNull();
    expect(constraint('package p\n\n// +build windows\n')).toBeNull();
    // CRLF line endings.
    expect(constraint('// +build windows\r\n\r\npackage p\r\n')).toBe('windows');
  });

  it('keeps the legacy quirks: !!x, lone !, invalid and empty lines mean "ignore"', () => {
    expect(constraint('// +build !!linux\n\npackage p\n')).toBe('ignore');
    expect(constraint('// +build !\n\npackage p\n')).toBe('ignore');
    expect(constraint('// +build linux-amd64\n\npackage p\n')).toBe('ignore');
    expect(constraint('// +build\n\npackage p\n')).toBe('ignore');
    expect(constraint('// +buildfoo linux\n\npackage p\n')).toBeNull();
    // A line with too many operators is skipped, the others still count.
    const huge = Array.from({ length: 102 }, (_, i) => `t${i}`).join(' ');
    expect(constraint(`// +build ${huge}\n// +build linux\n\npackage p\n`)).toBe('linux');
  });

  it('strips a leading byte order mark but no other U+FEFF', () => {
    expect(constraint('\ufeff//go:build linux\n\npackage p\n')).toBe('linux');
    expect(constraint('// c\n\ufeff// +build windows\n\npackage p\n')).toBeNull();
  });

  it('reads the package name, the imports and "C"', () => {
    const h = readHeader('// +build linux\n\npackage p\n\nimport (\n\t"fmt"\n\tc2 "C"\n)\n\nimport _ `os`\n');
    expect(h.pkgName).toBe('p');
    expect(h.imports.map((i) => [i.alias, i.path])).toEqual([[null, 'fmt'], ['c2', 'C'], ['_', 'os']]);
    expect(h.cgo).toBe(true);
    expect(readHeader('package p\n\nimport "fmt"\n').cgo).toBe(false);
    // Import paths are unquoted: "\x43" is "C".
    expect(readHeader('package p\n\nimport "\\x43"\n').cgo).toBe(true);
    expect(readHeader('package p\n\nimport "\\u0043"\n').cgo).toBe(true);
    expect(readHeader('package p\n\nimport "\\103"\n').cgo).toBe(true);
    expect(readHeader('package p\n\nimport "a\\tb"\n').imports[0]!.path).toBe('a\tb');
    expect(readHeader('package p\n\nimport "\\q"\n').syntaxError).toBeDefined();
  });

  it('rejects a NUL byte only where go/build reads it', () => {
    expect(readHeader('// \0\n\npackage p\n').invalid).toBe('unexpected NUL in input');
    expect(readHeader('package p\n\nimport "\0"\n').invalid).toBe('unexpected NUL in input');
    expect(readHeader('package p\n\nfunc f() {}\n// \0\n').invalid).toBeUndefined();
    // After a syntax error in the header, go/build reads to the end of the file…
    expect(readHeader('package p\n\nimport "fmt\n\nfunc f() {}\n// \0\n').invalid).toBe('unexpected NUL in input');
    // …but `package` followed by a keyword is no error for its import reader (only for the parser).
    expect(readHeader('package\n\nfunc f() {}\n// \0\n').invalid).toBeUndefined();
    expect(readHeader('pack\0\u0001').invalid).toBe('unexpected NUL in input');
  });
});

describe('file names (go/build goodOSArchFile)', () => {
  it('knows _GOOS, _GOARCH and _GOOS_GOARCH, with or without _test', () => {
    expect(fileNameTags('x_linux.go', 25)).toEqual(['linux']);
    expect(fileNameTags('x_amd64.go', 25)).toEqual(['amd64']);
    expect(fileNameTags('x_linux_amd64.go', 25)).toEqual(['linux', 'amd64']);
    expect(fileNameTags('x_windows_arm64_test.go', 25)).toEqual(['windows', 'arm64']);
    expect(fileNameTags('x_linux_test.go', 25)).toEqual(['linux']);
    expect(fileNameTags('x_test.go', 25)).toEqual([]);
    expect(fileNameTags('x_test_test.go', 25)).toEqual([]);
    expect(fileNameTags('a_b_c_darwin_386.go', 25)).toEqual(['darwin', '386']);
  });

  it('needs a prefix before the first _: linux.go has no constraint', () => {
    expect(fileNameTags('linux.go', 25)).toEqual([]);
    expect(fileNameTags('amd64.go', 25)).toEqual([]);
    expect(fileNameTags('linux_amd64.go', 25)).toEqual(['amd64']);
    expect(fileNameTags('linux_test.go', 25)).toEqual([]);
  });

  it('only knows GOOS and GOARCH names', () => {
    expect(fileNameTags('x_unix.go', 25)).toEqual([]);
    expect(fileNameTags('x_linx.go', 25)).toEqual([]);
    expect(fileNameTags('x_Linux.go', 25)).toEqual([]);
    expect(fileNameTags('x_linux_amd64_extra.go', 25)).toEqual([]);
    // GOARCH_GOOS is no pair: the last element alone decides.
    expect(fileNameTags('x_arm64_linux.go', 25)).toEqual(['linux']);
    expect(fileNameTags('x_test_linux.go', 25)).toEqual(['linux']);
    // Known names no target uses still constrain.
    expect(fileNameTags('x_nacl.go', 25)).toEqual(['nacl']);
    expect(fileNameTags('x_sparc64.go', 25)).toEqual(['sparc64']);
  });

  it('cuts the name at the first dot', () => {
    expect(fileNameTags('x_linux.pb.go', 25)).toEqual(['linux']);
    expect(fileNameTags('x.y_linux.go', 25)).toEqual([]);
  });

  it('knows wasip1 only from Go 1.21 on', () => {
    expect(fileNameTags('x_wasip1.go', 20)).toEqual([]);
    expect(fileNameTags('x_wasip1.go', 21)).toEqual(['wasip1']);
    expect(fileNameTags('x_wasip1_wasm.go', 19)).toEqual(['wasm']);
    expect(knownOS(19).has('wasip1')).toBe(false);
    expect(knownOS(19).has('hurd')).toBe(true);
  });
});

describe('tags (go/build matchTag)', () => {
  it('matches GOOS, GOARCH, the compiler and cgo', () => {
    const c = ctx('linux', 'arm64');
    expect(['linux', 'arm64', 'gc'].map((t) => matchTag(c, t))).toEqual([true, true, true]);
    expect(['windows', 'amd64', 'gccgo', 'cgo', 'ignore', ''].map((t) => matchTag(c, t))).toEqual([false, false, false, false, false, false]);
    expect(matchTag(ctx('linux', 'arm64', { cgo: true }), 'cgo')).toBe(true);
  });

  it('implies linux on android, darwin on ios, solaris on illumos (and not the reverse)', () => {
    expect(matchTag(ctx('android', 'arm64'), 'linux')).toBe(true);
    expect(matchTag(ctx('ios', 'arm64'), 'darwin')).toBe(true);
    expect(matchTag(ctx('illumos', 'amd64'), 'solaris')).toBe(true);
    expect(matchTag(ctx('linux', 'arm64'), 'android')).toBe(false);
    expect(matchTag(ctx('darwin', 'arm64'), 'ios')).toBe(false);
    expect(matchTag(ctx('solaris', 'amd64'), 'illumos')).toBe(false);
    // The file name rule goes through matchTag: x_linux.go is built on android.
    const ev = new ConstraintEvaluator(new Targets(parsePlatforms(['android/arm64,linux/amd64,ios/arm64,illumos/amd64'])), {
      cgo: false,
      tags: [],
      goMinor: 19,
    });
    const plain = readHeader('package p\n');
    expect(ev.targets.ids(ev.fileMask('x_linux.go', plain))).toEqual(['android/arm64', 'linux/amd64']);
    expect(ev.targets.ids(ev.fileMask('x_darwin.go', plain))).toEqual(['ios/arm64']);
    expect(ev.targets.ids(ev.fileMask('x_solaris.go', plain))).toEqual(['illumos/amd64']);
    expect(ev.targets.ids(ev.fileMask('x_android.go', plain))).toEqual(['android/arm64']);
  });

  it('matches unix on every Unix-like GOOS', () => {
    const unix = DIST_LIST.filter((p) => matchTag(ctx(p.split('/')[0]!, p.split('/')[1]!), 'unix')).map((p) => p.split('/')[0]);
    expect([...new Set(unix)].sort()).toEqual(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);
    for (const goos of ['windows', 'plan9', 'js', 'wasip1']) expect(matchTag(ctx(goos, 'amd64'), 'unix'), goos).toBe(false);
  });

  it('sets release tags go1.1 … go1.N, spelled without leading zeros', () => {
    const c = ctx('linux', 'amd64', { goMinor: 19 });
    expect(['go1.1', 'go1.9', 'go1.19'].map((t) => matchTag(c, t))).toEqual([true, true, true]);
    expect(['go1.20', 'go1.99', 'go1.0', 'go1.01', 'go1.019', 'go1', 'go2', 'go2.0', 'go1.1x'].map((t) => matchTag(c, t))).toEqual(
      Array(9).fill(false),
    );
  });

  it('takes user tags, which also satisfy GOOS names, cgo and unix', () => {
    const c = ctx('windows', 'amd64', { tags: ['foo', 'linux', 'cgo', 'unix'] });
    expect(['foo', 'linux', 'cgo', 'unix', 'bar'].map((t) => matchTag(c, t))).toEqual([true, true, true, true, false]);
    // boringcrypto is an alias of goexperiment.boringcrypto, even for -tags.
    expect(matchTag(ctx('linux', 'amd64', { tags: ['boringcrypto'] }), 'boringcrypto')).toBe(false);
    expect(matchTag(ctx('linux', 'amd64', { tags: ['goexperiment.boringcrypto'] }), 'boringcrypto')).toBe(true);
  });

  it('defines GOARCH feature tags from Go 1.20 on (arm64 and riscv64 from Go 1.23)', () => {
    expect(archFeatureTags('amd64', 19)).toEqual([]);
    expect(archFeatureTags('arm', 19)).toEqual([]);
    expect(archFeatureTags('amd64', 20)).toEqual(['amd64.v1']);
    expect(archFeatureTags('arm', 20)).toEqual(['arm.5', 'arm.6', 'arm.7']);
    expect(archFeatureTags('386', 20)).toEqual(['386.sse2']);
    expect(archFeatureTags('mipsle', 20)).toEqual(['mipsle.hardfloat']);
    expect(archFeatureTags('ppc64le', 20)).toEqual(['ppc64le.power8']);
    expect(archFeatureTags('arm64', 22)).toEqual([]);
    expect(archFeatureTags('arm64', 23)).toEqual(['arm64.v8.0']);
    expect(archFeatureTags('riscv64', 23)).toEqual(['riscv64.rva20u64']);
    expect(archFeatureTags('wasm', 25)).toEqual([]);
    expect(matchTag(ctx('linux', 'amd64', { goMinor: 19 }), 'amd64.v1')).toBe(false);
    expect(matchTag(ctx('linux', 'amd64', { goMinor: 20 }), 'amd64.v1')).toBe(true);
    expect(matchTag(ctx('linux', 'amd64', { goMinor: 25 }), 'amd64.v2')).toBe(false);
    expect(matchTag(ctx('linux', 'arm', { goMinor: 25 }), 'arm.8')).toBe(false);
  });
});

describe('file sets per platform (ConstraintEvaluator, classifyDir)', () => {
  const targets = new Targets(parsePlatforms(['linux/amd64,windows/amd64,darwin/arm64']));
  const evaluator = (o: { cgo?: boolean; tags?: string[]; goMinor?: number } = {}) =>
    new ConstraintEvaluator(targets, { cgo: o.cgo ?? false, tags: o.tags ?? [], goMinor: o.goMinor ?? 19 });

  it('ANDs the file name and the build constraint', () => {
    const ev = evaluator();
    expect(targets.ids(ev.fileMask('x_linux.go', readHeader('//go:build arm64 || amd64\n\npackage p\n')))).toEqual(['linux/amd64']);
    expect(targets.ids(ev.fileMask('x_windows.go', readHeader('//go:build !windows\n\npackage p\n')))).toEqual([]);
    expect(targets.ids(ev.fileMask('x.go', readHeader('//go:build ignore\n\npackage p\n')))).toEqual([]);
    expect(targets.ids(ev.fileMask('x.go', readHeader('//go:build linux &&\n\npackage p\n')))).toEqual([]);
  });

  it('needs cgo for files importing "C", except _test.go files (go/build keeps those)', () => {
    const cgoFile = readHeader('package p\n\nimport "C"\n');
    expect(targets.ids(evaluator().fileMask('c.go', cgoFile))).toEqual([]);
    expect(targets.ids(evaluator({ cgo: true }).fileMask('c.go', cgoFile))).toEqual(targets.ids(targets.all));
    // Same header, test file: kept without cgo (go/build reports "use of cgo in test").
    expect(targets.ids(evaluator().fileMask('c_test.go', cgoFile))).toEqual(targets.ids(targets.all));
    expect(targets.ids(evaluator().fileMask('c_windows_test.go', cgoFile))).toEqual(['windows/amd64']);
    // -tags cgo satisfies the tag, not the need for cgo.
    expect(targets.ids(evaluator({ tags: ['cgo'] }).fileMask('c.go', cgoFile))).toEqual([]);
    expect(targets.ids(evaluator({ tags: ['cgo'] }).fileMask('t.go', readHeader('//go:build cgo\n\npackage p\n')))).toEqual(targets.ids(targets.all));
  });

  const file = (name: string, src: string): ClassifiedFile => ({
    name,
    header: readHeader(src),
    mask: targets.all,
    isTest: name.endsWith('_test.go'),
  });

  it('splits package, in-package tests and external tests; ignores package documentation', () => {
    const { lib, xtest, conflicts } = classifyDir(
      [
        file('a_test.go', 'package p_test\n'),
        file('b.go', 'package p\n'),
        file('b_test.go', 'package p\n'),
        file('doc.go', 'package documentation\n'),
      ],
      targets,
    );
    expect(conflicts).toEqual([]);
    expect(lib.name).toBe('p');
    expect(lib.files.map((f) => f.index)).toEqual([1, 2]);
    expect(xtest.name).toBe('p_test');
    expect(xtest.files.map((f) => f.index)).toEqual([0]);
  });

  it('reports two packages in one directory', () => {
    const { conflicts } = classifyDir([file('a.go', 'package a\n'), file('b.go', 'package b\n')], targets);
    expect(conflicts).toEqual(['found packages a and b in the same directory (b.go)']);
  });
});

describe('--platforms (parsePlatforms) and Targets', () => {
  const ids = (specs: string[]) => parsePlatforms(specs).map((p) => p.id);

  it('expands presets, lists and patterns, in order, without duplicates', () => {
    expect(ids(['kubernetes'])).toEqual([...KUBERNETES]);
    expect(ids(['all'])).toEqual(distListOf(NEWEST_GO_MINOR));
    expect(ids(['linux/arm64, windows/amd64', 'linux/arm64'])).toEqual(['linux/arm64', 'windows/amd64']);
    expect(ids(['windows/*'])).toEqual(['windows/386', 'windows/amd64', 'windows/arm64']);
    expect(parsePlatforms(['*/riscv64'], 25).map((p) => p.id)).toEqual(['freebsd/riscv64', 'linux/riscv64', 'openbsd/riscv64']);
    expect(ids(['linux/mips*'])).toEqual(['linux/mips', 'linux/mips64', 'linux/mips64le', 'linux/mipsle']);
    expect(ids(['plan9/?86'])).toEqual(['plan9/386']);
    const p = parsePlatforms(['js/wasm'])[0]!;
    expect([p.goos, p.goarch, p.id]).toEqual(['js', 'wasm', 'js/wasm']);
  });

  it('rejects what `go tool dist list` does not have', () => {
    expect(() => ids(['linux/foo'])).toThrow(PlatformError);
    expect(() => ids(['linux/foo'])).toThrow(/unknown platform "linux\/foo"/);
    expect(() => ids(['windows/arm'])).toThrow(/"windows\/arm" is not a port of Go 1\.\d+ .*a port of Go 1\.19–1\.23/);
    expect(() => ids(['linux'])).toThrow(/unknown platform or preset "linux"/);
    expect(() => ids(['foo/*'])).toThrow(/matches no GOOS\/GOARCH pair/);
    expect(() => ids(['', ' , '])).toThrow(/no target platforms given/);
  });

  it('compacts full GOOS groups and the full list (Targets.compact)', () => {
    const t = new Targets(parsePlatforms(['linux/amd64,linux/arm64,windows/amd64,windows/arm64,darwin/arm64']));
    expect(t.compact(['linux/amd64', 'linux/arm64', 'windows/amd64', 'windows/arm64', 'darwin/arm64'])).toEqual(['*']);
    expect(t.compact(['windows/amd64', 'windows/arm64', 'linux/amd64'])).toEqual(['windows/*', 'linux/amd64']);
    // A GOOS with a single target arch stays explicit.
    expect(t.compact(['darwin/arm64', 'linux/arm64'])).toEqual(['darwin/arm64', 'linux/arm64']);
    expect(new Targets(parsePlatforms(['linux/amd64'])).compact(['linux/amd64'])).toEqual(['linux/amd64']);
    expect(t.compact([])).toEqual([]);
  });

  it('maps ids to mask bits and back', () => {
    const t = new Targets(parsePlatforms(['linux/amd64,windows/amd64,darwin/arm64']));
    const m = t.bit('windows/amd64') | t.bit('darwin/arm64');
    expect(t.ids(m)).toEqual(['windows/amd64', 'darwin/arm64']);
    expect(t.bit('plan9/386')).toBe(0n);
    expect(t.ids(t.all)).toHaveLength(3);
    expect(t.ids(t.maskOf((p) => p.goarch === 'amd64'))).toEqual(['linux/amd64', 'windows/amd64']);
  });
});

describe('goport files: directory-level rules', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-constraints-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
  };

  async function files(argv: string[]) {
    let stdout = '';
    await main(['files', './...', '--format', 'json', '--go-version', '1.19', ...argv], {
      stdout: (s) => (stdout += s),
      stderr: () => {},
      cwd: tmp,
      isTTY: false,
      env: {},
    });
    const r = JSON.parse(stdout) as { packages: { dir: string; files: Record<string, string[]> }[]; errors: { file: string; message: string }[] };
    return { byDir: Object.fromEntries(r.packages.map((p) => [p.dir, p.files])), errors: r.errors };
  }

  it('lists a file with a NUL byte after its header (go/build only reads the header), not one with a NUL inside it', async () => {
    write('go.mod', 'module example.com/t\n\ngo 1.19\n');
    write('nul/a.go', 'package nul\n');
    write('nul/body.go', 'package nul\n\nfunc f() {}\n\n// \0\n');
    write('nul/head.go', '// \0\n\npackage nul\n');
    write('skip/_x.go', 'package skip\n');
    write('skip/.y.go', 'package skip\n');
    write('skip/z.go', 'package skip\n');
    write('skip/testdata/t.go', 'package t\n');
    write('skip/vendor/v/v.go', 'package v\n');
    write('skip/_u/u.go', 'package u\n');
    const { byDir, errors } = await files(['--platforms', 'linux/amd64']);
    expect(byDir['nul']).toEqual({ 'linux/amd64': ['a.go', 'body.go'] });
    expect(byDir['skip']).toEqual({ 'linux/amd64': ['z.go'] });
    expect(Object.keys(byDir).sort()).toEqual(['nul', 'skip']);
    // Both NUL files are reported: one cannot be analyzed, the other is dropped by go/build.
    expect(errors.map((e) => e.file).sort()).toEqual(['nul/body.go', 'nul/head.go']);
  });

  it('lists test files only with --tests (default) and cgo files only with --cgo', async () => {
    write('t/a.go', 'package t\n');
    write('t/a_test.go', 'package t\n');
    write('t/x_test.go', 'package t_test\n');
    write('t/c.go', 'package t\n\nimport "C"\n');
    expect((await files(['--platforms', 'linux/amd64'])).byDir['t']).toEqual({ 'linux/amd64': ['a.go', 'a_test.go', 'x_test.go'] });
    expect((await files(['--platforms', 'linux/amd64', '--tests=false'])).byDir['t']).toEqual({ 'linux/amd64': ['a.go'] });
    expect((await files(['--platforms', 'linux/amd64', '--cgo'])).byDir['t']).toEqual({ 'linux/amd64': ['a.go', 'a_test.go', 'c.go', 'x_test.go'] });
  });

  it('uses --go-version for release tags, feature tags and known GOOS names', async () => {
    write('v/a.go', 'package v\n');
    write('v/b.go', '//go:build go1.21\n\npackage v\n');
    write('v/c.go', '//go:build amd64.v1\n\npackage v\n');
    write('v/x_wasip1.go', 'package v\n');
    const at = async (v: string) => (await files(['--platforms', 'linux/amd64', '--go-version', v])).byDir['v']!['linux/amd64'];
    expect(await at('1.19')).toEqual(['a.go', 'x_wasip1.go']);
    expect(await at('1.20')).toEqual(['a.go', 'c.go', 'x_wasip1.go']);
    expect(await at('go1.21.3')).toEqual(['a.go', 'b.go', 'c.go']);
  });
});
