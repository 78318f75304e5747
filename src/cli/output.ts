/** Where a report goes: a file (relative to the working directory) or standard output. */
import fs from 'node:fs';
import path from 'node:path';
import type { Io } from './main.js';

/** Writes `out` to `target` (or stdout when null); false, with a message, when the file can't be written. */
export function writeOutput(io: Io, target: string | null, out: string): boolean {
  if (target === null) {
    io.stdout(out);
    return true;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, target), out);
    return true;
  } catch (e) {
    io.stderr(`goport: cannot write ${target}: ${(e as Error).message}\n`);
    return false;
  }
}
