/**
 * Body reuse across platform groups (TypeLayer.groups): a top-level declaration checked for one
 * group is taken by another group of the package when every leaf its check read answers the same
 * there, and checked again where one does not (fixtures/types/reuse: f.go, f_linux.go, f_windows.go).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAll } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { discover } from '../src/loader/discover.js';
import { Program } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { TypeLayer } from '../src/types/layer.js';
import { recordedLines } from '../src/types/dump.js';
import type { PackageTypes } from '../src/types/package.js';
import { typeString } from '../src/types/types.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/types');
const PLATFORMS = ['linux/amd64', 'linux/386', 'windows/amd64', 'windows/386'];

async function layerFor(reuseBodies: boolean) {
  const targets = new Targets(parsePlatforms(PLATFORMS));
  const found = await discover(['./reuse'], { cwd: DIR, vendor: false });
  const program = new Program({ cwd: DIR, targets, build: { cgo: false, tags: [], goMinor: 22, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
  const layer = new TypeLayer(new Workspace(program), { reuseBodies });
  return { layer, pkg: program.packages[0]!, targets };
}

/** Every record of a group's types (all expressions, not only identifiers), with the constants and members: `file:node kind type`. */
function allRecords(t: PackageTypes): string[] {
  t.checkBodies();
  const out: string[] = [];
  for (const f of t.files) {
    const name = path.basename(f.file.path);
    for (const [n, ty] of t.records.get(f) ?? []) out.push(`${name}:${n} rec ${typeString(ty)}`);
    for (const [n, c] of t.constants.get(f) ?? []) out.push(`${name}:${n} const ${c.untyped} ${JSON.stringify(c.value, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    for (const [n, m] of t.members.get(f) ?? []) out.push(`${name}:${n} member ${m.absent} ${typeString(m.type)}`);
    for (const [n, why] of t.unknowns.get(f) ?? []) out.push(`${name}:${n} unknown ${why}`);
  }
  return out;
}

/** The recorded type of the last use of the identifier `name` in the function `fn` of f.go. */
function typeOfIn(t: PackageTypes, fn: string, name: string): string | undefined {
  const f = t.files.find((x) => path.basename(x.file.path) === 'f.go')!;
  const v = f.view;
  const top = v.children(0).find((n) => v.kind(n) === 'function_declaration' && v.text(v.child(n, 'name')) === fn)!;
  let out: string | undefined;
  for (let n = top; n < v.next(top); n++) if (v.kind(n) === 'identifier' && v.text(n) === name) out = typeString(t.records.get(f)?.get(n));
  return out;
}

describe('body reuse across platform groups', () => {
  it('takes a body whose leaves answer the same, checks again one whose leaf differs, and records what a full check records', async () => {
    const withReuse = await layerFor(true);
    const fresh = await layerFor(false);
    const groups = withReuse.layer.groups(withReuse.pkg);
    expect(groups.map((g) => withReuse.targets.ids(g.mask).join(','))).toEqual(['linux/amd64,linux/386', 'windows/amd64,windows/386']);
    const [linux, windows] = groups.map((g) => g.types) as [PackageTypes, PackageTypes];
    // linux checks all five declarations of f.go and those of f_linux.go; windows takes Common and
    // helper (os.Args and helper answer the same) and checks again Differs (size), Through and the
    // type Holder (word), and the declarations of f_windows.go.
    expect([linux.bodiesFresh, linux.bodiesReused]).toEqual([7, 0]);
    expect([windows.bodiesFresh, windows.bodiesReused]).toEqual([5, 2]);
    expect([typeOfIn(linux, 'Differs', 'n'), typeOfIn(windows, 'Differs', 'n')]).toEqual(['int32', 'int64']);
    expect(typeOfIn(windows, 'Common', 'helper')).toBe('func() int');
    // The records each group sees are a full check's, on every platform.
    for (const p of PLATFORMS) {
      const a = withReuse.layer.typesOn(withReuse.pkg, withReuse.targets.bit(p))!;
      const b = fresh.layer.typesOn(fresh.pkg, fresh.targets.bit(p))!;
      expect(b.bodiesReused).toBe(0);
      expect(allRecords(a)).toEqual(allRecords(b));
      expect(recordedLines(a, (f) => path.basename(f))).toEqual(recordedLines(b, (f) => path.basename(f)));
    }
  });
});
