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
import { readHeader } from '../src/constraints/header.js';
import { ConstraintEvaluator } from '../src/constraints/fileset.js';
import { parseGoFile } from '../src/parser/parse.js';
import { SyntaxView, syntaxWords } from '../src/parser/syntax-table.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { XSYS_DECL_ROOTS } from '../src/apiindex/decls.js';
import { listStdPackages } from '../src/apiindex/std.js';
import { bundledDecls, bundledModuleDecls, DECL_EXCLUDE, type DeclsManifest, declsDir } from '../src/types/decl-bundle.js';
import { applyDeclDiff, buildDeclPackage, buildDeclPackageAt, declarationsOnly, declFileHeader, declPackageJson, diffDeclPackage, packSyntax, readDeclPackage, unpackSyntax } from '../src/types/decl-tables.js';

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
    // [...]int{1, 2, 3} is kept as [3]int{}: the same type, no elements.
    expect(k).not.toContain('implicit_length_array_type');
    expect(k.filter((x) => x === 'int_literal')).toHaveLength(1);
    expect(v.strings).toContain('3');
    // Subtrees stay consistent: every child lies within its parent.
    for (let i = 0; i < v.count; i++) for (const c of v.children(i)) expect(v.next(c)).toBeLessThanOrEqual(v.next(i));
    expect(v.next(0)).toBe(v.count);
  });

  it('pack and unpack give the table back', () => {
    const back = unpackSyntax(packSyntax(decl));
    expect([...syntaxWords(back)]).toEqual([...syntaxWords(decl)]);
    expect(back.s).toEqual(decl.s);
    expect(back.v).toBe(decl.v);
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

  it('are bundled for Go 1.19.8, 1.21 to 1.27, chosen as the API tables are', () => {
    const picked = [12, 19, 20, 21, 22, 23, 24, 25, 26, 27, 30].map((m) => bundledDecls(m)?.version);
    expect(picked).toEqual(['go1.19.8', 'go1.19.8', 'go1.19.8', 'go1.21.13', 'go1.22.12', 'go1.23.5', 'go1.24.4', 'go1.25.12', 'go1.26.11', 'go1.27.4', 'go1.27.4']);
  });

  it('a difference applied to its base gives the new table; no difference when nothing changed', () => {
    const file = (name: string, src: string) => ({ name, build: [], imports: [], syntax: packSyntax(declarationsOnly(parseGoFile(src, name, { extractors: [] }).extra.syntax!)) });
    const a = file('a.go', 'package p\nvar A int\n');
    const b = file('b.go', 'package p\nvar B int\n');
    const b2 = file('b.go', 'package p\nvar B int64\n');
    const c = file('c.go', 'package p\nvar C int\n');
    const base = { format: 1, version: 'go1.1.0', path: 'p', name: 'p', files: [a, b] };
    const cur = { format: 1, version: 'go1.2.0', path: 'p', name: 'p', files: [b2, c] };
    const d = diffDeclPackage(base, cur)!;
    expect(d.files.map((f) => f.name)).toEqual(['b.go', 'c.go']);
    expect(d.removed).toEqual(['a.go']);
    expect(declPackageJson(applyDeclDiff(base, d))).toBe(declPackageJson(cur));
    expect(diffDeclPackage(base, { ...base, version: 'go1.2.0' })).toBeNull();
  });

  it('bundle the whole importable std and every std, internal and vendored package it imports', { timeout: 300_000 }, () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(declsDir(), 'manifest.json'), 'utf8')) as DeclsManifest;
    expect(manifest.releases.map((r) => r.version)).toEqual(['go1.19.8', 'go1.21.13', 'go1.22.12', 'go1.23.5', 'go1.24.4', 'go1.25.12', 'go1.26.11', 'go1.27.4']);
    for (const [i, r] of manifest.releases.entries()) {
      // The oldest and newest whole; the first half forward from the oldest, the second backward from the newest.
      const n = manifest.releases.length;
      expect(r.base).toBe(i === 0 || i === n - 1 ? undefined : manifest.releases[i <= (n - 1) / 2 ? i - 1 : i + 1]!.version);
      const have = new Set(r.packages);
      for (const p of ['os', 'syscall', 'net/http', 'crypto/tls', 'encoding/json', 'database/sql', 'go/types', 'testing', 'runtime/cgo', 'syscall/js']) expect(have.has(p), `${r.version} ${p}`).toBe(true);
      for (const p of r.packages) {
        const t = readDeclPackage(path.join(declsDir(), r.dir), p)!;
        expect(t.version).toBe(r.version);
        expect(t.path).toBe(p);
        for (const f of t.files) {
          for (const [imp] of f.imports) {
            if (imp === 'unsafe' || imp === 'C' || DECL_EXCLUDE.has(imp)) continue;
            expect(have.has(imp) || have.has(`vendor/${imp}`), `${r.version} ${p} imports ${imp}`).toBe(true);
          }
        }
      }
      // Every importable package of the release's source, when it is on this machine.
      const goroot = [GOROOT, `/usr/lib/go-1.${/^go1\.(\d+)/.exec(r.version)![1]}`].find((g) => goVersion(g) === r.version);
      if (goroot) for (const p of listStdPackages(path.join(goroot, 'src'))) if (p !== 'builtin' && p !== 'unsafe' && !DECL_EXCLUDE.has(p)) expect(have.has(p), `${r.version} ${p}`).toBe(true);
    }
  });

  it('bundle golang.org/x/sys: unix, windows (registry, svc...), cpu, plan9, each table intact and serialized deterministically', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(declsDir(), 'manifest.json'), 'utf8')) as DeclsManifest & { modules: { sha256: Record<string, string> }[] };
    const m = manifest.modules![0]!;
    expect(`${m.module}@${m.version}`).toBe('golang.org/x/sys@v0.47.0');
    for (const p of XSYS_DECL_ROOTS) expect(m.packages).toContain(p);
    for (const p of m.packages) {
      const gz = fs.readFileSync(path.join(declsDir(), m.dir, `${p}.json.gz`));
      const text = zlib.gunzipSync(gz).toString('utf8');
      expect(createHash('sha256').update(text).digest('hex'), p).toBe((m as unknown as { sha256: Record<string, string> }).sha256[p]);
      const t = readDeclPackage(path.join(declsDir(), m.dir), p)!;
      expect(declPackageJson(t) === text, p).toBe(true);
      expect(t.files.map((f) => f.name)).toEqual(t.files.map((f) => f.name).sort());
      for (const f of t.files) {
        const v = new SyntaxView(unpackSyntax(f.syntax));
        expect(v.next(0)).toBe(v.count);
        for (const [imp] of f.imports) if (imp.startsWith('golang.org/x/sys/')) expect(m.packages, `${p} imports ${imp}`).toContain(imp);
      }
    }
    expect(bundledModuleDecls('golang.org/x/sys/unix')?.version).toBe('v0.47.0');
    expect(bundledModuleDecls('golang.org/x/net/http2')).toBeNull();
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
const REGEN = ['syscall', 'os', 'time', 'sync/atomic', 'io/fs', 'net', 'net/http', 'vendor/golang.org/x/net/dns/dnsmessage'];

