/**
 * The nearest alternative to a name a platform lacks: first a small curated table of the famous
 * cases, then names of the same package (or members of the same type) that exist on that platform
 * and look alike: a small edit distance, or a common stem (`Atim` / `Atimespec`, `SYS_OPEN` /
 * `SYS_OPENAT`).
 */
import type { PlatformMask } from '../platform/targets.js';
import type { ApiView } from './view.js';

/** An alternative in another place: `pkg.name`, or member `member` of type `pkg.name`. */
export interface Curated {
  pkg: string;
  name: string;
  member?: string;
  /** How the message writes it. */
  text: string;
}

const X_UNIX = 'golang.org/x/sys/unix';
const X_WIN = 'golang.org/x/sys/windows';

const c = (pkg: string, name: string, text: string, member?: string): Curated => (member ? { pkg, name, member, text } : { pkg, name, text });

/**
 * Curated alternatives, keyed `path.Name` or `path.Type.Member`; the first one that exists on the
 * platform is used.
 */
export const CURATED: ReadonlyMap<string, readonly Curated[]> = new Map<string, Curated[]>([
  ['syscall.Dup2', [c(X_UNIX, 'Dup3', 'unix.Dup3'), c('syscall', 'Dup3', 'syscall.Dup3')]],
  ['syscall.Kill', [c('os', 'Process', '(*os.Process).Kill', 'Kill')]],
  ['syscall.Flock', [c(X_WIN, 'LockFileEx', 'windows.LockFileEx')]],
  [`${X_UNIX}.Flock`, [c(X_WIN, 'LockFileEx', 'windows.LockFileEx')]],
  ['syscall.Mmap', [c(X_WIN, 'MapViewOfFile', 'windows.MapViewOfFile')]],
  [`${X_UNIX}.Mmap`, [c(X_WIN, 'MapViewOfFile', 'windows.MapViewOfFile')]],
  ['syscall.Stat_t', [c('syscall', 'Win32FileAttributeData', 'syscall.Win32FileAttributeData'), c('os', 'FileInfo', 'os.FileInfo')]],
  ['syscall.Uname', [c(X_UNIX, 'Uname', 'unix.Uname')]],
  ['syscall.Utsname', [c(X_UNIX, 'Utsname', 'unix.Utsname')]],
  ['syscall.SysProcAttr.Setpgid', [c('syscall', 'SysProcAttr', 'CreationFlags', 'CreationFlags')]],
  ['syscall.SysProcAttr.Setsid', [c('syscall', 'SysProcAttr', 'CreationFlags', 'CreationFlags')]],
  ['syscall.SysProcAttr.Pdeathsig', [c('syscall', 'SysProcAttr', 'Setpgid', 'Setpgid')]],
  ['syscall.SysProcAttr.HideWindow', [c('syscall', 'SysProcAttr', 'Setsid', 'Setsid')]],
  ['syscall.SysProcAttr.CreationFlags', [c('syscall', 'SysProcAttr', 'Setpgid', 'Setpgid')]],
  ...(['syscall', X_UNIX] as const).flatMap((pkg) => {
    const q = pkg === 'syscall' ? 'syscall' : 'unix';
    const sys = (from: string, ...to: string[]): [string, Curated[]] => [`${pkg}.SYS_${from}`, to.map((t) => c(pkg, `SYS_${t}`, `${q}.SYS_${t}`))];
    return [
      sys('FORK', 'CLONE'),
      sys('VFORK', 'CLONE'),
      sys('STAT', 'FSTATAT', 'NEWFSTATAT'),
      sys('LSTAT', 'FSTATAT', 'NEWFSTATAT'),
      sys('CREAT', 'OPENAT'),
      sys('OPEN', 'OPENAT'),
      sys('CHMOD', 'FCHMODAT'),
      sys('CHOWN', 'FCHOWNAT'),
      sys('LCHOWN', 'FCHOWNAT'),
      sys('ACCESS', 'FACCESSAT'),
      sys('RMDIR', 'UNLINKAT'),
      sys('UTIME', 'UTIMENSAT'),
      sys('UTIMES', 'UTIMENSAT'),
      sys('GETPGRP', 'GETPGID'),
      sys('SELECT', 'PSELECT6'),
      sys('POLL', 'PPOLL'),
      sys('EPOLL_WAIT', 'EPOLL_PWAIT'),
      sys('DUP2', 'DUP3'),
    ];
  }),
]);

