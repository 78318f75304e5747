import type { Span } from '../parser/facts.js';
import type { NodeId } from '../parser/syntax-table.js';
import type { PackageModel, Program, SourceFile } from '../model/program.js';
import type { PlatformMask, Targets } from '../platform/targets.js';
import type { Related, RuleMeta, Severity } from './types.js';
import type { Workspace } from './workspace.js';

export interface ReportInput<M extends string> {
  file: SourceFile;
  span: Span;
  messageId: M;
  data?: Record<string, string | number>;
  /** Affected platforms (a mask over the targets). */
  platforms: PlatformMask;
  symbol?: string;
  related?: Related[];
  suggestion?: string;
  /**
   * What is missing, the same for every use it breaks: `key` names it (`pkg/dir.Name`, `syscall.Dup2`),
   * `title` says it in words (default: the message).
   */
  cause?: { key: string; title?: string };
  /** This finding's severity when it is not the rule's (a harmless case of an otherwise serious check). */
  severity?: Severity;
  /** Edits that resolve the finding; each in `file` (default: the finding's file), span end exclusive. */
  fix?: { description: string; edits: { file?: SourceFile; span: Span; text: string; copy?: Span }[] };
}

export interface RuleContext<M extends string> {
  readonly program: Program;
  readonly workspace: Workspace;
  readonly pkg: PackageModel;
  readonly targets: Targets;
  report(r: ReportInput<M>): void;
  /** Counts something the rule could not decide (shown by --verbose); never a finding. */
  skip(reason: string, n?: number): void;
  /**
   * Whether findings in `file` are kept: every file, unless the run reports on some files only
   * (--staged, `check FILE...`); then a rule skips the work of the others (their bodies' types are
   * not checked, see Rule.bodies), and what it reports in a kept file must not depend on that work.
   */
  reportsOn(file: SourceFile): boolean;
}

/** What Rule.bodies is given. */
export interface BodiesContext {
  readonly program: Program;
  readonly workspace: Workspace;
  readonly targets: Targets;
  /** The files the run reports on. */
  readonly focus: ReadonlySet<SourceFile>;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  /** Runs once per package unit (a package, or an external test package). Pure: reads the model, reports. */
  check(ctx: RuleContext<M>): void;
  /**
   * For a rule whose answers depend on every package (e.g. summaries of functions called across
   * packages): called once per package while that package's body types are held, to read what
   * the rule needs of them; `check` then runs for every package after all were prepared. The
   * engine releases a package's body types once its rules ran (or prepared), so a rule never reads
   * another package's body types from `check`, only what it kept in `prepare`.
   */
  prepare?(ctx: RuleContext<M>): void;
  /**
   * For a run that reports on some files only: the top-level declarations (nodes of their syntax
   * tables) of other files of the analyzed packages whose body types the rule reads to judge the
   * focus files, e.g. the functions whose atomic summaries their calls need. The type layer checks
   * the bodies of the focus files and of these only. Called once, with every analyzed file parsed.
   */
  bodies?(ctx: BodiesContext): ReadonlyMap<SourceFile, ReadonlySet<NodeId>>;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

/** Fills `{key}` placeholders. */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (data && k in data ? String(data[k]) : m));
}
