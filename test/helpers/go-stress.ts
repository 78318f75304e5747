/**
 * Generated Go modules for the build-constraint conformance tests: a seeded pseudo-random stress
 * module (thousands of files with every kind of constraint and file name) and a small module of
 * hand-written edge cases that cannot live under fixtures/ (they make go/build or goport report
 * errors: invalid //go:build lines, NUL bytes, cgo in tests, stray byte order marks).
 */
import fs from 'node:fs';
import path from 'node:path';

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly r: () => number) {}
  chance(p: number): boolean {
    return this.r() < p;
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** Picks by weight: [[weight, value], …]. */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    const total = xs.reduce((a, [w]) => a + w, 0);
    let x = this.r() * total;
    for (const [w, v] of xs) {
      if ((x -= w) < 0) return v;
    }
    return xs[xs.length - 1]![1];
  }
}

const OS = [
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
];
const COMMON_OS = ['linux', 'windows', 'darwin', 'android', 'ios', 'freebsd', 'openbsd', 'plan9', 'js', 'solaris', 'illumos'];
const ARCH = [
  '386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mips64', 'mips64le', 'mipsle', 'ppc64', 'ppc64le',
  'riscv64', 's390x', 'wasm', 'sparc64', 'amd64p32', 'riscv',
];
const COMMON_ARCH = ['386', 'amd64', 'arm', 'arm64', 'wasm', 'mips64le', 'ppc64le', 's390x', 'riscv64'];
const SPECIAL = ['unix', 'cgo', 'ignore', 'gc', 'gccgo', 'boringcrypto'];
const RELEASE = ['go1.1', 'go1.5', 'go1.17', 'go1.18', 'go1.19', 'go1.20', 'go1.21', 'go1.25', 'go1.99', 'go1.0', 'go1.01', 'go1.019', 'go1', 'go2', 'go1.1x'];
const USER = ['foo', 'bar', 'baz'];
/** GOARCH feature tags (Go ≥ 1.20 defines the defaults; go1.19 none). */
const FEATURE = [
  'amd64.v1', 'amd64.v2', 'amd64.v3', 'arm.5', 'arm.6', 'arm.7', '386.sse2', '386.softfloat', 'mips.hardfloat',
  'mipsle.softfloat', 'mips64.hardfloat', 'mips64le.hardfloat', 'ppc64.power8', 'ppc64le.power8', 'ppc64.power9',
  'riscv64.rva20u64', 'riscv64.rva22u64', 'arm64.v8.0', 'arm64.v9.0', 'wasm.satconv',
];
const ODD = ['ñ', 'x_y', 'a.b', 'Linux', 'AMD64', '_'];

function tag(g: Gen): string {
  return g.weighted<() => string>([
    [30, () => g.pick(COMMON_OS)],
    [8, () => g.pick(OS)],
    [22, () => g.pick(COMMON_ARCH)],
    [6, () => g.pick(ARCH)],
    [10, () => g.pick(SPECIAL)],
    [7, () => g.pick(RELEASE)],
    [7, () => g.pick(USER)],
    [7, () => g.pick(FEATURE)],
    [2, () => g.pick(ODD)],
  ])();
}

function sp(g: Gen): string {
  return g.weighted([[6, ' '], [2, ''], [1, '  '], [1, '\t']]);
}

/** A syntactically valid //go:build expression. */
function goBuildExpr(g: Gen, depth: number): string {
  if (depth <= 0 || g.chance(0.3)) return g.chance(0.25) ? `!${g.chance(0.2) ? sp(g) : ''}${tag(g)}` : tag(g);
  if (g.chance(0.15)) return `!${sp(g).trim()}(${sp(g)}${goBuildExpr(g, depth - 1)}${sp(g)})`;
  const op = g.chance(0.5) ? '&&' : '||';
  const n = 2 + g.int(2);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const sub = goBuildExpr(g, depth - 1);
    // Unparenthesised mixes of && and || test precedence; parentheses test grouping.
    parts.push(g.chance(0.45) ? `(${sub})` : sub);
  }
  return parts.join(`${sp(g)}${op}${sp(g)}`);
}

const BAD_EXPRS = [
  'linux &&', '(linux', 'linux)', '!!linux', '! !linux', 'linux & amd64', 'linux | amd64', 'linux amd64',
  '&& linux', 'linux // comment', 'linux,amd64', 'linux-amd64', '(linux || darwin', '!', '()', 'lin#ux',
  '|| linux', 'linux ||', '(!)', 'a && (b || (c && !))',
];

