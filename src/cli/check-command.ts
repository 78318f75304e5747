import type { CliOptions } from './args.js';
import type { Io } from './main.js';
import { UsageError } from './args.js';

export function rulesCommand(_opts: CliOptions, _io: Io): number {
  throw new UsageError('not wired yet');
}
export function explainCommand(_opts: CliOptions, _io: Io): number {
  throw new UsageError('not wired yet');
}
export async function checkCommand(_opts: CliOptions, _io: Io): Promise<number> {
  throw new UsageError('not wired yet');
}
