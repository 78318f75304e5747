import type { RuleMeta, RunResult } from '../../engine/types.js';
import type { GetLines } from '../types.js';

export interface ReporterOptions {
  /** Colour output (text only). The CLI decides: a TTY and no NO_COLOR. */
  color: boolean;
  /** Platform ids in target-list order; used for compaction (`windows/*`, `*`) and ordering. */
  targets: readonly string[];
  /** Working directory; finding paths are relative to it. */
  cwd: string;
  /** Source lines, for UTF-16 columns and fingerprints (SARIF, github). */
  getLines?: GetLines;
  /** Rule docs (rules/<id>.md, Markdown) by rule id, for SARIF help texts. */
  docs?: Readonly<Record<string, string>>;
  /** Text: `cause` (default) prints findings that share a cause under it; `none` one line each. */
  group?: 'cause' | 'none';
}

/**
 * A reporter is a pure function of a run (sorted, merged findings) and rule metadata to the text
 * of one output. The CLI does the writing, so one run can write several formats.
 */
export interface Reporter {
  format: string;
  /** Conventional file extension (no dot) for `--format NAME=path` defaults and golden files. */
  extension: string;
  render(run: RunResult, rules: readonly RuleMeta[], opts: ReporterOptions): string;
}
