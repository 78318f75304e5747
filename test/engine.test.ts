/**
 * Engine cross-checks: the fast path (all platforms at once, platform masks, worker threads) must
 * give exactly what a naive reference gives — each platform analyzed alone, results unioned — and
 * byte-identical output whatever the number of workers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { KUBERNETES } from '../src/platform/known.js';
import type { RunResult } from '../src/engine/types.js';
import type { SourceFile } from '../src/model/program.js';
import { parseAll } from '../src/engine/parse-pool.js';

async function check(cwd: string, args: string[]): Promise<RunResult> {
  let out = '';
  await main(['check', './...', '--format', 'json', '--go-version', '1.22', ...args], {
    stdout: (s) => (out += s),
    stderr: () => {},
    cwd,
    isTTY: false,
    env: {},
  });
  return JSON.parse(out) as RunResult;
}

const key = (f: { rule: string; file: string; line: number; column: number; message: string }) =>
  `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;

/**
 * Rules whose findings depend on the whole target list (a name declared on *other* targets, a
 * package lost on some targets) have no single-platform meaning; they are left out of the
 * per-platform reference and checked against the Go compiler instead (scripts/compare-compiler.mjs).
 */
const CROSS_TARGET_RULES = new Set(['gated-symbol', 'build-constraint']);

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const cases = fs
  .readdirSync(FIXTURES)
  .filter((r) => r !== 'constraints' && fs.statSync(path.join(FIXTURES, r)).isDirectory())
  .flatMap((r) => fs.readdirSync(path.join(FIXTURES, r)).map((c) => path.join(FIXTURES, r, c)))
  .filter((d) => fs.statSync(d).isDirectory() && !fs.existsSync(path.join(d, 'fixture.json')));

describe('naive reference path', () => {
  for (const dir of cases) {
    it(`per-platform runs equal the merged run: ${path.relative(FIXTURES, dir)}`, async () => {
      const fast = await check(dir, []);
      const ref = new Map<string, string[]>();
      for (const p of KUBERNETES) {
        const one = await check(dir, ['--platforms', p]);
        for (const f of one.findings) {
          if (CROSS_TARGET_RULES.has(f.rule)) continue;
          const k = key(f);
          ref.set(k, [...(ref.get(k) ?? []), p]);
        }
      }
      const got = new Map(fast.findings.filter((f) => !CROSS_TARGET_RULES.has(f.rule)).map((f) => [key(f), f.platforms]));
      expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...ref].sort()));
    });
  }
});

