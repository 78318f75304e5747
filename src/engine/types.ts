/** The contracts between the engine, the rules and the reporters. */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export type RuleCategory = 'correctness' | 'suspicious' | 'style';

export interface RuleMeta<M extends string = string> {
  /** kebab-case id; equals the file names rules/<id>.ts, rules/<id>.md and fixtures/<id>/. */
  id: string;
  /** ≤ 60 characters, lower case start, no trailing period. */
  title: string;
  category: RuleCategory;
  severity: Severity;
  since: string;
  /** Message templates by camelCase messageId; `{key}` is replaced by the report's data. */
  messages: Record<M, string>;
}

/** A note attached to a finding: e.g. where a symbol is declared, or a per-platform offset. */
export interface Related {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** One finding, after merging across platforms. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** Path relative to the working directory, `/`-separated. */
  file: string;
  line: number;
  /** 1-based, in bytes of the UTF-8 line (as go vet). */
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  messageId: string;
  /** Platform ids, in target-list order. */
  platforms: string[];
  /** A stable name for what the finding is about (symbol, field...), used by baselines and fingerprints. */
  symbol?: string;
  related?: Related[];
  /** Suggested fix, in words. */
  suggestion?: string;
  /** What is missing (gated-symbol, platform-syscall): findings with one cause are grouped in text output. */
  cause?: Cause;
  /** Support tiers of the finding's platforms, ascending (only with `tiers` configured). */
  tiers?: number[];
  /** A mechanical edit that resolves the finding (`goport fix` applies it). */
  fix?: Fix;
}

/**
 * The declaration, API or package a finding misses. `id` is `rule:key@platforms`, the same for every
 * use it breaks; `uses` (set by the report pipeline) is how many findings of the report share it.
 */
export interface Cause {
  id: string;
  /** The cause in words: the finding's message unless the rule gives one. */
  title: string;
  uses?: number;
}

/** Edits that resolve a finding, applied together. */
export interface Fix {
  /** What the edit does, in words (`rewrite the +build line from //go:build`). */
  description: string;
  edits: FixEdit[];
}

/**
 * Replace the text between two positions (1-based lines, 1-based UTF-8 byte columns, end exclusive)
 * with `text`. `start`/`end` are the same positions as byte offsets in the file, filled in from the
 * file's bytes before the findings are reported (src/report/fixes.ts).
 */
export interface FixEdit {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  /**
   * Insert the file's own text between these positions (1-based lines and byte columns, end
   * exclusive) instead of `text`: how a rule moves a line it has no text of. Resolved into `text`
   * with the byte offsets.
   */
  copy?: [number, number, number, number];
  start?: number;
  end?: number;
}

export interface RunError {
  file: string;
  message: string;
  /**
   * 'constraint': go/build rejects the file for its build constraint (bad or repeated //go:build).
   * The build-constraint rule reports these as findings; the error is then not repeated.
   */
  kind?: 'constraint';
}

export interface RunSummary {
  files: number;
  packages: number;
  findings: number;
  byRule: Record<string, number>;
  byPlatform: Record<string, number>;
}

export interface RunResult {
  tool: { name: 'goport'; version: string };
  platforms: string[];
  findings: Finding[];
  errors: RunError[];
  summary: RunSummary;
  /** Counters for --verbose: skipped references by reason, processor in/out counts, timings. Not in JSON output. */
  stats?: Record<string, number>;
}