/** One literal of a `// +build` clause, sometimes one go/build ignores. */
function plusLiteral(g: Gen): string {
  return g.weighted<() => string>([
    [70, () => tag(g)],
    [20, () => `!${tag(g)}`],
    [2, () => `!!${tag(g)}`],
    [1, () => '!'],
    [2, () => g.pick(['linux-amd64', 'a/b', 'x=y', 'go1.2*', 'lin#ux'])],
    [1, () => ''],
  ])();
}

function plusBuildLine(g: Gen): string {
  const special = g.weighted<string | null>([
    [94, null],
    [1, '// +build'],
    [1, '//+build'],
    [1, `// +buildlinux`],
    [1, `// +build\u00a0windows`],
    [1, `//  +build  linux,amd64   darwin  `],
    [1, `// +build linux darwin // trailing words are tags`],
  ]);
  if (special !== null) return special;
  const clauses: string[] = [];
  const n = 1 + g.int(3);
  for (let i = 0; i < n; i++) {
    const lits: string[] = [];
    const m = 1 + (g.chance(0.4) ? g.int(3) : 0);
    for (let j = 0; j < m; j++) lits.push(plusLiteral(g));
    clauses.push(lits.join(','));
  }
  const prefix = g.weighted([[8, '// +build '], [1, '//+build '], [1, '//\t+build\t'], [1, '//  +build ']]);
  return indent(g) + prefix + clauses.join(g.weighted([[8, ' '], [1, '  '], [1, '\t']])) + g.weighted([[9, ''], [1, ' '], [1, '\t']]);
}

function goBuildLine(g: Gen): string {
  const prefix = g.weighted([[12, '//go:build '], [1, '//go:build\t'], [1, '//go:build  ']]);
  return indent(g) + prefix + goBuildExpr(g, 1 + g.int(3)) + g.weighted([[9, ''], [1, ' '], [1, '\t']]);
}

/** Constraint lines may be indented: go/build trims each line. */
function indent(g: Gen): string {
  return g.weighted([[30, ''], [1, ' '], [1, '\t']]);
}

const COMMENTS = ['// Copyright 2024 The Authors. All rights reserved.', '// Some notes.', '// +build is not this line', '//go:generate echo hi'];

/** The lines before the package clause and the body after it. */
function header(g: Gen): { head: string[]; afterPackage: string[] } {
  const head: string[] = [];
  const afterPackage: string[] = [];
  const leading = () => {
    if (g.chance(0.2)) head.push(g.pick(COMMENTS), '');
    if (g.chance(0.05)) head.push('');
  };
  const doc = () => {
    if (g.chance(0.25)) head.push('', `// Package doc comment.`);
    else head.push('');
  };
  const kind = g.weighted<string>([
    [14, 'none'], [30, 'gobuild'], [20, 'plus'], [10, 'both'], [4, 'badexpr'], [3, 'twogobuild'],
    [3, 'inblock'], [3, 'afterpkg'], [2, 'buildfoo'], [3, 'plusnoblank'], [3, 'plusafterblock'],
    [2, 'plusdoc'], [2, 'gobuildafterblock'], [1, 'emptygobuild'],
  ]);
  switch (kind) {
    case 'none':
      leading();
      break;
    case 'gobuild':
      leading();
      head.push(goBuildLine(g));
      if (g.chance(0.9)) doc();
      break;
    case 'plus': {
      leading();
      const n = 1 + g.int(3);
      for (let i = 0; i < n; i++) {
        head.push(plusBuildLine(g));
        if (g.chance(0.15)) head.push(g.chance(0.5) ? '' : g.pick(COMMENTS));
      }
      doc();
      break;
    }
    case 'both': {
      leading();
      const lines = [goBuildLine(g), plusBuildLine(g)];
      if (g.chance(0.3)) lines.push(plusBuildLine(g));
      if (g.chance(0.3)) lines.reverse();
      head.push(...lines);
      doc();
      break;
    }
    case 'badexpr':
      leading();
      head.push(`//go:build ${g.pick(BAD_EXPRS)}`, '');
      break;
    case 'twogobuild':
      head.push(goBuildLine(g), g.chance(0.5) ? '' : '// between', goBuildLine(g), '');
      break;
    case 'inblock':
      head.push('/*', g.chance(0.5) ? goBuildLine(g) : plusBuildLine(g), '*/', '');
      break;
    case 'afterpkg':
      afterPackage.push('', g.chance(0.5) ? goBuildLine(g) : plusBuildLine(g), '');
      break;
    case 'buildfoo':
      head.push(g.pick(['//go:buildfoo', '//go:build-linux', '// go:build linux', '//go:builds linux']), '');
      break;
    case 'plusnoblank':
      // A +build line not followed by a blank line is a doc comment line: ignored.
      head.push(plusBuildLine(g));
      break;
    case 'plusafterblock':
      head.push('/* block comment */', '', plusBuildLine(g), '');
      break;
    case 'plusdoc':
      head.push(plusBuildLine(g), '// Package doc right below.');
      break;
    case 'gobuildafterblock':
      head.push(g.chance(0.5) ? '/* block */' : '/*\n   multi-line block\n*/', g.chance(0.5) ? '' : '// note', goBuildLine(g), '');
      break;
    case 'emptygobuild':
      head.push('//go:build', '');
      break;
  }
  return { head, afterPackage };
}

