/** The suggestions build-constraint attaches to names that are not GOOS/GOARCH values. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { RunResult } from '../src/engine/types.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/build-constraint/runtime-compare');

async function run(): Promise<RunResult> {
  let stdout = '';
  await main(['check', './...', '--format', 'json', '--go-version', '1.22', '--enable', 'build-constraint'], { stdout: (s) => (stdout += s), stderr: () => undefined, cwd: DIR, isTTY: false, env: {} });
  return JSON.parse(stdout) as RunResult;
}

describe('build-constraint suggestions', () => {
  it('names the Go port another naming means, endianness included', async () => {
    const r = await run();
    const of = (value: string) => r.findings.find((f) => f.message.startsWith(`"${value}" is not a`))?.suggestion;
    expect(of('macos')).toBe('did you mean "darwin"?');
    expect(of('Windows')).toBe('did you mean "windows"?');
    // Not mips64 (big-endian): libseccomp's and Debian's mipsel names are Go's ...le ports.
    expect(of('mipsel64')).toBe('did you mean "mips64le"?');
  });
});
