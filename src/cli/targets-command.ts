/** `goport targets`: the module's binaries × platforms table, from `binaries` in .goport.yml and the code. */
import { RULES } from '../../rules/index.js';
import { renderTargetsHtml, renderTargetsJson, renderTargetsMarkdown, renderTargetsText } from '../binaries/render.js';
import { targetsTable, type TargetsTable } from '../binaries/table.js';
import { analyze } from '../engine/run.js';
import { runPipeline } from '../report/index.js';
import { VERSION } from '../version.js';
import { UsageError } from './args.js';
import { lineReader, openStore, selectRules } from './check-command.js';
import { type Io, loadProgram, resolveGoMinor, targetsFrom } from './main.js';
import { writeOutput } from './output.js';
import type { Settings } from './settings.js';

export const TARGETS_FORMATS: Readonly<Record<string, (t: TargetsTable) => string>> = {
  text: renderTargetsText,
  json: renderTargetsJson,
  markdown: renderTargetsMarkdown,
  html: renderTargetsHtml,
};

export async function targetsCommand(settings: Settings, io: Io): Promise<number> {
  const opts = settings.opts;
  if (!opts.binaries) {
    throw new UsageError('goport targets needs the binaries the module builds: add `binaries:` to .goport.yml (e.g. cmd/tool: [linux/amd64, darwin/arm64])');
  }
  const formats = opts.formats.length > 0 ? opts.formats : [{ format: 'text', file: null }];
  for (const f of formats) {
    if (!Object.hasOwn(TARGETS_FORMATS, f.format)) throw new UsageError(`goport targets: unknown format "${f.format}": use one of ${Object.keys(TARGETS_FORMATS).join(', ')}`);
  }
  const targets = targetsFrom(opts, resolveGoMinor(opts.goVersion, io.cwd));
  const rules = selectRules(opts);
  const { program, selection } = await loadProgram(opts, io, targets, { excludes: settings.excludes });
  const store = openStore(opts, io.env);
  const result = await analyze(program, targets, rules, { ...(opts.jobs !== null ? { jobs: opts.jobs } : {}), ...(store ? { store } : {}) });
  store?.flush();
  const piped = runPipeline(result.findings, {
    targets: targets.list.map((p) => p.id),
    getLines: lineReader(io.cwd),
    knownRules: new Set(RULES.map((r) => r.meta.id)),
    enabledRules: new Set(rules.map((r) => r.meta.id)),
    severityOverrides: settings.severity,
    ...(opts.tiers ? { tiers: opts.tiers } : {}),
  });
  const errors = [...program.errors, ...result.errors, ...piped.errors];
  const table = targetsTable(program, targets, selection!, piped.findings, errors, VERSION);
  for (const f of formats) {
    if (!writeOutput(io, f.file ?? opts.output, TARGETS_FORMATS[f.format]!(table))) return 2;
  }
  if (errors.length > 0) return 2;
  const failOn = settings.failOn;
  if (failOn === 'none') return 0;
  const failing = table.binaries.some((b) =>
    Object.values(b.cells).some((c) => c.errors > 0 || (c.warnings > 0 && failOn !== 'error') || (c.infos > 0 && failOn === 'info')),
  );
  return failing ? 1 : 0;
}
