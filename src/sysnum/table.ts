/**
 * The bundled raw system call numbers (data/sysnum/, written by ./generate.ts): which `SYS_*`
 * constants a number is on a platform, and a constant's number there. golang.org/x/sys/unix's
 * tables are newer and cover more ports; the standard library's fill in what x/sys lacks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shipped } from '../paths.js';
import type { SysnumTable } from './generate.js';

/** data/sysnum of the package. */
function dataDir(): string {
  return shipped('data', 'sysnum');
}

export class Sysnums {
  /** By package (`syscall`, `golang.org/x/sys/unix`), platform, constant name (without `SYS_`). */
  private readonly byPkg = new Map<string, Map<string, Map<string, number>>>();
  private readonly byNumber = new Map<string, Map<number, string[]>>();

  constructor(tables: readonly SysnumTable[]) {
    for (const t of tables) {
      const m = new Map<string, Map<string, number>>();
      for (const [id, consts] of Object.entries(t.platforms)) m.set(id, new Map(Object.entries(consts)));
      this.byPkg.set(t.pkg, m);
    }
    // Numbers: x/sys first (newer), then syscall for platforms x/sys lacks.
    for (const pkg of ['golang.org/x/sys/unix', 'syscall']) {
      for (const [id, consts] of this.byPkg.get(pkg) ?? []) {
        if (this.byNumber.has(id)) continue;
        const nums = new Map<number, string[]>();
        for (const [name, n] of consts) nums.set(n, [...(nums.get(n) ?? []), name]);
        this.byNumber.set(id, nums);
      }
    }
  }

  /** The highest number a platform's table knows: numbers above it may be newer system calls. */
  max(platform: string): number {
    let m = -1;
    for (const n of this.byNumber.get(platform)?.keys() ?? []) if (n > m) m = n;
    return m;
  }

  /** Whether any table covers the platform. */
  has(platform: string): boolean {
    return this.byNumber.has(platform);
  }

  /** The names (without `SYS_`) a number has on a platform, sorted; empty when it is none. */
  names(platform: string, n: number): string[] {
    return [...(this.byNumber.get(platform)?.get(n) ?? [])].sort();
  }

  /** Every constant name (without `SYS_`) of a platform, from any table. */
  constants(platform: string): Set<string> {
    const out = new Set<string>();
    for (const m of this.byPkg.values()) for (const name of m.get(platform)?.keys() ?? []) out.add(name);
    return out;
  }

  /** The number of `SYS_<name>` on a platform, from any table. */
  number(platform: string, name: string): number | undefined {
    for (const pkg of ['golang.org/x/sys/unix', 'syscall']) {
      const n = this.byPkg.get(pkg)?.get(platform)?.get(name);
      if (n !== undefined) return n;
    }
    return undefined;
  }

  /** Whether package `pkg` declares `SYS_<name>` on the platform. */
  declares(pkg: string, platform: string, name: string): boolean {
    return this.byPkg.get(pkg)?.get(platform)?.has(name) ?? false;
  }
}

let bundled: Sysnums | undefined;

/** The tables shipped in data/sysnum. */
export function bundledSysnums(): Sysnums {
  if (!bundled) {
    const dir = dataDir();
    const tables = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SysnumTable)
      : [];
    bundled = new Sysnums(tables);
  }
  return bundled;
}
