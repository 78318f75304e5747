/**
 * A one-line progress bar on stderr for long runs: files read, then files parsed, out of the total.
 * Shown only on a terminal, never in CI (CI, GITHUB_ACTIONS, GITLAB_CI... set) nor with --quiet or
 * --no-progress; it appears after half a second, so quick runs (pre-commit) print nothing, and it
 * erases itself before any report is written.
 */

/** Environment variables that CI systems set. */
const CI_VARS = ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'TF_BUILD', 'JENKINS_URL', 'TEAMCITY_VERSION', 'CIRCLECI'];

export function inCI(env: NodeJS.ProcessEnv): boolean {
  return CI_VARS.some((v) => {
    const x = env[v];
    return x !== undefined && x !== '' && x !== 'false' && x !== '0';
  });
}

export interface ProgressOptions {
  /** --progress / --no-progress; null: decide from the terminal and the environment. */
  flag: boolean | null;
  quiet: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function progressEnabled(o: ProgressOptions): boolean {
  if (o.quiet) return false;
  if (o.flag !== null) return o.flag;
  return o.stderrIsTTY && !inCI(o.env) && o.env.TERM !== 'dumb';
}

export class Progress {
  private shown = false;
  private lastDraw = 0;
  private readonly start: number;

  constructor(
    private readonly write: (s: string) => void,
    readonly enabled: boolean,
    private readonly opts: { columns?: number; delayMs?: number; intervalMs?: number; now?: () => number } = {},
  ) {
    this.start = this.now();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Redraws at most every 100 ms, and not before the delay has passed. */
  update(label: string, done: number, total: number, unit = 'files'): void {
    if (!this.enabled || total <= 0) return;
    const t = this.now();
    if (t - this.start < (this.opts.delayMs ?? 500)) return;
    if (this.shown && t - this.lastDraw < (this.opts.intervalMs ?? 100) && done < total) return;
    this.lastDraw = t;
    this.shown = true;
    this.write(`\r\x1b[K${renderBar(label, done, total, this.opts.columns ?? 80, unit)}`);
  }

  /** Erases the bar (if it was drawn). */
  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `goport: parsing [#########.........] 1234/5000 files` fitted to the terminal width. */
export function renderBar(label: string, done: number, total: number, columns: number, unit = 'files'): string {
  const count = `${done}/${total} ${unit}`;
  const head = `goport: ${label} `;
  const width = Math.max(10, Math.min(40, columns - head.length - count.length - 4));
  const filled = Math.round((Math.min(done, total) / total) * width);
  return `${head}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}`;
}
