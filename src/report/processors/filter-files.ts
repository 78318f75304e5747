import type { Processor } from '../types.js';

/** Keeps only findings in `ctx.onlyFiles` when it is given (pre-commit / changed-files mode). */
export const filterFilesProcessor: Processor = {
  name: 'filterFiles',
  process(findings, ctx) {
    const only = ctx.onlyFiles;
    return { findings: only === undefined ? [...findings] : findings.filter((f) => only.has(f.file)) };
  },
};
