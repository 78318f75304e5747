import type { Finding, RunError } from '../engine/types.js';
import { baselineProcessor } from './processors/baseline.js';
import { causeProcessor } from './processors/cause.js';
import { tiersProcessor } from './processors/tiers.js';
import { filterFilesProcessor } from './processors/filter-files.js';
import { ignoreProcessor } from './processors/ignore.js';
import { mergeProcessor } from './processors/merge.js';
import { severityProcessor } from './processors/severity.js';
import { sortProcessor } from './processors/sort.js';
import type { PipelineContext, PipelineResult, Processor, RawFinding } from './types.js';

/**
 * The processor chain, in order. Every step after `merge` sees one finding per problem.
 */
export const PIPELINE: readonly Processor[] = [
  // Must be first: the engine emits one raw finding per platform group. Merging first makes every
  // later step see what the user will see: the baseline counts merged findings (writeBaseline is
  // fed the pipeline's output, so counting raw per-group findings would let all but one group's
  // copy resurface), and each later step handles up to N-groups times fewer findings. Ignore,
  // severity and filterFiles depend only on rule, file and line, which merging keeps, so running
  // them before or after merge gives the same result.
  mergeProcessor,
  // Before ignore: it is the cheapest filter and, in pre-commit mode, drops most findings before
  // any source file is read for directives. (ignore restricts its unused-directive scan to
  // ctx.onlyFiles too, so no unused-ignore comes from a file the user did not ask about.)
  filterFilesProcessor,
  // Before severity: a finding of a rule turned 'off' still marks its directive as used (the
  // directive is not stale, the rule is just off), and the unused-ignore findings this step makes
  // then go through severity overrides (`unused-ignore: off`) and the baseline like any other.
  ignoreProcessor,
  // Before baseline: the baseline is written from the final findings, which carry overridden
  // severities and lack 'off' rules; matching must see the same set.
  severityProcessor,
  // After severity: tiers only lower what the rule and the overrides decided.
  tiersProcessor,
  // After ignore and severity (see above); fingerprints use source text, not line numbers.
  baselineProcessor,
  // After every filter: a cause's use count is what the report shows.
  causeProcessor,
  // Must be last: reporters and tests rely on one deterministic order.
  sortProcessor,
];

/**
 * Runs processors in order, recording `processor.<name>.in` / `.out` (and each step's own
 * counters) in stats. A processor that throws is reported as an error and skipped: the findings go
 * on unchanged (golangci-lint's processIssues), so one bug never hides every finding.
 */
export function runProcessors(
  chain: readonly Processor[],
  raw: readonly RawFinding[],
  ctx: PipelineContext,
): PipelineResult {
  let findings: Finding[] = [...raw];
  const errors: RunError[] = [];
  const stats: Record<string, number> = {};
  for (const p of chain) {
    stats[`processor.${p.name}.in`] = findings.length;
    try {
      const r = p.process(findings, ctx);
      findings = r.findings;
      if (r.errors) errors.push(...r.errors);
      for (const [k, v] of Object.entries(r.stats ?? {})) stats[`processor.${p.name}.${k}`] = v;
    } catch (e) {
      errors.push({ file: '', message: `internal error in processor ${p.name}: ${(e as Error)?.message ?? String(e)}` });
    }
    stats[`processor.${p.name}.out`] = findings.length;
  }
  return { findings, errors, stats };
}

/** Raw engine findings → the sorted, merged, filtered findings reporters print. */
export function runPipeline(raw: readonly RawFinding[], ctx: PipelineContext): PipelineResult {
  return runProcessors(PIPELINE, raw, ctx);
}
