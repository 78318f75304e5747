/** `goport index SRC... [-o DIR]`: regenerates the bundled API tables (see generate.ts). */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CliOptions, UsageError } from '../cli/args.js';
import type { Io } from '../cli/main.js';
import { generateIndexes, type IndexSource, parseIndexSource, writeIndexes } from './generate.js';

export function indexCommand(opts: CliOptions, io: Io): number {
  if (opts.patterns.length === 0) {
    throw new UsageError('goport index needs sources: a GOROOT (e.g. $(go env GOROOT)) and/or module directories (DIR or DIR@VERSION)');
  }
  const sources: IndexSource[] = [];
  for (const p of opts.patterns) {
    try {
      sources.push(parseIndexSource(p, io.cwd));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const out = path.resolve(io.cwd, opts.output ?? 'data/api');
  const t0 = performance.now();
  const r = generateIndexes(sources);
  writeIndexes(out, r);
  if (!opts.quiet) {
    let bytes = 0;
    for (const t of r.files.values()) bytes += Buffer.byteLength(t);
    const srcs = r.manifest.sources.map((s) => `${s.module}@${s.version}: ${s.packages.length} packages`).join(', ');
    io.stderr(`goport index: ${r.indexed} packages indexed, ${r.files.size} written to ${path.relative(io.cwd, out) || '.'} (${bytes} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${srcs}\n`);
    if (opts.verbose) for (const [f, t] of [...r.files].sort()) io.stderr(`  ${f} ${Buffer.byteLength(t)}\n`);
  }
  return 0;
}
