import { describe, expect, it } from 'vitest';
import type { PackageModel } from '../src/model/program.js';
import { dependencyOrder, lastUses } from '../src/engine/run.js';

/** Fake packages: name → imports (by name); only what dependencyOrder and lastUses read. */
function fake(spec: Record<string, string[]>, xtests: Record<string, string> = {}): Map<string, PackageModel> {
  const m = new Map<string, PackageModel>();
  for (const [name, imports] of Object.entries(spec)) {
    const file = { header: { imports: imports.map((path) => ({ path })) } };
    const dir = { lib: undefined as unknown as PackageModel, xtest: null };
    const p = { id: name, kind: xtests[name] ? 'xtest' : 'lib', name, dir, importPath: name, files: [{ file, mask: 1n }], mask: 1n } as unknown as PackageModel;
    m.set(name, p);
  }
  for (const [name, p] of m) (p.dir as { lib: PackageModel }).lib = xtests[name] ? m.get(xtests[name])! : p;
  return m;
}

describe('dependency order', () => {
  it('puts every package after what it imports, through packages that are not analyzed, and cuts cycles', () => {
    const m = fake({ main: ['b', 'a'], a: ['c'], b: ['a', 'dep'], dep: ['c'], c: [], x: ['y'], y: ['x'] });
    const analyzed = ['main', 'a', 'b', 'c', 'x', 'y'].map((n) => m.get(n)!);
    const graph = new Map<PackageModel, PackageModel[]>();
    const order = dependencyOrder(analyzed, (_p, ip) => m.get(ip), graph).map((p) => p.id);
    expect(order).toEqual(['c', 'a', 'b', 'main', 'y', 'x']);
    expect(graph.has(m.get('dep')!)).toBe(true); // walked, not ordered (not analyzed)
  });

  it('an external test package comes after its own package', () => {
    const m = fake({ lib_test: ['other'], lib: ['other'], other: [] }, { lib_test: 'lib' });
    const order = dependencyOrder([m.get('lib_test')!, m.get('lib')!, m.get('other')!], (_p, ip) => m.get(ip)).map((p) => p.id);
    expect(order).toEqual(['other', 'lib', 'lib_test']);
  });

  it('a package is last used by the last package that reaches it, cycles included', () => {
    const m = fake({ a: ['c'], c: [], b: ['dep'], dep: ['c'], x: ['y'], y: ['x', 'c'], z: [] });
    const analyzed = ['a', 'b', 'x', 'y', 'z', 'c'].map((n) => m.get(n)!);
    const graph = new Map<PackageModel, PackageModel[]>();
    const order = dependencyOrder(analyzed, (_p, ip) => m.get(ip), graph);
    expect(order.map((p) => p.id)).toEqual(['c', 'a', 'b', 'y', 'x', 'z']);
    const last = lastUses(order, graph);
    const at = (n: string) => order[last.get(m.get(n)!)!]!.id;
    expect(at('c')).toBe('x'); // x reaches c through y
    expect(at('dep')).toBe('b');
    expect(at('y')).toBe('x');
    expect(at('x')).toBe('x');
    expect(at('a')).toBe('a');
    expect(at('z')).toBe('z');
  });
});

describe('parse pool', () => {
  it('ready() gives the files asked for their facts first, close() parses the rest, same facts as a parse on this thread', async () => {
    const { ParsePool } = await import('../src/engine/parse-pool.js');
    const { parseGoFile } = await import('../src/parser/parse.js');
    const text = (i: number) => `package p\n\nimport "fmt"\n\nfunc F${i}(x int) int { fmt.Println(x); return x + ${i} }\n`;
    const files = Array.from({ length: 200 }, (_, i) => ({ name: `f${i}.go`, abs: `/x/f${i}.go`, path: `f${i}.go`, header: { imports: [] }, mask: 1n, isTest: false, text: text(i) })) as unknown as import('../src/model/program.js').SourceFile[];
    const pool = new ParsePool({ jobs: 2 });
    pool.add(files);
    const last = files[199]!;
    await pool.ready([last]);
    expect(last.facts?.decls.map((d) => d.name)).toEqual(['F199']);
    const st = await pool.close();
    expect(st.parsed).toBe(200);
    for (const [i, f] of files.entries()) {
      expect(f.text).toBeUndefined();
      const want = parseGoFile(text(i), f.path);
      expect(f.facts!.decls).toEqual(want.decls);
      expect(f.facts!.refs).toEqual(want.refs);
    }
  }, 60_000);
});
