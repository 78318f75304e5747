/** `goport audit [dir]`: the dependencies of a module, analyzed per platform, as a module × platform matrix. */
import fs from 'node:fs';
import path from 'node:path';
import { runAudit, type AuditResult } from '../audit/audit.js';
import { renderAuditHtml } from '../audit/html.js';
import { AuditError, auditSource } from '../audit/modules.js';
import { renderAuditJson, renderAuditMarkdown, renderAuditText } from '../audit/render.js';
import { ARCH_ENV_VARS } from '../platform/known.js';
import { UsageError, type CliOptions } from './args.js';
import { openStore, selectRules } from './check-command.js';
import { type Io, resolveGoMinor, targetsFrom } from './main.js';
import { Progress, progressEnabled } from './progress.js';
import { resolveSettings } from './settings.js';
import { writeOutput } from './output.js';

export const AUDIT_FORMATS: Readonly<Record<string, (r: AuditResult) => string>> = {
  text: renderAuditText,
  json: renderAuditJson,
  markdown: renderAuditMarkdown,
  html: renderAuditHtml,
};

export async function auditCommand(rawOpts: CliOptions, io: Io): Promise<number> {
  const settings = resolveSettings(rawOpts, io.cwd);
  const opts = settings.opts;
  if (opts.patterns.length > 1) throw new UsageError('goport audit takes one directory (the module root); default .');
  // One module's dependency graph (its go.mod, vendor/modules.txt): a nested module has its own.
  // The `all-modules` config key is for check and files; only the flag is refused here.
  if (opts.allModules && rawOpts.explicit.has('all-modules')) throw new UsageError('goport audit audits one module (its go.mod and vendor/): run it in each nested module\'s directory instead of --all-modules');
  const formats = opts.formats.length > 0 ? opts.formats : [{ format: 'text', file: null }];
  for (const f of formats) {
    if (!Object.hasOwn(AUDIT_FORMATS, f.format)) {
      throw new UsageError(`goport audit: unknown format "${f.format}": use one of ${Object.keys(AUDIT_FORMATS).join(', ')}`);
    }
  }
  const dir = path.resolve(io.cwd, opts.patterns[0] ?? '.');
  let src;
  try {
    if (!fs.statSync(dir).isDirectory()) throw new UsageError(`goport audit: ${opts.patterns[0]} is not a directory`);
    src = auditSource(dir, io.env);
  } catch (e) {
    if (e instanceof AuditError) throw new UsageError(e.message);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`goport audit: ${opts.patterns[0]}: no such directory`);
    throw e;
  }
  if (src.modules.length === 0) {
    io.stderr(`goport audit: ${src.mode === 'vendor' ? 'vendor/modules.txt lists no packages' : 'go.mod requires no modules'}\n`);
  }
  const goMinor = resolveGoMinor(opts.goVersion, dir);
  const targets = targetsFrom(opts, goMinor);
  const progress = new Progress(
    io.stderr,
    progressEnabled({ flag: opts.progress, quiet: opts.quiet, stderrIsTTY: io.stderrIsTTY ?? false, env: io.env }),
    io.columns !== undefined ? { columns: io.columns } : {},
  );
  const store = openStore(opts, io.env);
  const result = await runAudit(src, {
    cwd: io.cwd,
    targets,
    build: {
      cgo: opts.cgo,
      tags: opts.tags,
      goMinor,
      // GOAMD64, GOARM, GO386...: read as `goport check` reads them.
      archEnv: Object.fromEntries(ARCH_ENV_VARS.filter((k) => io.env[k]).map((k) => [k, io.env[k]!])),
    },
    tests: opts.tests,
    rules: selectRules(opts),
    severity: settings.severity,
    ...(store ? { store } : {}),
    ...(opts.jobs !== null ? { jobs: opts.jobs } : {}),
    onProgress: (stage, done, total) => progress.update(stage, done, total, stage === 'reading' ? 'packages' : 'files'),
  });
  progress.clear();

  for (const f of formats) {
    const out = AUDIT_FORMATS[f.format]!(result);
    const target = f.file ?? opts.output;
    if (!writeOutput(io, target, out)) return 2;
  }
  if (opts.verbose && !opts.quiet && store) {
    io.stderr(`goport: cache ${store.root}: ${store.stats.hits} hits, ${store.stats.misses} misses, ${store.stats.written} written\n`);
  }
  if (result.errors.length > 0) return 2;
  const failOn = settings.failOn;
  if (failOn === 'none') return 0;
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const failing = result.modules.some(
    (m) => m.noFiles.length > 0 || (['error', 'warning', 'info'] as const).some((s) => m.bySeverity[s] > 0 && rank[s] <= rank[failOn]),
  );
  return failing ? 1 : 0;
}
