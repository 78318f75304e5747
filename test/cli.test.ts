/** The command line end to end: exit codes, bad input, formats, files command. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { VERSION } from '../src/version.js';

let tmp: string;

async function run(argv: string[], cwd = tmp) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: {} });
  return { code, stdout, stderr };
}

function write(rel: string, text: string | Buffer) {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-cli-'));
  write('go.mod', 'module example.com/cli\n\ngo 1.21\n');
  write('ok/ok.go', 'package ok\n\nfunc F() int { return 1 }\n');
  write('bad/size_linux.go', 'package bad\n\nconst size = 1\n');
  write('bad/use.go', 'package bad\n\nfunc G() int { return size }\n');
  write('broken/broken.go', 'package broken\n\nfunc H( {\n');
  write('broken/fine.go', 'package broken\n\nvar x = y\n');
  write('broken/y_linux.go', 'package broken\n\nvar y = 1\n');
  write('binary/bin.go', Buffer.from([0x70, 0x61, 0x63, 0x6b, 0, 1, 2, 3]));
  write('latin1/l.go', Buffer.concat([Buffer.from('package latin1\n\n// caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  write('empty/README.md', 'no go here\n');
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('goport CLI', () => {
  it('keeps src/version.ts equal to package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('exits 0 on a clean package and prints nothing', async () => {
    const r = await run(['check', './ok']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });

  it('exits 1 with findings', async () => {
    const r = await run(['check', './bad', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings).toHaveLength(1);
    expect(j.findings[0]).toMatchObject({ rule: 'gated-symbol', file: 'bad/use.go', line: 3 });
  });

  it('reports a syntax error as an error (exit 2) and keeps the other results', async () => {
    const r = await run(['check', './broken', './bad', '--format', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.errors.some((e: { file: string; message: string }) => e.file === 'broken/broken.go' && /syntax error/.test(e.message))).toBe(true);
    expect(j.findings.map((f: { file: string }) => f.file).sort()).toEqual(['bad/use.go', 'broken/fine.go']);
  });

  it('reports a path that does not exist, binary and non-UTF-8 files, and a directory without Go files', async () => {
    const r = await run(['check', './nope/...', './binary', './latin1', './empty', './bad', '--format', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    const msgs = j.errors.map((e: { file: string; message: string }) => `${e.file}: ${e.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/nope.*no such file or directory/),
        expect.stringMatching(/^binary\/bin.go: .*NUL/),
        expect.stringMatching(/^latin1\/l.go: invalid UTF-8/),
        expect.stringMatching(/^empty: no Go files/),
      ]),
    );
    expect(j.findings).toHaveLength(1);
  });

  it('gives usage errors exit 2', async () => {
    expect((await run(['check', '--platforms', 'linux/vax'])).code).toBe(2);
    expect((await run(['check', '--bogus'])).code).toBe(2);
    expect((await run(['check', '--format', 'xml'])).code).toBe(2);
    expect((await run(['explain', 'no-such-rule'])).code).toBe(2);
  });

  it('lists and explains rules', async () => {
    const r = await run(['rules']);
    expect(r.stdout).toContain('gated-symbol');
    const e = await run(['explain', 'gated-symbol']);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain('## What it does');
  });

  it('writes several formats in one run', async () => {
    const out = path.join(tmp, 'out.sarif');
    const r = await run(['check', './bad', '--format', 'text', '--format', `sarif=${out}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad/use.go:3:');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('gives byte-identical JSON on repeated runs', async () => {
    const a = await run(['check', './...', '--format', 'json']);
    const b = await run(['check', './...', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints the files matrix', async () => {
    const r = await run(['files', './bad', '--platforms', 'linux/amd64,windows/amd64', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).packages[0].files).toEqual({ 'linux/amd64': ['size_linux.go', 'use.go'], 'windows/amd64': ['use.go'] });
  });
});
