/**
 * `exclude` patterns (config key and `--exclude` flag), with .gitignore-like meaning:
 * `*` and `?` stay within one path element, `**` spans any number of them, a pattern without a
 * `/` matches a name at any depth, and a pattern that matches a directory excludes all below it.
 */
import path from 'node:path';

function globBody(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` = zero or more directories; a trailing `**` = everything below.
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return re;
}

export class ExcludeMatcher {
  private readonly res: RegExp[];

  /**
   * @param patterns as written
   * @param base absolute directory the patterns are relative to (the config file's, or the cwd for flags)
   */
  constructor(
    readonly patterns: readonly string[],
    readonly base: string,
  ) {
    this.res = patterns.map((p) => {
      // `dir/**` is `dir` itself and all below (a matching directory excludes its whole subtree).
      let g = p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '').replace(/\/\*\*$/, '');
      const anyDepth = !g.includes('/');
      if (g.startsWith('/')) g = g.slice(1);
      return new RegExp(`^${anyDepth ? '(?:.*/)?' : ''}${globBody(g)}$`);
    });
  }

  get empty(): boolean {
    return this.res.length === 0;
  }

  /** True when the absolute path, or a directory above it (up to base), is excluded. */
  matches(abs: string): boolean {
    if (this.res.length === 0) return false;
    const rel = path.relative(this.base, abs).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return false;
    const parts = rel.split('/');
    for (let n = parts.length; n >= 1; n--) {
      const prefix = parts.slice(0, n).join('/');
      if (this.res.some((r) => r.test(prefix))) return true;
    }
    return false;
  }
}

/** Several matchers (config and flags), each with its own base. */
export function anyExcluded(matchers: readonly ExcludeMatcher[], abs: string): boolean {
  return matchers.some((m) => m.matches(abs));
}
