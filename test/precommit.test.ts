/**
 * Pre-commit modes on a real git repository made in a temporary directory: --staged reads the index
 * (not the work tree), --changed-since REV, plain file arguments (as the pre-commit framework passes
 * them), and the shipped hook definitions.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const hasGit = spawnSync('git', ['--version']).status === 0;
if (!hasGit) console.warn('precommit.test.ts: git is not installed; the --staged and --changed-since tests are skipped');

let repo: string;

function git(...args: string[]) {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(rel: string, text: string) {
  const p = path.join(repo, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

async function run(argv: string[], cwd = repo) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: { GOPORT_CACHE: 'off' } });
  return { code, stdout, stderr };
}

const findingsOf = (stdout: string) =>
  (JSON.parse(stdout).findings as { file: string; line: number; rule: string }[]).map((f) => `${f.file}:${f.line} ${f.rule}`);

const CLEAN = 'package a\n\nfunc G() int { return 1 }\n';
const BAD = 'package a\n\n// staged version\nfunc G() int { return size }\n';

function stagedTemps(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('goport-staged-'));
}

describe.skipIf(!hasGit)('pre-commit modes on a real git repository', () => {
  beforeAll(() => {
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goport-git-')));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    git('config', 'commit.gpgsign', 'false');
    write('go.mod', 'module example.com/pc\n\ngo 1.21\n');
    write('a/size_linux.go', 'package a\n\nconst size = 1\n');
    write('a/use.go', CLEAN);
    write('b/b_linux.go', 'package b\n\nconst n = 1\n');
    write('b/b.go', 'package b\n\nfunc N() int { return n }\n'); // a finding, committed and never staged
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('exits 0 quietly when no Go file is staged, still writing every format', async () => {
    expect(await run(['--staged'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const j = await run(['--staged', '--format', 'json', '--format', 'sarif=empty.sarif']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).findings).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(repo, 'empty.sarif'), 'utf8')).runs[0].results).toEqual([]);
    fs.rmSync(path.join(repo, 'empty.sarif'));
  });

  it('analyzes the staged content, not the work tree', async () => {
    write('a/use.go', BAD);
    git('add', 'a/use.go');
    write('a/use.go', CLEAN); // the work tree is clean again; the index is not
    const before = stagedTemps().length;
    const r = await run(['--staged', '--format', 'json']);
    expect(r.code).toBe(1);
    // Line 4 exists only in the staged version; b/b.go is not staged, so it is not reported.
    expect(findingsOf(r.stdout)).toEqual(['a/use.go:4 gated-symbol']);
    // The text reporter quotes nothing from the work tree: messages come from the staged facts.
    const t = await run(['--staged']);
    expect(t.stdout).toMatch(/^a\/use\.go:4:\d+: .*size/m);
    // The work tree is untouched and the temporary tree is gone.
    expect(fs.readFileSync(path.join(repo, 'a/use.go'), 'utf8')).toBe(CLEAN);
    expect(git('status', '--porcelain')).toBe('MM a/use.go\n');
    expect(stagedTemps().length).toBe(before);
    git('reset', '-q', 'a/use.go');
  });

  it('is clean when only the work tree is bad', async () => {
    write('a/use.go', BAD);
    write('a/doc.go', 'package a\n');
    git('add', 'a/doc.go');
    const r = await run(['--staged', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(findingsOf(r.stdout)).toEqual([]);
    git('reset', '-q', 'a/doc.go');
    fs.rmSync(path.join(repo, 'a/doc.go'));
    write('a/use.go', CLEAN);
  });

  it('leaves untracked files out and keeps staged files deleted from the work tree', async () => {
    // Untracked, not part of the commit: it would declare size everywhere and hide the finding.
    write('a/size_other.go', '//go:build !linux\n\npackage a\n\nconst size = 2\n');
    write('c/c.go', 'package c\n\nfunc C() int { return m }\n');
    write('c/m_windows.go', 'package c\n\nconst m = 1\n');
    write('a/use.go', BAD);
    git('add', 'a/use.go', 'c/c.go', 'c/m_windows.go');
    fs.rmSync(path.join(repo, 'c'), { recursive: true }); // deleted from the work tree after staging
    write('a/use.go', CLEAN);
    const r = await run(['--staged', '--format', 'json']);
    expect(findingsOf(r.stdout)).toEqual(['a/use.go:4 gated-symbol', 'c/c.go:3 gated-symbol']);
    git('reset', '-q');
    fs.rmSync(path.join(repo, 'a/size_other.go'));
  });

  it('honours ignore directives that exist only in the staged text', async () => {
    write('a/use.go', 'package a\n\nfunc G() int {\n\t//goport:ignore gated-symbol linux-only caller\n\treturn size\n}\n');
    git('add', 'a/use.go');
    write('a/use.go', CLEAN);
    const r = await run(['--staged', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(findingsOf(r.stdout)).toEqual([]);
    git('reset', '-q', 'a/use.go');
  });

  it('reports paths relative to a subdirectory it runs in', async () => {
    write('a/use.go', BAD);
    git('add', 'a/use.go');
    write('a/use.go', CLEAN);
    const r = await run(['--staged', '--format', 'json'], path.join(repo, 'a'));
    expect(findingsOf(r.stdout)).toEqual(['use.go:4 gated-symbol']);
    git('reset', '-q', 'a/use.go');
  });

  it('--changed-since REV analyzes work-tree changes and untracked files since REV', async () => {
    write('a/use.go', BAD);
    write('d/d.go', 'package d\n\nfunc D() int { return k }\n');
    write('d/k_linux.go', 'package d\n\nconst k = 1\n');
    const r = await run(['--changed-since', 'HEAD', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout)).toEqual(['a/use.go:4 gated-symbol', 'd/d.go:3 gated-symbol']);
    const bad = await run(['--changed-since', 'no-such-rev']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown revision "no-such-rev"/);
    write('a/use.go', CLEAN);
    fs.rmSync(path.join(repo, 'd'), { recursive: true });
  });

  it('takes file arguments as pre-commit passes them: whole packages analyzed, named files reported', async () => {
    write('a/use.go', BAD);
    const r = await run(['a/use.go', 'b/b_linux.go', '--format', 'json']);
    expect(findingsOf(r.stdout)).toEqual(['a/use.go:4 gated-symbol']); // b/b.go's finding is not in a named file
    write('a/use.go', CLEAN);
  });

  it('explains --staged outside a repository', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-nogit-'));
    try {
      const r = await run(['--staged'], outside);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not in a git repository/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('shipped hook definitions', () => {
  it('.pre-commit-hooks.yaml defines node hooks for goport', () => {
    const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    expect(hooks.map((h) => h.id)).toEqual(['goport', 'goport-staged']);
    for (const h of hooks) {
      expect(h).toMatchObject({ language: 'node', entry: expect.stringMatching(/^goport\b/) });
      expect(h.types ?? h.files).toBeTruthy();
    }
    // The default hook lets pre-commit pass the file names; the staged one reads the index itself.
    expect(hooks[0]).toMatchObject({ types: ['go'], require_serial: true });
    expect(hooks[1]).toMatchObject({ pass_filenames: false, entry: 'goport --staged' });
  });

  it('action.yml runs goport and uploads SARIF', () => {
    const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      runs: { using: string; steps: { uses?: string; run?: string; with?: Record<string, string> }[] };
      inputs: Record<string, unknown>;
    };
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    expect(steps.some((s) => s.run?.includes('--format') && s.run.includes('sarif='))).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['args', 'platforms', 'fail-on', 'upload-sarif']));
  });
});
