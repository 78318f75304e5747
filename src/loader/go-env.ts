/** What the `go` command on PATH says about itself, when there is one. */
import { spawnSync } from 'node:child_process';

let cached: Record<string, string> | null | undefined;

/** `go env GOVERSION GOROOT GOMODCACHE GOTOOLCHAIN`, or null when no go is on PATH. Asked once per process. */
export function goEnv(): Record<string, string> | null {
  if (cached !== undefined) return cached;
  if (process.env.GOPORT_NO_GO === '1') return (cached = null);
  try {
    const r = spawnSync('go', ['env', 'GOVERSION', 'GOROOT', 'GOMODCACHE', 'GOTOOLCHAIN'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0 || !r.stdout) return (cached = null);
    const [GOVERSION = '', GOROOT = '', GOMODCACHE = '', GOTOOLCHAIN = ''] = r.stdout.split('\n');
    cached = { GOVERSION, GOROOT, GOMODCACHE, GOTOOLCHAIN };
  } catch {
    cached = null;
  }
  return cached;
}
