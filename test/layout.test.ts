/**
 * src/layout/types.ts without a toolchain: layouts of the type layer's types per GOARCH, std types
 * from the bundled declaration tables (test/layout-go.test.ts compares with the Go compiler).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAll } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { archLayout, selectField, sizeAlign, structLayout } from '../src/layout/index.js';
import { discover } from '../src/loader/discover.js';
import { Program } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { TypeLayer } from '../src/types/layer.js';
import type { PackageTypes } from '../src/types/package.js';
import { type Type, under } from '../src/types/types.js';

const SRC = `package lay

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

type Basic struct {
	a bool
	b int64
}

type Typed struct {
	a bool
	b atomic.Int64
}

type Cplx struct {
	a bool
	c complex128
}

type Tail struct {
	a int32
	z struct{}
}

type Words struct {
	s  string
	i  any
	e  error
	sl []int
	m  map[string]int
	ar [3]int16
	p  unsafe.Pointer
	f  func()
	ch chan int
}

// Std types held by value, from the declaration tables.
type Buf struct {
	b bytes.Buffer
	n int64
}

type Build struct {
	f bool
	b strings.Builder
	n int64
}

type Clock struct {
	t time.Time
	n uint64
}

type Locked struct {
	mu sync.Mutex
	n  int64
}

type Inner struct {
	x int32
	n int64
}

type Outer struct {
	flag bool
	Inner
	p *Inner
}

type Arr [4]Inner

type Unknown struct {
	a int32
	g missing.T
}
`;

let dir = '';
const types = new Map<string, PackageTypes>();
const ARCHES = ['386', 'arm', 'mips', 'mipsle', 'amd64', 'arm64'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'goport-lay-'));
  writeFileSync(join(dir, 'go.mod'), 'module lay\n\ngo 1.22\n');
  writeFileSync(join(dir, 'lay.go'), SRC);
  const targets = new Targets(parsePlatforms(ARCHES.map((a) => `linux/${a}`)));
  const found = await discover(['.'], { cwd: dir, vendor: false });
  const program = new Program({ cwd: dir, targets, build: { cgo: false, tags: [], goMinor: 27, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
  const layer = new TypeLayer(new Workspace(program));
  await layer.check(program.packages, async (files) => {
    await parseAll(files, { jobs: 1 });
  });
  for (const a of ARCHES) types.set(a, layer.typesOn(program.packages[0]!, targets.bit(`linux/${a}`))!);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function named(a: string, name: string): Type | undefined {
  const o = types.get(a)!.lookup(name);
  return o?.k === 'typename' ? o.type : undefined;
}

/** size/align and the field offsets of a declared type on linux/GOARCH. */
function lay(a: string, name: string) {
  const t = named(a, name);
  const arch = archLayout(a, 27);
  const l = sizeAlign(t, arch);
  const u = under(t);
  const offsets = u?.k === 'struct' ? structLayout(u, arch)?.offsets : undefined;
  return l && { size: l.size, align: l.align, ...(offsets ? { offsets: [...offsets] } : {}) };
}

describe('layouts of type-layer types', () => {
  it.each(['386', 'arm', 'mips', 'mipsle'])('int64 is 4-aligned, atomic.Int64 8-aligned (align64) on %s', (a) => {
    expect(lay(a, 'Basic')).toEqual({ size: 12, align: 4, offsets: [0, 4] });
    expect(lay(a, 'Typed')).toEqual({ size: 16, align: 8, offsets: [0, 8] });
    expect(lay(a, 'Cplx')).toEqual({ size: 20, align: 4, offsets: [0, 4] });
  });

  it('lays out strings, interfaces, slices, maps, arrays, pointers, funcs and chans by word size', () => {
    // s 0, i 8, e 16, sl 24, m 36, ar 40 (6 bytes), p 48, f 52, ch 56 → 60 on 32-bit
    expect(lay('386', 'Words')).toEqual({ size: 60, align: 4, offsets: [0, 8, 16, 24, 36, 40, 48, 52, 56] });
    expect(lay('amd64', 'Words')).toEqual({ size: 112, align: 8, offsets: [0, 16, 32, 48, 72, 80, 88, 96, 104] });
  });

  it('keeps 64-bit alignment on 64-bit platforms', () => {
    expect(lay('amd64', 'Basic')).toEqual({ size: 16, align: 8, offsets: [0, 8] });
    expect(lay('arm64', 'Cplx')).toEqual({ size: 24, align: 8, offsets: [0, 8] });
  });

  it('pads a struct ending in a zero-size field', () => {
    expect(lay('386', 'Tail')).toEqual({ size: 8, align: 4, offsets: [0, 4] });
    expect(lay('amd64', 'Tail')).toEqual({ size: 8, align: 4, offsets: [0, 4] });
  });

  it('lays out std types held by value from their declarations', () => {
    // bytes.Buffer{buf []byte; off int; lastRead readOp(int8)}: 17 → 20 on 32-bit, 33 → 40 on 64-bit
    expect(lay('386', 'Buf')).toEqual({ size: 28, align: 4, offsets: [0, 20] });
    expect(lay('amd64', 'Buf')).toEqual({ size: 48, align: 8, offsets: [0, 40] });
    // strings.Builder{addr *Builder; buf []byte}: 16 on 32-bit
    expect(lay('arm', 'Build')).toEqual({ size: 28, align: 4, offsets: [0, 4, 20] });
    // time.Time{wall uint64; ext int64; loc *Location}: 20 on 32-bit
    expect(lay('386', 'Clock')).toEqual({ size: 28, align: 4, offsets: [0, 20] });
    // sync.Mutex: 8 bytes everywhere
    expect(lay('mips', 'Locked')).toEqual({ size: 16, align: 4, offsets: [0, 8] });
  });

  it('lays out arrays of structs', () => {
    expect(lay('386', 'Arr')).toEqual({ size: 48, align: 4 });
    expect(lay('amd64', 'Arr')).toEqual({ size: 64, align: 8 });
  });

  it('leaves a struct with a field of unknown type unknown', () => {
    expect(lay('386', 'Unknown')).toBeUndefined();
  });

  it('selects promoted fields through embedded structs, marking embedded pointers', () => {
    const arch = archLayout('386', 27);
    const t = named('386', 'Outer');
    const s = selectField(t, 'n', 'lay', arch)!;
    expect(s.map((x) => [x.field.name, x.offset, x.implicit, x.deref])).toEqual([['Inner', 4, true, false], ['n', 4, false, false]]);
    expect(selectField({ k: 'pointer', elem: t! }, 'x', 'lay', arch)!.map((x) => x.offset)).toEqual([4, 0]);
    expect(selectField(t, 'missing', 'lay', arch)).toBeUndefined();
  });
});
