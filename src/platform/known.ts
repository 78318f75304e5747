/**
 * Facts about Go's operating systems and architectures, as go/build and
 * cmd/dist know them (go/build/syslist.go, `go tool dist list`).
 */
import { ALL_PORTS, NEWEST_RELEASE_MINOR } from './releases.js';

/** GOOS values go/build recognises in file names and as `unix` members. */
export const KNOWN_OS: readonly string[] = [
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux',
  'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
];

/** The first Go release whose go/build knows a GOOS/GOARCH name (only names younger than Go 1.19). */
export const KNOWN_SINCE: Readonly<Record<string, number>> = { wasip1: 21 };

/** GOOS values that satisfy the `unix` build tag (go/build's unixOS). */
export const UNIX_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux',
  'netbsd', 'openbsd', 'solaris',
]);

/** GOARCH values go/build recognises in file names. */
export const KNOWN_ARCH: readonly string[] = [
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64',
  's390', 's390x', 'sparc', 'sparc64', 'wasm',
];

/** Pointer size in bytes per GOARCH (cmd/internal/sys). */
export const PTR_SIZE: Readonly<Record<string, 4 | 8>> = {
  '386': 4, amd64: 8, amd64p32: 4, arm: 4, armbe: 4, arm64: 8, arm64be: 8, loong64: 8,
  mips: 4, mipsle: 4, mips64: 8, mips64le: 8, mips64p32: 4, mips64p32le: 4, ppc: 4, ppc64: 8,
  ppc64le: 8, riscv: 4, riscv64: 8, s390: 4, s390x: 8, sparc: 4, sparc64: 8, wasm: 8,
};

/** Big-endian architectures. */
export const BIG_ENDIAN: ReadonlySet<string> = new Set([
  'armbe', 'arm64be', 'mips', 'mips64', 'mips64p32', 'ppc', 'ppc64', 's390', 's390x', 'sparc', 'sparc64',
]);

/**
 * Every port of `go tool dist list` of any Go release goport knows (1.19 to the newest; see
 * releases.ts for each release's own list, which `--platforms` uses).
 */
export const DIST_LIST: readonly string[] = ALL_PORTS;

/** The platforms Kubernetes ships for: goport's default targets. */
export const KUBERNETES: readonly string[] = [
  'linux/amd64', 'linux/arm64', 'linux/arm', 'linux/386', 'linux/ppc64le', 'linux/s390x',
  'darwin/amd64', 'darwin/arm64', 'windows/amd64', 'windows/arm64', 'windows/386',
];

/** The newest Go release goport knows (minor number of go1.N). */
export const NEWEST_GO_MINOR = NEWEST_RELEASE_MINOR;

/** The GOARCH feature-level variables the go command reads (cmd/internal/buildcfg). */
export const ARCH_ENV_VARS = ['GO386', 'GOAMD64', 'GOARM', 'GOARM64', 'GOMIPS', 'GOMIPS64', 'GOPPC64', 'GORISCV64'] as const;

export type ArchEnv = Partial<Record<(typeof ARCH_ENV_VARS)[number], string>>;

/**
 * GOARCH feature tags (cmd/internal/buildcfg gogoarchTags), from the GO386, GOAMD64, GOARM, GOARM64,
 * GOMIPS(64), GOPPC64 and GORISCV64 environment variables when set, else upstream Go's defaults
 * (GOAMD64=v1, GOARM=7, GO386=sse2, GOARM64=v8.0, GOMIPS=hardfloat, GOPPC64=power8, GORISCV64=rva20u64).
 * Go 1.19 sets none of these tags; arm64 and riscv64 got theirs in Go 1.23.
 * Note that some distributions build Go with other defaults (Debian's Go uses GO386=softfloat):
 * set the variable to match such a toolchain.
 */
export function archFeatureTags(goarch: string, goMinor: number = NEWEST_GO_MINOR, env: ArchEnv = {}): string[] {
  if (goMinor < 20) return [];
  const upTo = (prefix: string, from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => `${prefix}${from + i}`);
  switch (goarch) {
    case '386':
      return [`386.${env.GO386 === 'softfloat' ? 'softfloat' : 'sse2'}`];
    case 'amd64': {
      const m = /^v([1-4])$/.exec(env.GOAMD64 ?? '');
      return upTo('amd64.v', 1, m ? Number(m[1]) : 1);
    }
    case 'arm': {
      const m = /^([5-7])(,(soft|hard)float)?$/.exec(env.GOARM ?? '');
      return upTo('arm.', 5, m ? Number(m[1]) : 7);
    }
    case 'arm64': {
      if (goMinor < 23) return [];
      const m = /^v(8|9)\.(\d)(,.*)?$/.exec(env.GOARM64 ?? '');
      if (!m) return ['arm64.v8.0'];
      const minor = Number(m[2]);
      if (m[1] === '8') return upTo('arm64.v8.', 0, minor);
      return [...upTo('arm64.v8.', 0, Math.min(9, minor + 5)), ...upTo('arm64.v9.', 0, minor)];
    }
    case 'mips':
    case 'mipsle':
      return [`${goarch}.${env.GOMIPS === 'softfloat' ? 'softfloat' : 'hardfloat'}`];
    case 'mips64':
    case 'mips64le':
      return [`${goarch}.${env.GOMIPS64 === 'softfloat' ? 'softfloat' : 'hardfloat'}`];
    case 'ppc64':
    case 'ppc64le': {
      const m = /^power(8|9|10)$/.exec(env.GOPPC64 ?? '');
      return upTo(`${goarch}.power`, 8, m ? Number(m[1]) : 8);
    }
    case 'riscv64': {
      if (goMinor < 23) return [];
      const levels = ['rva20u64', 'rva22u64', 'rva23u64'];
      const i = Math.max(0, levels.indexOf(env.GORISCV64 ?? 'rva20u64'));
      return levels.slice(0, i + 1).map((l) => `riscv64.${l}`);
    }
    default:
      return [];
  }
}
