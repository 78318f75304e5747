/** Misspelled flags get a suggestion, as misspelled configuration keys do. */
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/cli/args.js';

const usage = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return undefined;
};

describe('flag typos', () => {
  it('suggests the nearest flag', () => {
    expect(usage(['--platfroms', 'all'])).toBe('unknown flag --platfroms; did you mean --platforms?');
    expect(usage(['--verbos'])).toBe('unknown flag --verbos; did you mean --verbose?');
    expect(usage(['--no-cach'])).toBe('unknown flag --no-cach; did you mean --no-cache?');
    expect(usage(['-platforms', 'all'])).toBe('unknown flag -platforms; did you mean --platforms?');
  });

  it('says nothing it cannot back up', () => {
    expect(usage(['--zzzzzzzz'])).toBe('unknown flag --zzzzzzzz (see goport help)');
    expect(usage(['-x'])).toBe('unknown flag -x');
  });

  it('knows goport fix and --fix', () => {
    expect(parseArgs(['fix', './...']).command).toBe('fix');
    expect(parseArgs(['./...', '--fix']).command).toBe('fix');
  });
});