describe.skipIf(goVersion(GOROOT) !== 'go1.19.8')('declaration tables regenerate byte for byte (Go 1.19.8)', () => {
  it.each(REGEN)('%s', (p) => {
    const dir = bundledDecls(19)!.dir;
    const want = declPackageJson(readDeclPackage(dir, p)!);
    expect(declPackageJson(buildDeclPackage(GOROOT, p, 'go1.19.8')!) === want).toBe(true);
  }, 120_000);
});

const GO127 = '/usr/lib/go-1.27';
describe.skipIf(goVersion(GO127) !== 'go1.27.4')('declaration tables regenerate (Go 1.27.4 at /usr/lib/go-1.27)', () => {
  it.each(['os', 'sync/atomic', 'syscall', 'net/http', 'vendor/golang.org/x/net/dns/dnsmessage', 'crypto/internal/fips140/nistec'])('%s', (p) => {
    const dir = bundledDecls(27)!.dir;
    expect(declPackageJson(buildDeclPackage(GO127, p, 'go1.27.4')!) === declPackageJson(readDeclPackage(dir, p)!)).toBe(true);
  }, 120_000);
});

// The releases between are differences (1.23 through 1.21 and 1.22 from 1.19, 1.24 through 1.26
// and 1.25 from 1.27): the chains applied give the tables (where Debian's sources are installed).
for (const [minor, version] of [[23, 'go1.23.5'], [24, 'go1.24.4']] as const) {
  const goroot = `/usr/lib/go-1.${minor}`;
  describe.skipIf(goVersion(goroot) !== version)(`declaration tables regenerate (${version} at ${goroot}, through the differences)`, () => {
    it.each(['os', 'syscall', 'net'])('%s', (p) => {
      const dir = bundledDecls(minor)!.dir;
      expect(declPackageJson(buildDeclPackage(goroot, p, version)!) === declPackageJson(readDeclPackage(dir, p)!)).toBe(true);
    }, 120_000);
  });
}

// x/sys's source is not in CI: regenerated only when GOPORT_XSYS_SRC names a checkout of the bundled tag.
const XSYS = process.env.GOPORT_XSYS_SRC ?? '';
describe.skipIf(XSYS === '')('x/sys declaration tables regenerate byte for byte (GOPORT_XSYS_SRC)', () => {
  it.each(['golang.org/x/sys/unix', 'golang.org/x/sys/windows', 'golang.org/x/sys/cpu', 'golang.org/x/sys/plan9', 'golang.org/x/sys/windows/registry', 'golang.org/x/sys/windows/svc/mgr'])('%s', (p) => {
    const d = bundledModuleDecls(p)!;
    const built = buildDeclPackageAt(path.join(XSYS, ...p.slice('golang.org/x/sys/'.length).split('/')), p, d.version)!;
    expect(declPackageJson(built) === declPackageJson(readDeclPackage(d.dir, p)!)).toBe(true);
  }, 300_000);
});
