/**
 * `--verbose` says why the type layer gave up: the commonest reasons an expression's type is
 * unknown, each a root cause (a missing module, cgo, a std package without a declaration table…),
 * not the operand or variable it spread to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-types-verbose-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'go.mod': 'module example.com/vmod\n\ngo 1.22\n\nrequire example.com/gone v1.0.0\n',
  // example.com/gone is in no vendor/ or module cache; debug/elf comes from its declaration table;
  // simd/archsimd (only with GOEXPERIMENT=simd) has none.
  'main.go': `package main

import (
	"debug/elf"
	"fmt"
	"simd/archsimd"

	"example.com/gone"
)

func main() {
	c := gone.New()
	n := c.Size()
	m := n + 1
	fmt.Println(n, m, c.Name)
	f, err := elf.Open("x")
	if err == nil {
		fmt.Println(f.Class, f.Machine)
	}
	var x archsimd.Uint64x2
	y := x.CarrylessMultiplyEven(x)
	fmt.Println(x, y)
	for i := range 3 {
		fmt.Println(i)
	}
}
`,
  'cgo.go': `package main

// int twice(int x) { return 2 * x; }
import "C"

func twice(x int) int {
	r := C.twice(C.int(x))
	return int(r) + int(r)
}
`,
};
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);

async function verbose(args: string[]): Promise<Map<string, number>> {
  let stderr = '';
  await main(['check', './...', '-v', '--no-cache', '--format', 'json', '--platforms', 'linux/amd64', '--go-version', '1.27', ...args], {
    stdout: () => {},
    stderr: (s) => (stderr += s),
    cwd: dir,
    isTTY: false,
    env: {},
  });
  const out = new Map<string, number>();
  for (const m of stderr.matchAll(/^\s+types: unknown \((.*)\): (\d+)$/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

describe('--verbose: why types are unknown', () => {
  it('names the missing module, the std package without a table and cgo, with counts', async () => {
    const reasons = await verbose(['--cgo']);
    // gone, New, c, Size, n, m, c.Name's c (uses through c and n count for the module).
    expect(reasons.get('missing module (example.com/gone)')).toBeGreaterThanOrEqual(6);
    expect(reasons.get('no declaration table (std simd/archsimd)')).toBeGreaterThanOrEqual(3);
    // Every other std package has a table: debug/elf's uses are typed.
    expect([...reasons.keys()].filter((k) => k.includes('debug/elf'))).toEqual([]);
    expect(reasons.get('cgo (import "C")')).toBeGreaterThanOrEqual(3);
    // Root causes only: no reason says just that an operand or a variable was unknown.
    for (const k of reasons.keys()) expect(k).not.toMatch(/^unknown (operand|variable type|type|signature|result|constant)$/);
  }, 60_000);

  it('has no cgo reason when the cgo file is not compiled', async () => {
    const reasons = await verbose([]);
    expect(reasons.has('cgo (import "C")')).toBe(false);
    expect(reasons.get('missing module (example.com/gone)')).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
