/**
 * Contracts of the findings pipeline (src/report/processors) that runs between the engine and the
 * reporters. The finding types themselves live in src/engine/types.ts.
 */
import type { Finding, RunError, Severity } from '../engine/types.js';
import type { Baseline } from './processors/baseline.js';
import type { TierTable } from '../config/tiers.js';

/**
 * A finding as the engine emits it: the same shape as {@link Finding}, but `platforms` lists only the
 * platforms of one platform group, and the same problem may come once per group. The `merge`
 * processor folds these into one {@link Finding} per problem.
 */
export type RawFinding = Finding;

/** Source lines of a file (no line terminators), or undefined when the file can't be read. */
export type GetLines = (file: string) => readonly string[] | undefined;

/** Everything a processor may read. Processors never change it. */
export interface PipelineContext {
  /** Platform ids in target-list order: the order of every merged `platforms` list. */
  targets: readonly string[];
  /** Source lines by file path (as in `Finding.file`); needed by `ignore`, `baseline`. */
  getLines?: GetLines;
  /**
   * Files analysed in this run. With `reportUnusedIgnores`, their directives are checked for use
   * even when they have no finding. Not needed otherwise: `ignore` only reads files with findings.
   */
  files?: readonly string[];
  /** Report `//goport:ignore` directives that matched nothing as `unused-ignore` findings. */
  reportUnusedIgnores?: boolean;
  /** Rules that ran. When given, unused-ignore reports only directives for these (as staticcheck does). */
  enabledRules?: ReadonlySet<string>;
  /** Every registered rule id. When given, an unknown id in a `//goport:ignore` directive is an error. */
  knownRules?: ReadonlySet<string>;
  /** Per-rule severity overrides; `'off'` drops the rule's findings. */
  severityOverrides?: Readonly<Record<string, Severity | 'off'>>;
  /** When given, only findings in these files are kept (pre-commit / changed-files mode). */
  onlyFiles?: ReadonlySet<string>;
  /** A parsed baseline: findings it already holds are dropped. */
  baseline?: Baseline;
  /** Support tiers (`tiers` in .goport.yml): severity caps and each finding's `tiers`. */
  tiers?: TierTable;
}

export interface ProcessResult {
  findings: Finding[];
  /** Problems the processor found in the input (e.g. a malformed directive). */
  errors?: RunError[];
  /** Extra counters, recorded as `processor.<name>.<key>`. */
  stats?: Record<string, number>;
}

/**
 * One named step of the chain. `process` is pure: it never mutates its input findings (it returns
 * new objects for changed ones) nor the context.
 */
export interface Processor {
  name: string;
  process(findings: readonly Finding[], ctx: PipelineContext): ProcessResult;
}

export interface PipelineResult {
  findings: Finding[];
  errors: RunError[];
  /** `processor.<name>.in` / `.out` for every step, plus each step's own counters. */
  stats: Record<string, number>;
}
