import { checkstyleReporter } from './checkstyle.js';
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

/** Every output format, by name. The golden test renders each one. */
export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  checkstyle: checkstyleReporter,
  junit: junitReporter,
  markdown: markdownReporter,
};

export class UnknownFormatError extends Error {}

export function getReporter(name: string): Reporter {
  const r = Object.hasOwn(REPORTERS, name) ? REPORTERS[name] : undefined;
  if (r === undefined) {
    throw new UnknownFormatError(`unknown output format "${name}": use one of ${Object.keys(REPORTERS).join(', ')}`);
  }
  return r;
}

export type { Reporter, ReporterOptions } from './types.js';
export { checkstyleReporter, githubReporter, jsonReporter, junitReporter, markdownReporter, sarifReporter, textReporter };
