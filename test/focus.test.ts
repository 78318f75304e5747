/**
 * A run on named files (`check FILE...`, --staged) type-checks the bodies of those files only (and
 * of the functions whose atomic summaries their calls need): its findings in those files are the
 * ones a check of their whole packages reports there, including findings that need facts of other
 * files of the package (summaries of functions declared elsewhere whose bodies reach an atomic
 * operation, to a fixpoint across files; a function and a method declared only in a _linux.go
 * file; a type inferred from another file's function result; a constant of a platform file).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { tempTrees } from './helpers/temp-tree.js';

const FILES: Record<string, string> = {
  'a/a.go': `package a

import (
	"sync/atomic"

	"example.com/focus/b"
)

type T struct {
	mu int32
	n  int64
}

// Use passes a misaligned word to bump (b.go), which reaches atomic.AddInt64 through deeper (c.go).
func Use(t *T) {
	bump(&t.n)
}

// Count calls a method declared in counter.go whose body reaches an atomic operation.
func Count(t *T, c *Counter) {
	c.add(&t.n)
}

// Gate calls a function declared only in a_linux.go.
func Gate() {
	linuxOnly()
}

// Infer selects a method declared only in u_linux.go on a value whose type comes from make2 (u.go).
func Infer() {
	x := make2()
	x.F()
	y := x.Self()
	y.F()
}

// Direct is a direct misaligned access.
func Direct(t *T) int64 {
	return atomic.LoadInt64(&t.n)
}

// Other calls into another package (not followed: b is not analyzed with a alone).
func Other(t *T) {
	b.Store(&t.n)
}

func Big() int {
	return big
}
`,
  'a/a_linux.go': `package a

func linuxOnly() {}

func (u *U) F() {}

const big = 1 << 40
`,
  'a/a_other.go': `//go:build !linux

package a

const big = 1 << 20
`,
  'a/a_test.go': `package a

import "testing"

var table = []struct{ in, want int }{{1, 2}, {3, 4}}

func TestA(t *testing.T) {
	for _, c := range table {
		if c.in > c.want {
			t.Fatal(c)
		}
	}
	var x T
	Use(&x)
	linuxOnly()
}
`,
  'a/b.go': `package a

func bump(p *int64) {
	deeper(p)
}

// Bump is called from the external test package (x_test.go).
func Bump(p *int64) {
	bump(p)
}

// A finding of its own, in a file not named.
func bumpHere(t *T) {
	bump(&t.n)
	linuxOnly()
}
`,
  'a/c.go': `package a

import "sync/atomic"

func deeper(p *int64) {
	atomic.AddInt64(p, 1)
}
`,
  'a/counter.go': `package a

import satomic "sync/atomic"

type Counter struct{ total int64 }

func (c *Counter) add(p *int64) {
	satomic.AddInt64(p, 2)
	satomic.AddInt64(&c.total, 1)
}
`,
  'a/never.go': `//go:build linux && windows

package a

func never() { linuxOnly() }
`,
  'a/u.go': `package a

type U struct{ next *U }

func make2() *U { return &U{} }

func (u *U) Self() *U { return u.next }
`,
  'a/x_test.go': `package a_test

import (
	"testing"

	"example.com/focus/a"
)

type pad struct {
	b byte
	n int64
}

func TestX(t *testing.T) {
	var x a.T
	a.Use(&x)
	var p pad
	a.Bump(&p.n) // Bump (b.go) → bump → deeper (c.go): the other unit's bodies
}
`,
  'b/b.go': `package b

import "sync/atomic"

func Store(p *int64) {
	atomic.StoreInt64(p, 1)
}
`,
  'go.mod': `module example.com/focus

go 1.21
`,
};

const trees = tempTrees('goport-focus-');
let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(trees.tree(FILES));
});
afterAll(() => trees.remove());

interface Finding { file: string; line: number; rule: string; message: string; platforms: string[]; cause?: { uses?: number } }

async function run(argv: string[], cwd = dir) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: { GOPORT_CACHE: 'off' } });
  return { code, stdout, stderr };
}

/**
 * The findings of a run, as JSON, each without its cause's use count: that counts the findings the
 * report shows (src/report/processors/cause.ts), so a report on fewer files counts fewer uses.
 */
