/**
 * The header facts build-constraint reads: `buildComments` lists constraint-like `//` lines before
 * the first declaration (near misses, and lines after the package clause that go/build ignores),
 * without changing what go/build honours.
 */
import { describe, expect, it } from 'vitest';
import { readHeader } from '../src/constraints/header.js';

describe('readHeader buildComments', () => {
  it('is absent when there is nothing constraint-like', () => {
    const h = readHeader('// Package p does things.\npackage p\n\nimport "os"\n\nvar _ = os.Args\n');
    expect(h.buildComments).toBeUndefined();
  });

  it('lists valid lines, near misses and late lines with their line numbers', () => {
    const src = [
      '// + build linux', //             1: near miss, ignored by Go
      '//go:build linux', //             2: honoured
      '', //                             3
      'package p', //                    4
      '', //                             5
      '// +build windows', //            6: after the package clause
      '//go: build darwin', //           7
      'import "os"', //                  8
      '//go:biuld plan9', //             9: before the first declaration
      'var _ = os.Args', //             10
      '// +build late', //              11: after a declaration: not read
    ].join('\n');
    const h = readHeader(src);
    expect(h.buildComments).toEqual([
      { text: '// + build linux', line: 1 },
      { text: '//go:build linux', line: 2 },
      { text: '// +build windows', line: 6 },
      { text: '//go: build darwin', line: 7 },
      { text: '//go:biuld plan9', line: 9 },
    ]);
    // What go/build honours is unchanged.
    expect(h.goBuild).toEqual({ text: '//go:build linux', line: 2 });
    expect(h.plusBuild).toEqual([]);
  });

  it('ignores other directives and prose', () => {
    const h = readHeader('//go:generate go run gen.go\n// +kubebuilder:object:generate=true\n// go build ./...\n\npackage p\n');
    expect(h.buildComments).toBeUndefined();
  });
});