const SUFFIXES = [
  '_linux', '_windows', '_darwin', '_amd64', '_arm64', '_386', '_arm', '_wasm', '_windows_arm64', '_linux_amd64',
  '_linux_arm', '_darwin_arm64', '_js_wasm', '_plan9_386', '_freebsd_riscv64', '_linux_loong64', '_aix_ppc64',
  '_android', '_ios', '_illumos', '_solaris', '_unix', '_linx', '_wasip1', '_wasip1_wasm', '_nacl', '_zos', '_hurd',
  '_amd64p32', '_sparc64', '_riscv', '_arm64_linux', '_linux_windows', '_openbsd_mips64', '_windows_arm', '_ppc64le',
  '_s390x', '_mips64le', '_dragonfly_amd64', '_netbsd', '_test_linux', '_Linux', '_linux_amd64_extra', '_other',
];
const WORDS = ['a', 'conn', 'util', 'zz', 'file', 'm', 'sys', 'impl', 'b_c'];
const BARE = ['linux', 'windows', 'amd64', 'linux_amd64', 'darwin_arm64', 'test', 'unix', 'js_wasm', 'android', 'x'];

function fileName(g: Gen, i: number): string {
  let base = g.chance(0.06) ? g.pick(BARE) : `${g.pick(WORDS)}${i}`;
  if (g.chance(0.65)) base += g.pick(SUFFIXES);
  if (g.chance(0.3)) base += '_test';
  if (g.chance(0.03)) base += g.pick(['.pb', '.gen', '_linux.x']);
  return `${base}.go`;
}

export interface StressModule {
  dirs: number;
  files: number;
  seed: number;
}

/**
 * Writes the stress module: go.mod plus `dirs` package directories with `files` files in all.
 * Every file is valid Go (comments aside, only a package clause, maybe `import "C"` and an init
 * function), and all the files of a directory declare the same package (or its _test package).
 */
export function writeStressModule(root: string, opts: { seed: number; files: number; dirs: number }): StressModule {
  const g = new Gen(rng(opts.seed));
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/stress\n\ngo 1.19\n');
  const dirNames: string[] = [];
  for (let d = 0; d < opts.dirs; d++) {
    const name = `p${String(d).padStart(2, '0')}`;
    // Some nesting, including a package directory inside another one.
    dirNames.push(d % 7 === 3 ? `internal/${name}` : d % 11 === 5 && d > 0 ? `${dirNames[d - 1]}/${name}` : name);
  }
  let written = 0;
  for (let d = 0; d < opts.dirs; d++) {
    const rel = dirNames[d]!;
    const pkg = path.basename(rel);
    const dir = path.join(root, rel);
    fs.mkdirSync(dir, { recursive: true });
    const count = Math.floor(opts.files / opts.dirs) + (d < opts.files % opts.dirs ? 1 : 0);
    const used = new Set<string>();
    for (let i = 0; written < opts.files && i < count; i++) {
      let name = fileName(g, i);
      while (used.has(name)) name = fileName(g, i + 1000 * (1 + g.int(1000)));
      used.add(name);
      const isTest = name.endsWith('_test.go');
      const { head, afterPackage } = header(g);
      let pkgName = pkg;
      if (isTest && g.chance(0.35)) pkgName = `${pkg}_test`;
      else if (g.chance(0.01)) pkgName = 'documentation';
      else if (!isTest && g.chance(0.004)) pkgName = `${pkg}_test`;
      const lines = [...head];
      lines.push(g.chance(0.05) ? `package ${pkgName} // trailing comment` : g.chance(0.03) ? `/* lead */ package ${pkgName}` : `package ${pkgName}`);
      lines.push(...afterPackage);
      if (!isTest && g.chance(0.08)) lines.push('', g.chance(0.5) ? '// #include <stdlib.h>' : '', 'import "C"');
      else if (isTest && g.chance(0.01)) lines.push('', 'import "C"');
      lines.push(g.weighted([[5, ''], [2, '\nfunc init() {}'], [1, '\n// +build ignore'], [1, '\n//go:build ignore'], [1, '\n/* tail */']]));
      let text = lines.join('\n') + '\n';
      if (g.chance(0.03)) text = text.replace(/\n/g, '\r\n');
      if (g.chance(0.02)) text = '\ufeff' + text;
      fs.writeFileSync(path.join(dir, name), text);
      written++;
    }
    // A few names go/build never reads.
    if (d % 10 === 0) {
      fs.writeFileSync(path.join(dir, `_skipped.go`), `package other\n`);
      fs.writeFileSync(path.join(dir, `.hidden.go`), `package other\n`);
    }
  }
  fs.mkdirSync(path.join(root, 'testdata'), { recursive: true });
  fs.writeFileSync(path.join(root, 'testdata', 'x.go'), 'package testdata\n');
  fs.mkdirSync(path.join(root, 'vendor', 'example.com', 'v'), { recursive: true });
  fs.writeFileSync(path.join(root, 'vendor', 'example.com', 'v', 'v.go'), 'package v\n');
  return { dirs: opts.dirs, files: written, seed: opts.seed };
}

