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
