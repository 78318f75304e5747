/**
 * What the engine keeps in memory and for how long: file text stays on disk until the parse reads
 * it, a released file's facts are parsed again when read (same facts), and a run releases the facts
 * of every package once no package left to check imports it, without parsing any file twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParsePool } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { discover } from '../src/loader/discover.js';
import { factsReleased, hasText, Program, textDeferred, textSize } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-memory-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 't-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const MOD = 'module example.com/m\n\ngo 1.22\n';
const A = 'package a\n\nimport "example.com/m/b"\n\n// A uses b.\nfunc A() int { return b.B + len("é") }\n';
const B = 'package b\n\n// B is a constant.\nconst B = 1\n\ntype T struct{ X int64 }\n';

async function load(dir: string) {
  const targets = new Targets(parsePlatforms(['linux/amd64', 'linux/386']));
  const found = await discover(['./...'], { cwd: dir, vendor: false });
  const program = new Program({ cwd: dir, targets, build: { cgo: false, tags: [], goMinor: 22, archEnv: {} }, tests: false });
  for (const p of found.packages) program.loadDir(p);
  return { program, targets };
}

describe('engine memory', () => {
  it('leaves a file’s text on disk after the load, until the parse reads it once', async () => {
    const dir = tree({ 'go.mod': MOD, 'a/a.go': A, 'b/b.go': B });
    const { program } = await load(dir);
    const files = program.packages.flatMap((p) => p.files.map((f) => f.file));
    expect(files.length).toBe(2);
    for (const f of files) {
      expect(hasText(f)).toBe(true);
      expect(textDeferred(f)).toBe(true);
      expect(textSize(f)).toBe(fs.readFileSync(f.abs, 'utf8').length);
      // Headers are read at load.
      expect(f.header.pkgName).toBe(path.basename(path.dirname(f.abs)));
    }
    const pool = new ParsePool({ jobs: 1 });
    pool.add(files);
    // Queued for the parse, still on disk.
    for (const f of files) expect(textDeferred(f)).toBe(true);
    await pool.close();
    for (const f of files) {
      expect(f.facts?.pkgName).toBe(f.header.pkgName);
      expect(hasText(f)).toBe(false);
    }
  });

  it('parses a released file again when its facts are read, with the same facts', async () => {
    const dir = tree({ 'go.mod': MOD, 'b/b.go': B });
    const { program } = await load(dir);
    const ws = new Workspace(program);
    const pkg = program.packages[0]!;
    ws.ensurePackageFacts(pkg);
    const file = pkg.files[0]!.file;
    const before = JSON.stringify(file.facts, (_k, v) => (v instanceof Int32Array ? [...v] : v));
    expect(ws.symbols(pkg).names.has('B')).toBe(true);
    ws.release(pkg);
    expect(factsReleased(file)).toBe(true);
    expect(ws.stats.get('files parsed again after their facts were released')).toBeUndefined();
    expect(JSON.stringify(file.facts, (_k, v) => (v instanceof Int32Array ? [...v] : v))).toBe(before);
    expect(factsReleased(file)).toBe(false);
    expect(ws.stats.get('files parsed again after their facts were released')).toBe(1);
    // The symbol table was dropped with the facts, and is made again from them.
    expect(ws.symbols(pkg).names.get('B')?.sites[0]?.file).toBe(file);
  });

  it('drops the facts only a file’s own rules read, and parses the file again if one is read', async () => {
    const dir = tree({ 'go.mod': MOD, 'a/a.go': A, 'b/b.go': B });
    const { program } = await load(dir);
    const ws = new Workspace(program);
    const pkg = program.packages.find((p) => p.name === 'a')!;
    ws.ensurePackageFacts(pkg);
    const facts = pkg.files[0]!.file.facts!;
    const refs = JSON.stringify(facts.qualRefs);
    expect(facts.qualRefs.length).toBeGreaterThan(0);
    ws.dropBodyFacts(pkg.files[0]!.file);
    // What other packages read stays, without a parse.
    expect(facts.decls.map((d) => d.name)).toEqual(['A']);
    expect(facts.extra.syntax).toBeDefined();
    expect(ws.stats.get('files parsed again after their facts were released')).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(facts, 'qualRefs')?.get).toBeDefined();
    expect(JSON.stringify(facts.qualRefs)).toBe(refs);
    expect(ws.stats.get('files parsed again after their facts were released')).toBe(1);
  });

  it('releases the facts of every package after the last package that imports it, parsing no file twice', async () => {
    const { analyze } = await import('../src/engine/run.js');
    const { RULES } = await import('../rules/index.js');
    const dir = tree({ 'go.mod': MOD, 'a/a.go': A, 'b/b.go': B });
    const { program, targets } = await load(dir);
    const res = await analyze(program, targets, RULES, { jobs: 1 });
    expect(res.errors).toEqual([]);
    for (const p of program.packages) for (const { file } of p.files) expect(factsReleased(file)).toBe(true);
    expect(res.stats.get('files parsed again after their facts were released')).toBeUndefined();
    expect(res.stats.get('files-parsed')).toBe(2);
  });

  it('limits the heap growth unless node was given the flag', async () => {
    const { heapFlagGiven, HEAP_GROWING_PERCENT } = await import('../src/engine/heap.js');
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
    expect(heapFlagGiven([], undefined)).toBe(false);
    expect(heapFlagGiven(['--max-old-space-size=100'], '--enable-source-maps')).toBe(false);
    expect(heapFlagGiven(['--heap-growing-percent=10'], undefined)).toBe(true);
    expect(heapFlagGiven([], '--enable-source-maps --heap_growing_percent=30')).toBe(true);
  });
});