async function findings(argv: string[], cwd = dir): Promise<Finding[]> {
  const r = await run([...argv, '--format', 'json', '-j', '1'], cwd);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout).findings as (Finding & { cause?: { uses?: number } })[];
  for (const f of out) delete f.cause?.uses;
  return out;
}

/** The `types: expressions typed` count of --verbose. */
async function typed(argv: string[]): Promise<number> {
  const r = await run([...argv, '--verbose', '--format', 'json', '-o', path.join(dir, 'out.json'), '-j', '1']);
  const m = /types: expressions typed: (\d+)/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return Number(m![1]);
}

const brief = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line} ${f.rule}`);

describe('a run on named files checks only their bodies, with the same findings', () => {
  it('reports in a/a.go what a check of the package reports there', async () => {
    const whole = await findings(['check', './a']);
    const named = await findings(['check', 'a/a.go']);
    expect(named).toEqual(whole.filter((f) => f.file === 'a/a.go'));
    // Every kind of finding that needs another file of the package is there.
    expect(brief(named)).toEqual([
      'a/a.go:16 atomic-alignment', // bump (b.go) → deeper (c.go) → atomic.AddInt64
      'a/a.go:21 atomic-alignment', // Counter.add (counter.go)
      'a/a.go:26 gated-symbol', // linuxOnly (a_linux.go)
      'a/a.go:32 gated-symbol', // make2() (u.go) returns *U; U.F is in a_linux.go
      'a/a.go:34 gated-symbol', // (*U).Self() (u.go)
      'a/a.go:39 atomic-alignment',
      'a/a.go:48 int-overflow-32bit', // big: 1 << 40 in a_linux.go
    ]);
    expect(named.find((f) => f.line === 16)!.message).toContain('atomic.AddInt64 in deeper');
    // The other files' findings are there in the whole check (and not reported for a/a.go).
    expect(brief(whole)).toContain('a/b.go:14 atomic-alignment');
    expect(brief(whole)).toContain('a/a_test.go:15 gated-symbol');
  });

  it('is the same for every file named, one at a time and together', async () => {
    const whole = await findings(['check', './a']);
    expect(brief(whole)).toContain('a/never.go:1 build-constraint'); // in no unit: no platform compiles it
    expect(brief(whole)).toContain('a/x_test.go:18 atomic-alignment');
    for (const f of ['a/b.go', 'a/a_test.go', 'a/x_test.go', 'a/u.go', 'a/never.go']) {
      expect(await findings(['check', f]), f).toEqual(whole.filter((x) => x.file === f));
    }
    const two = await findings(['check', 'a/a.go', 'a/b.go']);
    expect(two).toEqual(whole.filter((x) => x.file === 'a/a.go' || x.file === 'a/b.go'));
  });

  it('types fewer expressions than a check of the package', async () => {
    const all = await typed(['check', './a']);
    const one = await typed(['check', 'a/a.go']);
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThan(all);
  });

  it('is the same with --staged', async () => {
    if (spawnSync('git', ['--version']).status !== 0) return;
    const repo = fs.realpathSync(trees.tree(FILES));
    const git = (...args: string[]) => {
      const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    };
    git('init', '-q');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    git('config', 'commit.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-qm', 'init', '--no-verify');
    fs.appendFileSync(path.join(repo, 'a/a.go'), '\nvar _ = 1\n');
    git('add', 'a/a.go');
    const whole = await findings(['check', './a'], repo);
    const staged = await findings(['check', '--staged'], repo);
    expect(staged.length).toBeGreaterThan(0);
    expect(staged).toEqual(whole.filter((f) => f.file === 'a/a.go'));
  });
});
