/** The facts cache: hits and misses, corrupt entries, concurrent writers, trimming, and its use by the CLI. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, FactsCache, factsCacheDir, userCacheDir } from '../src/cache/facts-cache.js';
import { main } from '../src/cli/main.js';
import { factsKey } from '../src/engine/parse-pool.js';
import { parseGoFile } from '../src/parser/parse.js';

const ROOT = path.resolve(import.meta.dirname, '..');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-cache-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SRC = 'package a\n\nimport "os"\n\nfunc F() { os.Exit(1) }\n';

function entryFiles(c: FactsCache): string[] {
  const out: string[] = [];
  if (!fs.existsSync(c.root)) return out;
  for (const d of fs.readdirSync(c.root)) {
    const p = path.join(c.root, d);
    if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p)) out.push(path.join(p, f));
  }
  return out;
}

describe('FactsCache', () => {
  it('finds the user cache directory as Go does', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' }, 'linux')).toBe('/x/cache');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/h' }, 'linux')).toBe('/h/.cache');
    expect(userCacheDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Caches');
    expect(userCacheDir({ LocalAppData: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Local');
    // No HOME, no XDG_CACHE_HOME: no cache, as Go runs without its build cache then.
    expect(userCacheDir({}, 'linux')).toBeNull();
    expect(factsCacheDir({})).toBeNull();
    expect(factsCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(path.join('/x', 'goport', 'facts'));
    expect(factsCacheDir({ GOPORT_CACHE_DIR: '/c' })).toBe(path.join('/c', 'facts'));
    expect(factsCacheDir({ GOPORT_CACHE: 'off' })).toBeNull();
  });

  it('returns what was put, after a flush, from a new instance', () => {
    const dir = path.join(tmp, 'roundtrip');
    const facts = parseGoFile(SRC, 'a/a.go');
    const key = factsKey(SRC);
    const a = new FactsCache(dir);
    expect(a.get(key)).toBeUndefined();
    a.put(key, facts);
    expect(a.get(key)).toEqual(facts); // pending entries are visible before the flush
    a.flush();
    const b = new FactsCache(dir);
    expect(b.get(key)).toEqual(facts);
    expect(b.stats).toMatchObject({ hits: 1, misses: 0, corrupt: 0 });
    expect(entryFiles(b).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('treats corrupt, truncated and misplaced entries as misses and overwrites them', () => {
    const dir = path.join(tmp, 'corrupt');
    const facts = parseGoFile(SRC, 'a/a.go');
    const key = factsKey(SRC);
    const c = new FactsCache(dir);
    c.put(key, facts);
    c.flush();
    const [file] = entryFiles(c).filter((f) => path.basename(f) === key);
    const good = fs.readFileSync(file!, 'utf8');
    for (const bad of [
      good.slice(0, good.length / 2),
      good + '\n',
      '\0\0\0garbage',
      '',
      good.replace(key, 'f'.repeat(40)),
      JSON.stringify({ k: key, f: facts }),
      `${JSON.stringify({ k: key, x: [], n: [1, 1, 1, 1, 1, 1] })}\n1\n1\n1\n1\n1\n1`,
      'null',
    ]) {
      fs.writeFileSync(file!, bad);
      const r = new FactsCache(dir);
      expect(r.get(key)).toBeUndefined();
      expect(r.stats.corrupt).toBe(1);
    }
    const fix = new FactsCache(dir);
    fix.put(key, facts);
    fix.flush();
    expect(new FactsCache(dir).get(key)).toEqual(facts);
  });

  it('parses the big fields only when they are read, and survives a damaged one', () => {
    const src = 'package a\n\nimport "os"\n\nvar X = os.Args\n\nfunc F() { os.Exit(len(X)) }\n';
    // Without the syntax table: an entry holding a typed array (the table's words) has no text form.
    const facts = parseGoFile(src, 'a/a.go', { syntax: false });
    const key = factsKey(src);
    const text = Buffer.from(encodeEntry(key, facts)).toString('utf8');
    const got = decodeEntry(key, text)!;
    expect(Object.getOwnPropertyDescriptor(got, 'refs')!.get).toBeTypeOf('function'); // not parsed yet
    expect(got.decls).toEqual(facts.decls);
    expect(got.refs).toEqual(facts.refs);
    expect(Object.getOwnPropertyDescriptor(got, 'refs')!.value).toEqual(facts.refs); // parsed once, then a plain value
    expect({ ...got }).toEqual(facts);
    got.qualRefs = [];
    expect(got.qualRefs).toEqual([]);
    expect(decodeEntry('0'.repeat(40), text)).toBeUndefined(); // another key
    expect(decodeEntry(key, text.slice(0, -1))).toBeUndefined(); // truncated
    // Same length, broken JSON in a lazy line: empty facts and a corrupt count, never a throw.
    const lines = text.split('\n');
    lines[3] = '!'.repeat(lines[3]!.length);
    let corrupt = 0;
    const damaged = decodeEntry(key, lines.join('\n'), () => corrupt++)!;
    expect(damaged.qualRefs).toEqual([]);
    expect(corrupt).toBe(1);
    expect(damaged.selectors).toEqual(facts.selectors);
    // extra: each extractor's facts are a line of their own.
    const withExtra = { ...facts, extra: { constExprs: [{ a: 1 }], other: { b: [2] } } } as unknown as typeof facts;
    const e = decodeEntry(key, encodeEntry(key, withExtra))!;
    expect(Object.keys(e.extra)).toEqual(['constExprs', 'other']);
    expect(Object.getOwnPropertyDescriptor(e.extra, 'other')!.get).toBeTypeOf('function');
    expect(e.extra).toEqual(withExtra.extra);
  });

  it('carries typed arrays as bytes, in extra and in fields of their own, and rejects damaged ones', () => {
    const facts = parseGoFile(SRC, 'a/a.go');
    const key = factsKey(SRC);
    const ints = Int32Array.from([1, -2, 3, 1 << 30]);
    const withViews = {
      ...facts,
      bodies: { strings: ['F', 'os', 'ü'], data: Uint32Array.from([7, 8, 9]), starts: Float64Array.from([0.5]) },
      extra: { table: ints, plain: { a: [1] } },
    } as unknown as typeof facts;
    const bytes = encodeEntry(key, withViews);
    // Not JSON: the numbers are stored as bytes after the lines.
    expect(Buffer.from(bytes).toString('latin1')).not.toContain('1073741824');
    const got = decodeEntry(key, bytes)! as unknown as typeof withViews & { bodies: { data: Uint32Array; starts: Float64Array; strings: string[] } };
    expect(Object.getOwnPropertyDescriptor(got, 'bodies')!.get).toBeTypeOf('function'); // decoded on first read
    expect(got.bodies.data).toBeInstanceOf(Uint32Array);
    expect([...got.bodies.data]).toEqual([7, 8, 9]);
    expect([...got.bodies.starts]).toEqual([0.5]);
    expect(got.bodies.strings).toEqual(['F', 'os', 'ü']);
    const table = (got.extra as unknown as { table: Int32Array }).table;
    expect(table).toBeInstanceOf(Int32Array);
    expect([...table]).toEqual([...ints]);
    expect(got.refs).toEqual(facts.refs);
    // Truncated or padded binary data, or another key: a miss.
    expect(decodeEntry(key, bytes.subarray(0, bytes.length - 8))).toBeUndefined();
    expect(decodeEntry(key, Buffer.concat([bytes, Buffer.alloc(8)]))).toBeUndefined();
    expect(decodeEntry('0'.repeat(40), bytes)).toBeUndefined();
    // Each line is decoded from the bytes when its field is read: a line damaged in place (same byte
    // length) is empty facts and a corrupt count then, and the other fields are intact.
    const at = Buffer.from(bytes).indexOf('"ü"');
    expect(at).toBeGreaterThan(0);
    const patched = Uint8Array.from(bytes);
    patched.set(Buffer.from('"ab"'), at); // 'ü' is two bytes: same byte length, one more UTF-16 unit
    let corrupt = 0;
    const damaged = decodeEntry(key, patched, () => corrupt++)! as unknown as typeof got;
    expect(damaged.refs).toEqual(facts.refs);
    expect(corrupt).toBe(0);
    expect(damaged.bodies).toBeUndefined();
    expect(corrupt).toBe(1);
    expect([...(damaged.extra as unknown as { table: Int32Array }).table]).toEqual([...ints]);
  });

  it('ignores keys that are not hashes and an unwritable directory', () => {
    const c = new FactsCache(path.join(tmp, 'odd'));
    expect(c.get('../../etc/passwd')).toBeUndefined();
    c.put('../x', parseGoFile(SRC, 'a.go'));
    c.flush();
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false);
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    const ro = new FactsCache(file); // its root lies below a regular file: every write fails
    ro.put(factsKey(SRC), parseGoFile(SRC, 'a.go'));
    expect(() => ro.flush()).not.toThrow();
    expect(ro.stats.writeErrors).toBeGreaterThan(0);
  });

  it('trims entries unused for five days, at most once a day', () => {
    const dir = path.join(tmp, 'trim');
    let now = Date.now();
    const c = new FactsCache(dir, () => now);
    const keys = ['a', 'b'].map((x) => factsKey(SRC + x));
    for (const k of keys) c.put(k, parseGoFile(SRC, 'a.go'));
    c.flush(); // first flush starts the clock
    const old = (now - 6 * 24 * 3600 * 1000) / 1000;
    const first = entryFiles(c).find((f) => path.basename(f) === keys[0])!;
    fs.utimesSync(first, old, old);
    c.trim(); // less than a day since the clock started: nothing happens
    expect(entryFiles(c).some((f) => path.basename(f) === keys[0])).toBe(true);
    now += 25 * 3600 * 1000;
    c.trim();
    const left = entryFiles(c).map((f) => path.basename(f));
    expect(left).toContain(keys[1]);
    expect(left).not.toContain(keys[0]);
    expect(c.stats.trimmed).toBe(1);
  });

  it('stays consistent with several processes writing the same entries at once', async () => {
    // Real processes: the cache module (and the modules it imports) transpiled to plain ESM.
    const lib = path.join(tmp, 'lib');
    for (const rel of ['src/cache/facts-cache.ts', 'src/engine/facts-codec.ts', 'src/parser/fingerprint.ts', 'src/paths.ts', 'src/version.ts']) {
      const out = ts.transpileModule(fs.readFileSync(path.join(ROOT, rel), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const dest = path.join(lib, rel.replace(/\.ts$/, '.mjs'));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, out.replace(/from '(\.\.?\/[^']+)\.js'/g, "from '$1.mjs'"));
    }
    const dir = path.join(tmp, 'concurrent');
    const modUrl = pathToFileURL(path.join(lib, 'src/cache/facts-cache.mjs')).href;
    // Each writer puts the same 300 entries (same key, same content), flushes and reads them back,
    // five times over, while the others do the same.
    const script = `
      const { FactsCache } = await import(${JSON.stringify(modUrl)});
      const facts = { path: 'x.go', pkgName: 'p', generated: false, syntaxErrors: [], imports: [], decls: [], methods: [], refs: [], qualRefs: [], selectors: [], litKeys: [], skips: [], extra: {} };
      let corrupt = 0;
      for (let round = 0; round < 5; round++) {
        const c = new FactsCache(${JSON.stringify(dir)}, Date.now, 'concurrent');
        for (let i = 0; i < 300; i++) c.put(i.toString(16).padStart(40, '0'), facts);
        c.flush();
        const r = new FactsCache(${JSON.stringify(dir)}, Date.now, 'concurrent');
        for (let i = 0; i < 300; i++) if (r.get(i.toString(16).padStart(40, '0'))?.pkgName !== 'p') process.exit(3);
        corrupt += r.stats.corrupt;
      }
      process.exit(corrupt === 0 ? 0 : 4);`;
    const file = path.join(tmp, 'writer.mjs');
    fs.writeFileSync(file, script);
    const codes = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<number>((resolve) => {
            const p = spawn(process.execPath, [file], { stdio: 'inherit' });
            p.on('exit', (code) => resolve(code ?? -1));
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    const c = new FactsCache(dir, Date.now, 'concurrent');
    for (let i = 0; i < 300; i++) expect(c.get(i.toString(16).padStart(40, '0'))?.pkgName).toBe('p');
    expect(c.stats.corrupt).toBe(0);
    expect(entryFiles(c).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('the cache in goport check', () => {
  let proj: string;
  let cacheHome: string;
  const env = () => ({ XDG_CACHE_HOME: cacheHome });
  async function run(argv: string[], e: NodeJS.ProcessEnv = env()) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: proj, isTTY: false, env: e });
    return { code, stdout, stderr };
  }
  const cacheLine = (stderr: string) => /cache: .*\((\d+) hits, (\d+) misses, (\d+) corrupt, (\d+) written\)/.exec(stderr)?.slice(1).map(Number);

  beforeAll(() => {
    proj = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-cacheproj-'));
    cacheHome = path.join(proj, '.cache-home');
    fs.writeFileSync(path.join(proj, 'go.mod'), 'module example.com/c\n\ngo 1.21\n');
    fs.mkdirSync(path.join(proj, 'a'));
    fs.writeFileSync(path.join(proj, 'a', 'x_linux.go'), 'package a\n\nconst x = 1\n');
    fs.writeFileSync(path.join(proj, 'a', 'use.go'), 'package a\n\nfunc F() int { return x }\n');
  });
  afterAll(() => fs.rmSync(proj, { recursive: true, force: true }));

  it('parses on the first run, reads the cache on the second, and re-parses only a changed file', async () => {
    const cold = await run(['check', './a', '-v', '--format', 'json']);
    expect(cacheLine(cold.stderr)).toEqual([0, 2, 0, 2]);
    const warm = await run(['check', './a', '-v', '--format', 'json']);
    expect(cacheLine(warm.stderr)).toEqual([2, 0, 0, 0]);
    expect(warm.stdout).toBe(cold.stdout);
    fs.writeFileSync(path.join(proj, 'a', 'use.go'), 'package a\n\n// moved\nfunc F() int { return x }\n');
    const changed = await run(['check', './a', '-v', '--format', 'json']);
    expect(cacheLine(changed.stderr)).toEqual([1, 1, 0, 1]);
    expect(JSON.parse(changed.stdout).findings[0].line).toBe(4); // facts of the new text, not the cached one
  });

  it('survives a corrupt cache: same findings, entries rewritten', async () => {
    const dir = factsCacheDir(env())!;
    const base = await run(['check', './a', '--format', 'json']);
    for (const d of fs.readdirSync(dir)) {
      const root = path.join(dir, d);
      for (const sub of fs.readdirSync(root)) {
        const p = path.join(root, sub);
        if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p)) fs.writeFileSync(path.join(p, f), '{"k": "trunc');
      }
    }
    const r = await run(['check', './a', '-v', '--format', 'json']);
    expect(cacheLine(r.stderr)).toEqual([0, 0, 2, 2]);
    expect(r.stdout).toBe(base.stdout);
    expect(cacheLine((await run(['check', './a', '-v', '--format', 'json'])).stderr)).toEqual([2, 0, 0, 0]);
  });

  it('--no-cache and GOPORT_CACHE=off neither read nor write', async () => {
    const fresh = path.join(proj, '.fresh-cache');
    const r = await run(['check', './a', '-v', '--no-cache'], { XDG_CACHE_HOME: fresh });
    expect(r.stderr).not.toMatch(/cache:/);
    expect(fs.existsSync(fresh)).toBe(false);
    const off = await run(['check', './a', '-v'], { XDG_CACHE_HOME: fresh, GOPORT_CACHE: 'off' });
    expect(off.stderr).not.toMatch(/cache:/);
    expect(fs.existsSync(path.join(fresh, 'goport', 'facts'))).toBe(false);
  });
});

describe('cache roots', () => {
  it('are separate per goport version and parser, and unused ones are trimmed', () => {
    const dir = path.join(tmp, 'roots');
    const c = new FactsCache(dir);
    expect(path.basename(c.root)).toMatch(/^v\d+-\d+\.\d+\.\d+.*-[0-9a-f]{12}$/);
    const stale = path.join(dir, 'v1-0.0.1-000000000000');
    const recent = path.join(dir, 'v1-0.0.2-111111111111');
    for (const d of [stale, recent]) {
      fs.mkdirSync(path.join(d, 'ab'), { recursive: true });
      fs.writeFileSync(path.join(d, 'trim.txt'), '0');
    }
    const old = (Date.now() - 6 * 24 * 3600 * 1000) / 1000;
    fs.utimesSync(path.join(stale, 'trim.txt'), old, old);
    c.trim(true);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
  });
});
