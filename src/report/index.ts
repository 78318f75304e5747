/** src/report: the findings pipeline (processors/) and the output formats (reporters/). */
export type { GetLines, PipelineContext, PipelineResult, Processor, ProcessResult, RawFinding } from './types.js';
export { PIPELINE, runPipeline, runProcessors } from './pipeline.js';
export { mergeFindings, mergeProcessor } from './processors/merge.js';
export {
  ignoreProcessor,
  parseDirective,
  scanDirectives,
  UNUSED_IGNORE_RULE,
  UNUSED_IGNORE_RULE_ID,
  type Directive,
} from './processors/ignore.js';
export { severityProcessor } from './processors/severity.js';
export { filterFilesProcessor } from './processors/filter-files.js';
export {
  baselineProcessor,
  BaselineError,
  BASELINE_VERSION,
  parseBaseline,
  writeBaseline,
  type Baseline,
  type BaselineEntry,
} from './processors/baseline.js';
export { compareFindings, sortFindings, sortProcessor } from './processors/sort.js';
export { baselineFingerprint, sarifFingerprint } from './fingerprint.js';
export { byteColumn, splitPosition, utf16Column } from './positions.js';
export { countBySeverity, summarize } from './summary.js';
export { getReporter, REPORTERS, UnknownFormatError, type Reporter, type ReporterOptions } from './reporters/index.js';
