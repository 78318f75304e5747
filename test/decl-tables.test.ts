/**
 * The std declaration tables (src/types/decl-tables.ts, data/decls/): what a table keeps of a file,
 * the packed form, the bundled set, and regeneration from Go source: byte for byte (the JSON text)
 * for Go 1.19.8 when `go env GOROOT` is that release (CI), for Go 1.27.4 from /usr/lib/go-1.27 when
 * present.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isStdPath } from '../src/apiindex/std.js';
import { readHeader } from '../src/constraints/header.js';
import { ConstraintEvaluator } from '../src/constraints/fileset.js';
import { parseGoFile } from '../src/parser/parse.js';
import { SyntaxView } from '../src/parser/syntax-table.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { bundledDecls, DECL_EXCLUDE, DECL_PACKAGES, declsDir } from '../src/types/decl-bundle.js';
import { buildDeclPackage, declarationsOnly, declFileHeader, declPackageJson, packSyntax, readDeclPackage, unpackSyntax } from '../src/types/decl-tables.js';

const SRC = `package p

import "os"

var big = map[string]int{"a": 1, "b": 2}
var arr = [...]int{1, 2, 3}

type T struct{ f *os.File }

func (t *T) M(x int) (int, error) {
	s := "body only"
	return len(s) + x, nil
}

func F() { println("gone") }
`;

function kinds(v: SyntaxView): string[] {
  const out: string[] = [];
  for (let i = 0; i < v.count; i++) out.push(v.kind(i));
  return out;
}

describe('declaration tables', () => {
  const full = parseGoFile(SRC, 'p.go', { extractors: [] }).extra.syntax!;
  const decl = declarationsOnly(full);

  it('keep declarations, drop bodies and package-level composite elements (not [...]T)', () => {
    const v = new SyntaxView(decl);
    const k = kinds(v);
    expect(k).not.toContain('block');
    expect(k).not.toContain('short_var_declaration');
    expect(v.strings).not.toContain('"body only"');
    expect(v.strings).not.toContain('"gone"');
    expect(v.strings).not.toContain('"a"');
    expect(v.strings).toContain('M');
    expect(v.strings).toContain('File');
    // [...]int{1, 2, 3}: its length is its elements'.
    expect(k.filter((x) => x === 'int_literal')).toHaveLength(3);
    // Subtrees stay consistent: every child lies within its parent.
    for (let i = 0; i < v.count; i++) for (const c of v.children(i)) expect(v.next(c)).toBeLessThanOrEqual(v.next(i));
    expect(v.next(0)).toBe(v.count);
  });

  it('pack and unpack give the table back', () => {
    expect(unpackSyntax(packSyntax(decl))).toEqual(decl);
  });

  it('a table file has the mask of its source file', () => {
    const targets = new Targets(parsePlatforms(['linux/amd64', 'linux/386', 'windows/amd64', 'darwin/arm64']));
    const ev = new ConstraintEvaluator(targets, { cgo: false, tags: [], goMinor: 19, archEnv: {} });
    const text = '// Copyright\n\n//go:build (linux && 386) || windows\n// +build linux,386 windows\n\npackage q\n\nimport (\n\t"os"\n\tx "io"\n)\n';
    const h = readHeader(text);
    const f = { name: 'q_unix.go', build: ['//go:build (linux && 386) || windows', '// +build linux,386 windows'], imports: [['os', null, 'normal'], ['io', 'x', 'normal']] as [string, string | null, 'normal'][], syntax: packSyntax(decl) };
    const h2 = declFileHeader(f, 'q');
    expect(ev.fileMask(f.name, h2)).toBe(ev.fileMask(f.name, h));
    expect(h2.imports.map((i) => i.path)).toEqual(['os', 'io']);
  });

  it('are bundled for Go 1.19.8 and 1.27.4, chosen as the API tables are', () => {
    expect(bundledDecls(19)?.version).toBe('go1.19.8');
    expect(bundledDecls(20)?.version).toBe('go1.19.8');
    expect(bundledDecls(26)?.version).toBe('go1.19.8');
    expect(bundledDecls(27)?.version).toBe('go1.27.4');
    expect(bundledDecls(30)?.version).toBe('go1.27.4');
    expect(bundledDecls(12)?.version).toBe('go1.19.8');
  });

  // std's vendored golang.org/x packages (net's dnsmessage...) are not bundled: unknown.
  it('bundle every chosen package and everything in std it imports', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(declsDir(), 'manifest.json'), 'utf8')) as { releases: { version: string; dir: string; packages: string[] }[] };
    for (const r of manifest.releases) {
      const have = new Set(r.packages);
      for (const p of DECL_PACKAGES) expect(have.has(p), `${r.version} ${p}`).toBe(true);
      for (const p of r.packages) {
        const t = readDeclPackage(path.join(declsDir(), r.dir), p)!;
        expect(t.version).toBe(r.version);
        for (const f of t.files) for (const [imp] of f.imports) if (isStdPath(imp) && imp !== 'unsafe' && !DECL_EXCLUDE.has(imp)) expect(have.has(imp), `${r.version} ${p} imports ${imp}`).toBe(true);
      }
    }
  });
});

const go = process.env.GOPORT_NO_GO === '1' ? null : spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
const GOROOT = go && go.status === 0 ? go.stdout.trim() : '';
const goVersion = (root: string) => {
  try {
    return fs.readFileSync(path.join(root, 'VERSION'), 'utf8').split('\n')[0]!.trim();
  } catch {
    return '';
  }
};
const REGEN = ['syscall', 'os', 'time', 'sync/atomic', 'io/fs', 'net'];

describe.skipIf(goVersion(GOROOT) !== 'go1.19.8')('declaration tables regenerate byte for byte (Go 1.19.8)', () => {
  it.each(REGEN)('%s', (p) => {
    const dir = bundledDecls(19)!.dir;
    const want = declPackageJson(readDeclPackage(dir, p)!);
    expect(declPackageJson(buildDeclPackage(GOROOT, p, 'go1.19.8')!) === want).toBe(true);
  }, 120_000);
});

const GO127 = '/usr/lib/go-1.27';
describe.skipIf(goVersion(GO127) !== 'go1.27.4')('declaration tables regenerate (Go 1.27.4 at /usr/lib/go-1.27)', () => {
  it.each(['os', 'sync/atomic'])('%s', (p) => {
    const dir = bundledDecls(27)!.dir;
    expect(declPackageJson(buildDeclPackage(GO127, p, 'go1.27.4')!) === declPackageJson(readDeclPackage(dir, p)!)).toBe(true);
  }, 120_000);
});