/** Levenshtein distance, bounded: returns limit+1 as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

const CONST_STYLE = /^[A-Z0-9_]+$/;

/** How far `cand` is from `missing` when it looks like a replacement for it; null when it doesn't. */
export function likeness(missing: string, cand: string): number | null {
  // Past five characters apart neither test below can pass (a prefix within 5, an edit within 2).
  if (cand === missing || Math.abs(cand.length - missing.length) > 5 || CONST_STYLE.test(missing) !== CONST_STYLE.test(cand)) return null;
  const [short, long] = missing.length <= cand.length ? [missing, cand] : [cand, missing];
  if (short.length >= 4 && long.startsWith(short) && long.length - short.length <= 5) return long.length - short.length;
  const limit = missing.length >= 8 ? 2 : missing.length >= 4 ? 1 : 0;
  if (limit === 0) return null;
  const d = editDistance(missing, cand, limit);
  return d <= limit ? d : null;
}

/** Names among `stored` that look like `missing`, best first. */
export function similarNames<M = PlatformMask>(missing: string, stored: Iterable<[string, M]>): [string, M][] {
  const out: { name: string; mask: M; d: number; len: number }[] = [];
  for (const [name, mask] of stored) {
    const d = likeness(missing, name);
    if (d !== null) out.push({ name, mask, d, len: Math.abs(name.length - missing.length) });
  }
  // Closest first; among equals a sibling of the same length (Dup2 for Dup3) before a shorter or longer name.
  out.sort((x, y) => x.d - y.d || x.len - y.len || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return out.map((x) => [x.name, x.mask]);
}

const similarMemo = new WeakMap<object, Map<string, [string, PlatformMask][]>>();

/**
 * similarNames, once per `owner` (the view of the index the names come from, for one run's
 * targets) and `key` (what is missing, and where): the same missing name is reported in many files
 * and on many platform groups, and each look walks every stored name.
 */
export function similarNamesOf<M>(owner: object, key: string, missing: string, stored: () => Iterable<[string, M]>, targets: (m: M) => PlatformMask): [string, PlatformMask][] {
  let m = similarMemo.get(owner);
  if (!m) similarMemo.set(owner, (m = new Map()));
  let r = m.get(key);
  if (!r) m.set(key, (r = similarNames(missing, stored()).map(([n, x]) => [n, targets(x)])));
  return r;
}

/** Targets where a curated alternative exists (its package's index decides; without one, trusted). */
export function curatedMask(alt: Curated, view: ApiView | null, all: PlatformMask): PlatformMask {
  if (!view) return all;
  if (alt.member === undefined) return view.name(alt.name) ?? view.present;
  const typeMask = view.typeMask(alt.name);
  return (view.member(alt.name, alt.member) ?? typeMask) | (view.open(alt.name) & typeMask);
}

/**
 * Splits `missing` by the alternative each platform has: alternative text (or '' for none) → targets.
 * `options` are tried in order; each is a text with the targets where it exists.
 */
export function splitByAlternative(missing: PlatformMask, options: readonly { text: string; mask: PlatformMask }[]): Map<string, PlatformMask> {
  const out = new Map<string, PlatformMask>();
  let left = missing;
  for (const o of options) {
    const here = left & o.mask;
    if (here === 0n) continue;
    out.set(o.text, (out.get(o.text) ?? 0n) | here);
    left &= ~here;
    if (left === 0n) break;
  }
  if (left) out.set('', left);
  return out;
}