describe('workers', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-workers-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives byte-identical JSON with 1 and 2 workers on a tree large enough for workers', async () => {
    fs.writeFileSync(path.join(tmp, 'go.mod'), 'module example.com/w\n\ngo 1.21\n');
    for (let p = 0; p < 10; p++) {
      const d = path.join(tmp, `p${p}`);
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'gated_linux.go'), `package p${p}\n\nconst limit = ${p}\n`);
      for (let f = 0; f < 20; f++) {
        fs.writeFileSync(path.join(d, `f${f}.go`), `package p${p}\n\nfunc F${f}(x int) int {\n\tif x > limit {\n\t\treturn x\n\t}\n\treturn ${f}\n}\n`);
      }
    }
    const outs: string[] = [];
    for (const j of ['1', '2']) {
      let out = '';
      await main(['check', './...', '--format', 'json', '--go-version', '1.22', '-j', j], { stdout: (s) => (out += s), stderr: () => {}, cwd: tmp, isTTY: false, env: {} });
      outs.push(out);
    }
    expect(JSON.parse(outs[0]!).findings).toHaveLength(200);
    expect(outs[1]).toBe(outs[0]);
  });

  it('gives byte-identical JSON when the types kept for later packages are dropped and made again (GOPORT_TYPES_BUDGET)', async () => {
    const dir = path.join(tmp, 'budget');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/b\n\ngo 1.21\n');
    // A chain of packages, each importing the one before: every package's types are still needed
    // when the next is checked, so a budget of 1 drops them at every step.
    for (let p = 0; p < 6; p++) {
      const d = path.join(dir, `p${p}`);
      fs.mkdirSync(d);
      const imp = p === 0 ? '' : `import "example.com/b/p${p - 1}"\n\n`;
      const base = p === 0 ? 'struct {\n\ta int32\n\tN int64\n}' : `struct {\n\tflag bool\n\tIn p${p - 1}.T\n\tN int64\n}`;
      fs.writeFileSync(path.join(d, 't.go'), `package p${p}\n\n${imp}import "sync/atomic"\n\ntype T ${base}\n\nfunc (t *T) Add() { atomic.AddInt64(&t.N, 1) }\n\nconst Big = 1 << 40\n\nfunc Use() int { var t T; t.Add(); return Big }\n`);
      fs.writeFileSync(path.join(d, 't_linux.go'), `package p${p}\n\nfunc OnlyLinux() {}\n`);
      if (p > 0) fs.writeFileSync(path.join(d, 'u.go'), `package p${p}\n\nimport "example.com/b/p${p - 1}"\n\nfunc U() { p${p - 1}.OnlyLinux(); var x p${p - 1}.T; x.N++ }\n`);
    }
    const run = async (budget: string | undefined) => {
      const saved = process.env.GOPORT_TYPES_BUDGET;
      if (budget === undefined) delete process.env.GOPORT_TYPES_BUDGET;
      else process.env.GOPORT_TYPES_BUDGET = budget;
      let out = '';
      let err = '';
      try {
        await main(['check', './...', '--format', 'json', '--go-version', '1.22', '--verbose', '--no-cache'], { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir, isTTY: false, env: {} });
      } finally {
        if (saved === undefined) delete process.env.GOPORT_TYPES_BUDGET;
        else process.env.GOPORT_TYPES_BUDGET = saved;
      }
      return { out, dropped: Number(/declarations dropped and made again \(memory budget\): (\d+)/.exec(err)?.[1] ?? 0) };
    };
    const all = await run(undefined);
    const one = await run('1');
    expect(all.dropped).toBe(0);
    expect(one.dropped).toBeGreaterThan(0);
    const rules = new Set((JSON.parse(all.out) as RunResult).findings.map((f) => f.rule));
    expect([...rules].sort()).toEqual(expect.arrayContaining(['gated-symbol', 'int-overflow-32bit']));
    expect(one.out).toBe(all.out);
  });

  it('parses on the main thread what workers that ran out of memory left, with the same facts', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `package p\n\nvar big${i} = []int{${Array.from({ length: 100 * (1 + (i % 5)) }, (_, k) => k).join(', ')}}\n\nfunc F${i}() int { return len(big${i}) }\n`);
    // A file over 1 MB never goes to a capped worker: the main thread parses it beside them.
    texts.push(`package p\n\nvar huge = []int{${Array.from({ length: 150_000 }, (_, k) => k).join(', ')}}\n`);
    const files = () => texts.map((text, i) => ({ name: `f${i}.go`, abs: `/x/f${i}.go`, path: `f${i}.go`, mask: 0n, isTest: false, text }) as unknown as SourceFile);
    const healthy = files();
    const ok = await parseAll(healthy, { jobs: 2 });
    expect(ok).toMatchObject({ parsed: 201, workers: 2, orphaned: 0 });
    const starved = files();
    const st = await parseAll(starved, { jobs: 2, workerHeapMb: 2 }); // too small for any worker to parse anything
    expect(st).toMatchObject({ parsed: 201, workers: 2, orphaned: 200 });
    expect(starved.map((f) => JSON.stringify({ ...f.facts }))).toEqual(healthy.map((f) => JSON.stringify({ ...f.facts })));
    expect(starved[7]!.facts!.decls.map((d) => d.name)).toEqual(['big7', 'F7']);
    expect(starved[200]!.facts!.decls.map((d) => d.name)).toEqual(['huge']);
  }, 120_000);
});
