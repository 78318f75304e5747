/** The type layer's platform groups and lookups, without a Go toolchain (fixtures/types/platform). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAll } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { discover } from '../src/loader/discover.js';
import { Program } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { TypeLayer } from '../src/types/layer.js';
import { lookupFieldOrMethod } from '../src/types/lookup.js';
import { typeString } from '../src/types/types.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/types');

async function layerFor(platforms: string[]) {
  const targets = new Targets(parsePlatforms(platforms));
  const found = await discover(['./platform'], { cwd: DIR, vendor: false });
  const program = new Program({ cwd: DIR, targets, build: { cgo: false, tags: [], goMinor: 22, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
  return { layer: new TypeLayer(new Workspace(program)), pkg: program.packages[0]!, targets };
}

describe('type layer', () => {
  it('groups platforms that compile the same files, and only those', async () => {
    const { layer, pkg, targets } = await layerFor(['linux/amd64', 'linux/386', 'windows/amd64', 'darwin/arm64', 'darwin/amd64']);
    const groups = layer.groups(pkg).map((g) => targets.ids(g.mask).join(','));
    expect(groups).toEqual(['linux/amd64,linux/386', 'windows/amd64', 'darwin/arm64,darwin/amd64']);
  });

  it('answers per group: a struct has the fields of its platform', async () => {
    const { layer, pkg, targets } = await layerFor(['linux/amd64', 'windows/amd64']);
    const onLinux = layer.typesOn(pkg, targets.bit('linux/amd64'))!;
    const onWindows = layer.typesOn(pkg, targets.bit('windows/amd64'))!;
    const stat = (t: typeof onLinux) => {
      const o = t.lookup('Stat');
      return o?.k === 'typename' ? o.type! : undefined;
    };
    expect(lookupFieldOrMethod(stat(onLinux)!, true, 'typesfix/platform', 'Inode')?.kind).toBe('field');
    expect(lookupFieldOrMethod(stat(onWindows)!, true, 'typesfix/platform', 'Inode')).toBeUndefined();
    const w = stat(onWindows);
    expect(w?.k === 'named' ? typeString(w.underlying()) : undefined).toBe('struct{Volume uint32; Index uint64}');
    // Array lengths come from each platform's constant.
    const buf = (t: typeof onLinux) => {
      const o = t.lookup('buf');
      return o?.k === 'var' ? typeString(o.type) : undefined;
    };
    expect([buf(onLinux), buf(onWindows)]).toEqual(['[4096]byte', '[260]byte']);
  });
});

describe('lookupFieldOrMethod memo (per type object)', () => {
  async function memoLayer(platforms: string[]) {
    const targets = new Targets(parsePlatforms(platforms));
    const found = await discover(['./memo/...'], { cwd: DIR, vendor: false });
    const program = new Program({ cwd: DIR, targets, build: { cgo: false, tags: [], goMinor: 22, archEnv: {} }, tests: false });
    for (const p of found.packages) program.loadDir(p);
    await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
    const layer = new TypeLayer(new Workspace(program));
    const pkg = (suffix: string) => program.packages.find((p) => p.importPath === `typesfix/memo/${suffix}`)!;
    return { layer, pkg, targets };
  }
  /** The recorded type of the first selector `….X` of a package's group on `plat`. */
  const selectedX = (layer: TypeLayer, p: Parameters<TypeLayer['groups']>[0], bit: bigint): string | undefined => {
    const t = layer.typesOn(p, bit)!;
    t.checkBodies();
    for (const [tf, rec] of t.records) {
      for (const [n, ty] of rec) if (tf.view.kind(n) === 'selector_expression' && tf.view.text(tf.view.child(n, 'field')) === 'X') return typeString(ty);
    }
    return undefined;
  };

  it('answers each platform from its own types, and an importer reading a memoized answer depends on what it read', async () => {
    const { layer, pkg, targets } = await memoLayer(['linux/amd64', 'windows/amd64']);
    const linux = targets.bit('linux/amd64');
    const windows = targets.bit('windows/amd64');
    // a computes the selection dep.Get().X first on each platform; b's is then a memo hit.
    layer.checkPackage(pkg('a'));
    expect([selectedX(layer, pkg('a'), linux), selectedX(layer, pkg('a'), windows)]).toEqual(['int64', 'int32']);
    // b's own files are the same on both platforms: only the leaves the memo entry replays (dep's
    // Inner, declared per platform) keep its platforms apart.
    expect(layer.groups(pkg('b')).length).toBe(2);
    expect([selectedX(layer, pkg('b'), linux), selectedX(layer, pkg('b'), windows)]).toEqual(['int64', 'int32']);
    // Straight from dep's types: the same named type's memo answers per object.
    const tOf = (bit: bigint) => {
      const o = layer.typesOn(pkg('dep'), bit)!.lookup('T');
      return o?.k === 'typename' ? o.type! : undefined;
    };
    for (const [bit, want] of [[linux, 'int64'], [windows, 'int32'], [linux, 'int64']] as const) {
      const sel = lookupFieldOrMethod({ k: 'pointer', elem: tOf(bit)! }, true, 'typesfix/memo/b', 'X');
      expect(sel?.kind === 'field' ? typeString(sel.type) : undefined).toBe(want);
      expect(sel?.indirect).toBe(true);
      // An unexported name from another package: none (keyed by the asking package too).
      expect(lookupFieldOrMethod(tOf(bit)!, true, 'typesfix/memo/b', 'name')).toBeUndefined();
    }
    // Not through a pointer: the same field, not indirect (a separate memo).
    const direct = lookupFieldOrMethod(tOf(linux)!, true, 'typesfix/memo/b', 'X');
    expect(direct?.kind === 'field' ? [typeString(direct.type), direct.indirect] : undefined).toEqual(['int64', false]);
    // Certainly absent: the out-parameter is set on hits as on misses.
    for (let i = 0; i < 2; i++) {
      const absent = { v: false };
      expect(lookupFieldOrMethod(tOf(windows)!, true, 'typesfix/memo/b', 'Missing', absent)).toBeUndefined();
      expect(absent.v).toBe(true);
    }
  });
});

