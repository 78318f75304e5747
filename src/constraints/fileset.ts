/**
 * Which files of a directory Go compiles on each target platform (go/build Import with
 * CGO_ENABLED as configured), computed once per distinct constraint and grouped so that
 * platforms that see the same files share one evaluation.
 */
import { type BuildContext, type BuildOptions, buildContext, fileNameTags, matchTag } from './context.js';
import { evalExpr, exprString } from './expr.js';
import type { HeaderInfo } from './header.js';
import type { PlatformMask, Targets } from '../platform/targets.js';

/** Evaluates constraints over all targets, caching by constraint text. */
export class ConstraintEvaluator {
  private readonly ctxs: BuildContext[];
  /** The same contexts with cgo on: where a file would be compiled if cgo were enabled. */
  private readonly cgoCtxs: BuildContext[];
  private readonly cache = new Map<string, PlatformMask>();
  /** Number of distinct (name suffix, expression) pairs evaluated: for --verbose. */
  evaluations = 0;

  constructor(readonly targets: Targets, readonly opts: BuildOptions) {
    this.ctxs = targets.list.map((p) => buildContext(p, opts));
    this.cgoCtxs = this.ctxs.map((c) => (c.cgo ? c : { ...c, cgo: true }));
  }

  /**
   * Platforms where a file is left out only because cgo is off there (it imports "C" or its
   * constraint needs `cgo`); `mask` is its fileMask. 0 for files that do not depend on cgo.
   */
  cgoOnlyMask(name: string, header: HeaderInfo, mask: PlatformMask): PlatformMask {
    if (header.invalid || this.ctxs.every((c) => c.cgo)) return 0n;
    const mentionsCgo = header.cgo || (header.constraint !== null && /\bcgo\b/.test(exprString(header.constraint)));
    if (!mentionsCgo) return 0n;
    return this.evaluate(name, header, this.cgoCtxs, 'cgo-on') & ~mask;
  }

  /** Platforms where a file passes its name suffix and its build constraint. */
  fileMask(name: string, header: HeaderInfo): PlatformMask {
    return this.evaluate(name, header, this.ctxs, '');
  }

  private evaluate(name: string, header: HeaderInfo, ctxs: readonly BuildContext[], variant: string): PlatformMask {
    if (header.invalid) return 0n;
    const nameTags = fileNameTags(name, this.opts.goMinor);
    // go/build drops a file that imports "C" when cgo is off, except a _test.go file: that one
    // it keeps in TestGoFiles/XTestGoFiles and reports "use of cgo in test … not supported".
    const needsCgo = header.cgo && !name.endsWith('_test.go');
    const key = `${nameTags.join(',')}|${header.constraint ? exprString(header.constraint) : ''}|${needsCgo ? 'C' : ''}|${variant}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    if (variant === '') this.evaluations++;
    let mask = 0n;
    ctxs.forEach((ctx, i) => {
      if (needsCgo && !ctx.cgo) return;
      if (!nameTags.every((t) => matchTag(ctx, t))) return;
      if (header.constraint && !evalExpr(header.constraint, (t) => matchTag(ctx, t))) return;
      mask |= 1n << BigInt(i);
    });
    this.cache.set(key, mask);
    return mask;
  }
}

export interface ClassifiedFile {
  name: string;
  header: HeaderInfo;
  /** Platforms where go/build keeps the file. */
  mask: PlatformMask;
  isTest: boolean;
}

export interface UnitFiles {
  /** Package name as Go sees it (for the xtest unit: "p_test"). */
  name: string;
  kind: 'lib' | 'xtest';
  /** Files of the unit with the platforms where each belongs to it. */
  files: { index: number; mask: PlatformMask }[];
  /** Platforms where the unit has at least one file. */
  mask: PlatformMask;
}

/**
 * Splits a directory's files into the package and its external test package, per platform,
 * with go/build's rules: the first file (in name order) names the package; a `_test.go` file
 * whose package is `<that>_test`... is an external test file. Files of package `documentation`
 * are ignored. Platforms with identical file sets are classified once.
 */
export function classifyDir(files: ClassifiedFile[], targets: Targets): { lib: UnitFiles; xtest: UnitFiles; conflicts: string[] } {
  const lib: UnitFiles = { name: '', kind: 'lib', files: [], mask: 0n };
  const xtest: UnitFiles = { name: '', kind: 'xtest', files: [], mask: 0n };
  const libMasks = new Map<number, PlatformMask>();
  const xMasks = new Map<number, PlatformMask>();
  const conflicts = new Set<string>();
  // Group platforms by the set of files they keep.
  const groups = new Map<string, PlatformMask>();
  targets.list.forEach((_, i) => {
    const bit = 1n << BigInt(i);
    let key = '';
    files.forEach((f, j) => {
      if (f.mask & bit && f.header.pkgName !== 'documentation') key += `${j},`;
    });
    groups.set(key, (groups.get(key) ?? 0n) | bit);
  });
  for (const [key, gmask] of groups) {
    if (key === '') continue;
    let pname = '';
    for (const js of key.slice(0, -1).split(',')) {
      const j = Number(js);
      const f = files[j]!;
      let pkg = f.header.pkgName ?? '';
      let isX = false;
      if (f.isTest && pkg.endsWith('_test') && pname !== pkg) {
        isX = true;
        pkg = pkg.slice(0, -'_test'.length);
      }
      if (pname === '') pname = pkg;
      else if (pkg !== pname) conflicts.add(`found packages ${pname} and ${pkg} in the same directory (${f.name})`);
      const m = isX ? xMasks : libMasks;
      m.set(j, (m.get(j) ?? 0n) | gmask);
      if (isX) {
        xtest.mask |= gmask;
        if (!xtest.name) xtest.name = f.header.pkgName ?? '';
      } else {
        lib.mask |= gmask;
      }
    }
    if (!lib.name) lib.name = pname;
  }
  for (const [index, mask] of [...libMasks].sort((a, b) => a[0] - b[0])) lib.files.push({ index, mask });
  for (const [index, mask] of [...xMasks].sort((a, b) => a[0] - b[0])) xtest.files.push({ index, mask });
  return { lib, xtest, conflicts: [...conflicts] };
}