/**
 * Hand-written edge cases go/build handles in ways worth pinning, each in its own directory.
 * They are not valid Go everywhere (NUL bytes, stray byte order marks), or make go/build report
 * errors, so they live in a temp module, not under fixtures/.
 */
export const EDGE_CASES: Record<string, Record<string, string | Buffer>> = {
  // A nested module (its own go.mod) and a package below it: `./...` of the outer module, in go list
  // and goport alike, does not enter it. vendor/ of the outer module with a go.mod inside stays skipped.
  nested: { 'go.mod': 'module example.com/nested\n\ngo 1.19\n', 'n.go': 'package nested\n' },
  'nested/deeper': { 'd.go': 'package deeper\n' },
  'nested/vendor/example.com/v': { 'go.mod': 'module example.com/v\n', 'v.go': 'package v\n' },
  notnested: { 'go.mod.txt': 'module example.com/not\n', 'a.go': 'package notnested\n' },
  // go/build keeps a _test.go file that imports "C" in TestGoFiles even without cgo
  // (and reports "use of cgo in test … not supported"); cgo-disabled filtering is for non-test files.
  cgotest: { 'a.go': 'package cgotest\n', 'c_test.go': 'package cgotest\n\nimport "C"\n', 'x_test.go': 'package cgotest_test\n\nimport "C"\n' },
  cgotestonly: { 'c_test.go': 'package cgotestonly\n\nimport "C"\n' },
  cgotestdoc: { 'doc.go': 'package documentation\n', 'c_test.go': 'package cgotestdoc\n\nimport "C"\n' },
  cgotestlinux: { 'a.go': '//go:build linux\n\npackage cgotestlinux\n', 'c_windows_test.go': 'package cgotestlinux\n\nimport "C"\n' },
  // go/build reads only the header; a NUL byte after it does not drop the file.
  nulbody: { 'a.go': 'package nulbody\n', 'nul.go': 'package nulbody\n\nfunc f() {}\n\n// \0\n' },
  // A NUL byte in the header: "unexpected NUL in input", the file is dropped.
  nulheader: { 'a.go': 'package nulheader\n', 'nul.go': '// \0\n\npackage nulheader\n', 'imp.go': 'package nulheader\n\nimport "\0"\n' },
  // After a syntax error in the header go/build reads the whole file: a NUL anywhere drops it.
  // (`package` then a keyword is no syntax error for that reader: pkgfunc.go stays.)
  nulsyntax: {
    'a.go': 'package nulsyntax\n',
    'bin.go': 'pack\0\u0001\n',
    'late.go': 'package nulsyntax\n\nimport "fmt\n\nfunc f() {}\n// \0\n',
    'pkgfunc.go': 'package\n\nfunc f() {}\n// \0\n',
  },
  // U+FEFF is not white space for Go's strings.TrimSpace: no constraint here.
  feffgobuild: { 'a.go': 'package feffgobuild\n', 'f.go': '//go:build\ufefflinux\n\npackage feffgobuild\n' },
  feffplus: { 'a.go': 'package feffplus\n', 'f.go': '// +build\ufeffwindows\n\npackage feffplus\n' },
  feffleading: { 'a.go': 'package feffleading\n', 'f.go': '// c\n\ufeff// +build windows\n\npackage feffleading\n' },
  // U+00A0 and U+0085 are white space for Go: these are constraint lines.
  nbsp: { 'a.go': 'package nbsp\n', 'f.go': '//go:build\u00a0linux\n\npackage nbsp\n', 'g.go': '// +build\u0085windows\u00a0darwin\n\npackage nbsp\n' },
  multigobuild: { 'a.go': 'package multigobuild\n', 'm.go': '//go:build linux\n//go:build linux\n\npackage multigobuild\n' },
  multigobuildblock: { 'a.go': 'package multigobuildblock\n', 'm.go': '//go:build linux\n/*\n//go:build windows\n*/\n\npackage multigobuildblock\n' },
  badexpr: {
    'a.go': 'package badexpr\n',
    'b.go': '//go:build linux &&\n\npackage badexpr\n',
    'c.go': '//go:build !!linux\n\npackage badexpr\n',
    'd.go': '//go:build (linux\n\npackage badexpr\n',
    'e.go': '//go:build\n\npackage badexpr\n',
    'f.go': '//go:build linux // comment\n\npackage badexpr\n',
    // An invalid //go:build line is not rescued by a valid +build line.
    'g.go': '//go:build linux ||\n// +build linux\n\npackage badexpr\n',
  },
  onlybad: { 'b.go': '//go:build linux &&\n\npackage onlybad\n' },
  syntaxerr: { 'a.go': 'package syntaxerr\n', 's.go': '//go:build linux\n\npackage syntaxerr\n\nimport "fmt\n' },
  crlf: { 'a.go': '// +build windows\r\n\r\npackage crlf\r\n', 'b.go': '//go:build linux\r\n\r\npackage crlf\r\n' },
  bom: { 'a.go': '\ufeff//go:build linux\n\npackage bom\n', 'b.go': '\ufeff// +build windows\n\npackage bom\n' },
  release: {
    'a.go': 'package release\n',
    'b.go': '//go:build go1.01\n\npackage release\n',
    'c.go': '//go:build go1.1\n\npackage release\n',
    'd.go': '//go:build go1.0\n\npackage release\n',
    'e.go': '// +build go1.019\n\npackage release\n',
  },
  // go/build unquotes import paths: "\x43" is "C".
  escapedc: { 'a.go': 'package escapedc\n', 'c.go': 'package escapedc\n\nimport "\\x43"\n', 'd.go': 'package escapedc\n\nimport c2 `C`\n' },
  // Invalid UTF-8 in a tag: U+FFFD is no letter. Bytes, not text (latin1 keeps \xff a byte).
  badutf8: {
    'a.go': 'package badutf8\n',
    'b.go': Buffer.from('//go:build linux || lin\xffux\n\npackage badutf8\n', 'latin1'),
    'c.go': Buffer.from('// +build lin\xffux windows\n\npackage badutf8\n', 'latin1'),
  },
  // Constraint lines may be indented.
  indented: { 'a.go': 'package indented\n', 'b.go': '\t//go:build windows\n\npackage indented\n', 'c.go': '   // +build windows\n\npackage indented\n' },
  // With -tags linux,cgo (see the conformance test) a user tag satisfies file names and cgo
  // constraints, but files importing "C" still need CGO_ENABLED=1.
  usertags: {
    'a.go': 'package usertags\n',
    'x_linux.go': 'package usertags\n',
    'cg.go': '//go:build cgo\n\npackage usertags\n',
    'c.go': 'package usertags\n\nimport "C"\n',
    'i.go': '//go:build ignore && unix\n\npackage usertags\n',
  },
  onlydoc: { 'doc.go': 'package documentation\n' },
  onlyxtest: { 'a_test.go': 'package onlyxtest_test\n' },
  ordering: { 'a_test.go': 'package ordering_test\n', 'b.go': 'package ordering\n', 'c_test.go': 'package ordering\n' },
};

/**
 * Edge cases whose go/build verdict changed in a later release, which goport does not follow yet:
 * from Go 1.26 a header syntax error no longer makes go/build read the whole file, so a NUL byte
 * after it no longer drops the file (go list keeps nulsyntax/late.go and reports the syntax error).
 */
export const EDGE_CASES_BEFORE: Readonly<Record<string, number>> = { 'nulsyntax/late.go': 26 };

/** Writes the edge-case module; `goMinor` leaves out the cases of EDGE_CASES_BEFORE that release changed. */
export function writeEdgeModule(root: string, goMinor = 19): number {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/edge\n\ngo 1.19\n');
  let n = 0;
  for (const [dir, files] of Object.entries(EDGE_CASES)) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      if (goMinor >= (EDGE_CASES_BEFORE[`${dir}/${name}`] ?? Infinity)) continue;
      fs.writeFileSync(path.join(root, dir, name), text);
      n++;
    }
  }
  return n;
}