describe('lookupFieldOrMethod memo and cycles', () => {
  it('keeps no answer that read a part while it was being computed', async () => {
    const { lazy } = await import('../src/types/types.js');
    const { Typ } = await import('../src/types/universe.js');
    type Named = Extract<Parameters<typeof lookupFieldOrMethod>[0], { k: 'named' }>;
    let inner: ReturnType<typeof lookupFieldOrMethod> | 'unset' = 'unset';
    const n: Named = {
      k: 'named',
      obj: { k: 'typename', name: 'C', pkg: 'p', type: undefined },
      // Its underlying type asks for a selection on itself while it is computed (a cycle).
      underlying: lazy(() => {
        inner = lookupFieldOrMethod({ k: 'pointer', elem: n }, false, 'p', 'F');
        return { k: 'struct', fields: [{ name: 'F', pkg: 'p', type: Typ.int, embedded: false }] };
      }),
      methods: () => [],
    };
    const outer = lookupFieldOrMethod(n, false, 'p', 'F');
    expect(inner).toBeUndefined();
    expect(outer?.kind).toBe('field');
    // Asked again once resolved: the field, not the answer given during the cycle.
    expect(lookupFieldOrMethod({ k: 'pointer', elem: n }, false, 'p', 'F')?.kind).toBe('field');
    expect(lookupFieldOrMethod(n, false, 'p', 'F')?.kind).toBe('field');
  });
});

describe('streaming type stage (engine)', () => {
  it('drops every package’s types once no package left imports it, and the atomic summaries find the same calls as from held types', async () => {
    const { analyze } = await import('../src/engine/run.js');
    const { RULES } = await import('../rules/index.js');
    const { typeLayer } = await import('../src/types/layer.js');
    const { atomicSummaries } = await import('../src/types/atomic.js');
    const dir = path.resolve(import.meta.dirname, '../fixtures/atomic-alignment/summaries');
    const load = async () => {
      const targets = new Targets(parsePlatforms(['linux/amd64', 'linux/386', 'linux/arm']));
      const found = await discover(['./...'], { cwd: dir, vendor: true });
      const program = new Program({ cwd: dir, targets, build: { cgo: false, tags: [], goMinor: 22, archEnv: {} }, tests: false });
      for (const p of found.packages) program.loadDir(p);
      return { program, targets };
    };
    const { program, targets } = await load();
    const res = await analyze(program, targets, RULES, { jobs: 1 });
    const layer = typeLayer(res.workspace);
    expect(program.packages.length).toBeGreaterThan(1);
    // Every package's types were dropped after the last package that imports it: none are left.
    expect(layer.typesKept).toBe(0);
    const streamed = res.findings.filter((f) => f.rule === 'atomic-alignment' && f.messageId === 'callMisaligned');
    expect(streamed.length).toBeGreaterThan(0);

    // The same summaries computed the old way: every package's body types held at once.
    const held = await load();
    const ws = new Workspace(held.program);
    const l2 = typeLayer(ws);
    await parseAll(held.program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
    await l2.check(held.program.packages, (files) => parseAll(files, { jobs: 1 }).then(() => undefined));
    const sums = atomicSummaries(l2, 22);
    const calls = (s: typeof sums, pkgs: typeof held.program.packages) =>
      pkgs.flatMap((p) => ['linux/386', 'linux/arm'].flatMap((id) => s.findings(p, held.targets.bit(id), id.split('/')[1]!).calls.map((c) => `${id} ${c.file.path}:${c.span[0]}:${c.span[1]} ${c.callee} ${c.arg} ${c.offset}`)));
    const fromHeld = calls(sums, held.program.packages);
    const fromStreamed = calls(atomicSummaries(layer, 22), program.packages);
    expect(fromStreamed).toEqual(fromHeld);
    expect(fromHeld.length).toBeGreaterThan(0);
  });
});
