/**
 * Per-GOARCH parameters of gc's type layout (cmd/compile/internal/types.PtrSize and RegSize, set from
 * cmd/internal/sys.Arch).
 */
import { NEWEST_GO_MINOR, PTR_SIZE } from '../platform/known.js';

export interface ArchLayout {
  readonly goarch: string;
  /** Size of pointers, int, uint, uintptr (and the word of strings, slices, interfaces). */
  readonly ptrSize: 4 | 8;
  /**
   * gc's RegSize: the alignment of int64, uint64, float64 and complex128 (and the largest alignment a
   * type other than sync/atomic.align64 can have). 4 on every 32-bit GOARCH gc supports; amd64p32
   * (Go <= 1.14) was the one 4-byte-pointer port with 8-byte registers.
   */
  readonly regSize: 4 | 8;
  /** The Go release whose standard-library layouts apply (N of go1.N). */
  readonly goMinor: number;
}

/** GOARCHes whose RegSize differs from their pointer size (cmd/internal/sys/arch.go). */
const REG_SIZE: Readonly<Record<string, 4 | 8>> = { amd64p32: 8 };

const cache = new Map<string, ArchLayout>();

/** Layout parameters of `goarch` for Go 1.`goMinor` (default: the newest release goport knows). */
export function archLayout(goarch: string, goMinor: number = NEWEST_GO_MINOR): ArchLayout {
  const key = `${goarch}/${goMinor}`;
  let a = cache.get(key);
  if (a) return a;
  const ptrSize = Object.hasOwn(PTR_SIZE, goarch) ? PTR_SIZE[goarch] : undefined;
  if (ptrSize === undefined) throw new RangeError(`goport: unknown GOARCH ${JSON.stringify(goarch)}`);
  a = Object.freeze({ goarch, ptrSize, regSize: REG_SIZE[goarch] ?? ptrSize, goMinor });
  cache.set(key, a);
  return a;
}
