/**
 * The shipped entry, bin/goport.js, as users run it: a process running the CLI's bundle (dist/bundle,
 * made by `npm run build`, which `npm test` runs first). Its findings must be those of the sources
 * (main() in this process), so the bundle finds its data tables, rule docs and parse worker wherever
 * its chunks sit.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { tempTrees } from './helpers/temp-tree.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/goport.js');
const trees = tempTrees('goport-bin-');
afterAll(() => trees.remove());

function bin(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GOPORT_CACHE: 'off', NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(args: string[], cwd: string) {
  let stdout = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: () => undefined, cwd, isTTY: false, env: { GOPORT_CACHE: 'off' } });
  return { code, stdout };
}

describe('bin/goport.js', () => {
  it('prints its version and a rule doc', () => {
    expect(bin(['version'], ROOT).stdout).toMatch(/^goport \d+\.\d+\.\d+\n$/);
    const doc = bin(['explain', 'gated-symbol'], ROOT);
    expect(doc.code).toBe(0);
    expect(doc.stdout).toContain('id: gated-symbol');
  }, 30_000);

  it('reports what the sources report, with the standard library and x/sys tables', async () => {
    for (const fixture of ['platform-syscall/dup2', 'platform-syscall/stat-fields', 'gated-symbol/basic']) {
      const dir = path.join(ROOT, 'fixtures', fixture);
      const args = ['check', './...', '--format', 'json', '--go-version', '1.22'];
      const want = await inProcess(args, dir);
      const got = bin(args, dir);
      expect(got.stderr, fixture).toBe('');
      expect(got.code, fixture).toBe(want.code);
      expect(JSON.parse(got.stdout), fixture).toEqual(JSON.parse(want.stdout));
      expect(want.code, fixture).toBe(1);
    }
  }, 60_000);

  it('parses on its bundled workers, with the findings of a parse on one thread', () => {
    // Past the pool's threshold for starting workers (150 files to parse).
    const files: Record<string, string> = { 'go.mod': 'module example.com/w\n\ngo 1.22\n' };
    for (let i = 0; i < 200; i++) {
      files[`p/f${i}.go`] = `package p\n\nimport "sync/atomic"\n\ntype T${i} struct {\n\tb bool\n\tn int64\n}\n\nfunc (t *T${i}) Inc() { atomic.AddInt64(&t.n, 1) }\n`;
    }
    files['p/w_linux.go'] = 'package p\n\nfunc onlyLinux() {}\n';
    files['p/use.go'] = 'package p\n\nfunc use() { onlyLinux() }\n';
    const dir = trees.tree(files);
    const two = bin(['check', './...', '--format', 'json', '-j', '2', '--verbose'], dir);
    const one = bin(['check', './...', '--format', 'json', '-j', '1'], dir);
    expect(two.stderr).toMatch(/parse-workers: 2\b/);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    const rules = new Set((JSON.parse(two.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule));
    expect([...rules].sort()).toEqual(['atomic-alignment', 'gated-symbol']);
  }, 60_000);
});
