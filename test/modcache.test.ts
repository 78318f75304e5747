/**
 * Dependencies from the module cache (src/loader/modcache.ts) and golang.org/x/sys from its bundled
 * declaration tables (data/decls/), through the type layer. The module cache is a fake one built
 * here in a temp dir: the version go.mod requires (replace applied, case-escaped paths), the main
 * module's requirement for a dependency's own imports, nothing for a module absent from it. x/sys:
 * a vendored copy wins over the module cache, which wins over the bundled tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAll } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { discover } from '../src/loader/discover.js';
import { findInModuleCache, moduleCacheDir } from '../src/loader/modcache.js';
import { parseGoMod } from '../src/loader/gomod.js';
import { Program } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { TypeLayer } from '../src/types/layer.js';
import { typeString } from '../src/types/types.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-modcache-'));
const cache = path.join(root, 'modcache');

function write(rel: string, text: string): void {
  const f = path.join(root, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
}

const savedEnv = process.env.GOMODCACHE;
beforeAll(() => {
  process.env.GOMODCACHE = cache;
  // The main module: requirements in the cache, one absent, one replaced, one with upper case.
  write('app/go.mod', `module example.com/app

go 1.21

require (
	example.com/dep v1.2.0
	example.com/inner v1.0.0
	example.com/Upper v0.1.0
	example.com/gone v1.0.0
	example.com/old v1.0.0
	golang.org/x/sys v0.1.0
)

replace example.com/old => example.com/new v2.0.0
`);
  write('app/app.go', `package app

import (
	"example.com/Upper/sub"
	"example.com/dep"
	"example.com/gone"
	"example.com/old/p"
	"golang.org/x/sys/unix"
)

var size = dep.New().Size
var deep = dep.New().Inner.Deep
var up = sub.V
var rep = p.R
var lost = gone.X
var sec = unix.Timespec{}.Sec
`);
  write('modcache/example.com/dep@v1.2.0/go.mod', 'module example.com/dep\n\ngo 1.21\n\nrequire example.com/inner v0.9.0\n');
  write('modcache/example.com/dep@v1.2.0/dep.go', 'package dep\n\nimport "example.com/inner"\n\ntype Config struct {\n\tSize  int64\n\tInner inner.T\n}\n\nfunc New() *Config { return &Config{} }\n');
  // Another version of dep, and the version dep's own go.mod asks for of inner: neither is read.
  write('modcache/example.com/dep@v1.1.0/dep.go', 'package dep\n\ntype Config struct{ Size string }\n\nfunc New() *Config { return nil }\n');
  write('modcache/example.com/inner@v0.9.0/inner.go', 'package inner\n\ntype T struct{ Deep string }\n');
  write('modcache/example.com/inner@v1.0.0/inner.go', 'package inner\n\ntype T struct{ Deep float32 }\n');
  write('modcache/example.com/!upper@v0.1.0/sub/sub.go', 'package sub\n\nvar V uint16\n');
  write('modcache/example.com/new@v2.0.0/p/p.go', 'package p\n\nvar R int8\n');
  write('modcache/example.com/old@v1.0.0/p/p.go', 'package p\n\nvar R string\n');
  write('modcache/golang.org/x/sys@v0.1.0/unix/unix.go', 'package unix\n\ntype Timespec struct{ Sec int16 }\n');

  // x/sys with no copy anywhere: the bundled tables.
  write('bare/go.mod', 'module example.com/bare\n\ngo 1.21\n\nrequire golang.org/x/sys v0.99.0\n');
  write('bare/bare.go', 'package bare\n\nimport "golang.org/x/sys/unix"\n\nvar sec = unix.Timespec{}.Sec\nvar fd = unix.Stdin\n');
  // x/sys vendored: the vendored copy, though the module cache has the required version.
  write('vend/go.mod', 'module example.com/vend\n\ngo 1.21\n\nrequire golang.org/x/sys v0.1.0\n');
  write('vend/vend.go', 'package vend\n\nimport "golang.org/x/sys/unix"\n\nvar sec = unix.Timespec{}.Sec\n');
  write('vend/vendor/modules.txt', '# golang.org/x/sys v0.1.0\n## explicit; go 1.17\ngolang.org/x/sys/unix\n');
  write('vend/vendor/golang.org/x/sys/unix/unix.go', 'package unix\n\ntype Timespec struct{ Sec uint8 }\n');
});
afterAll(() => {
  if (savedEnv === undefined) delete process.env.GOMODCACHE;
  else process.env.GOMODCACHE = savedEnv;
  fs.rmSync(root, { recursive: true, force: true });
});

async function varTypes(dir: string, platform: string, names: string[]) {
  const cwd = path.join(root, dir);
  const targets = new Targets(parsePlatforms([platform]));
  const found = await discover(['.'], { cwd, vendor: false });
  const program = new Program({ cwd, targets, build: { cgo: false, tags: [], goMinor: 21, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  const ws = new Workspace(program);
  const layer = new TypeLayer(ws);
  await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
  const t = layer.typesOn(program.packages[0]!, 1n)!;
  const out: Record<string, string> = {};
  for (const n of names) {
    const o = t.lookup(n);
    out[n] = o?.k === 'var' ? typeString(o.type) : '?';
  }
  return { out, stats: ws.stats };
}

describe('module cache', () => {
  it('is $GOMODCACHE, else go env, else $GOPATH/pkg/mod, else ~/go/pkg/mod', () => {
    expect(moduleCacheDir({ GOMODCACHE: '/x/mod' })).toBe('/x/mod');
    const saved = process.env.GOPORT_NO_GO;
    process.env.GOPORT_NO_GO = '1';
    try {
      // (goEnv is asked once per process: only when no go answered does GOPATH count)
      const viaGo = moduleCacheDir({});
      expect([path.join(os.homedir(), 'go', 'pkg', 'mod'), viaGo]).toContain(viaGo);
    } finally {
      if (saved === undefined) delete process.env.GOPORT_NO_GO;
      else process.env.GOPORT_NO_GO = saved;
    }
  });

  it('finds the required version, replaces applied, paths case-escaped; ambiguity and absence are no answer', () => {
    const main = { dir: path.join(root, 'app'), path: 'example.com/app', goMod: parseGoMod(fs.readFileSync(path.join(root, 'app/go.mod'), 'utf8')), vendor: null };
    const hit = (p: string) => {
      const a = findInModuleCache(main, p, cache);
      return a && 'dir' in a ? path.relative(cache, a.dir) : a;
    };
    expect(hit('example.com/dep')).toBe('example.com/dep@v1.2.0');
    expect(hit('example.com/Upper/sub')).toBe('example.com/!upper@v0.1.0/sub');
    expect(hit('example.com/old/p')).toBe('example.com/new@v2.0.0/p');
    expect(hit('example.com/gone')).toEqual({ missing: 'example.com/gone@v1.0.0 not in the module cache' });
    expect(hit('example.com/unrequired')).toBeUndefined();
    expect(hit('fmt')).toBeUndefined();
    const both = { ...main, goMod: { ...main.goMod, requires: [...main.goMod.requires, { path: 'example.com/dep/sub', version: 'v1.0.0' }] } };
    write('modcache/example.com/dep@v1.2.0/sub/s.go', 'package sub\n');
    write('modcache/example.com/dep/sub@v1.0.0/s.go', 'package sub\n');
    expect(findInModuleCache(both, 'example.com/dep/sub', cache)).toEqual({ missing: 'ambiguous import example.com/dep/sub (example.com/dep@v1.2.0, example.com/dep/sub@v1.0.0)' });
  });

  it('gives the type layer dependencies at the main module\'s versions; a module absent stays unknown', async () => {
    const { out, stats } = await varTypes('app', 'linux/amd64', ['size', 'deep', 'up', 'rep', 'lost', 'sec']);
    expect(out).toEqual({ size: 'int64', deep: 'float32', up: 'uint16', rep: 'int8', lost: '?', sec: 'int16' });
    expect(stats.get('types: not in the module cache (example.com/gone@v1.0.0 not in the module cache)')).toBe(1);
    expect(stats.get('types: module-cache modules read')).toBe(5);
    expect(stats.get('types: golang.org/x/sys declarations (bundled v0.47.0)')).toBeUndefined();
  }, 60_000);
});

describe('golang.org/x/sys', () => {
  it('comes from the bundled tables when no copy is at hand, per platform', async () => {
    const amd64 = await varTypes('bare', 'linux/amd64', ['sec', 'fd']);
    expect(amd64.out).toEqual({ sec: 'int64', fd: 'int' });
    expect(amd64.stats.get('types: golang.org/x/sys declarations (bundled v0.47.0)')).toBeGreaterThan(0);
    expect((await varTypes('bare', 'linux/386', ['sec'])).out).toEqual({ sec: 'int32' });
  }, 120_000);

  it('a vendored copy wins', async () => {
    expect((await varTypes('vend', 'linux/amd64', ['sec'])).out).toEqual({ sec: 'uint8' });
  }, 60_000);
});
