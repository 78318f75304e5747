import type { Reporter } from './types.js';
import { compactPlatforms, errorLocation, splitPosition, targetList, xmlEscape } from './util.js';

/**
 * JUnit XML for CI test-report views: one testsuite "goport" with a failing testcase per finding
 * (classname = file, name = `rule line:col`) and an erroring testcase per run error. A clean run
 * is one passing testcase, so CI shows that goport ran.
 */
export const junitReporter: Reporter = {
  format: 'junit',
  extension: 'xml',
  render(run, _rules, opts) {
    const targets = targetList(opts.targets, run.platforms);
    const cases: string[] = [];
    for (const f of run.findings) {
      const plats = compactPlatforms(f.platforms, targets).join(', ');
      const body = [`${f.file}:${f.line}:${f.column}: ${f.message} [${f.rule}] (${plats})`];
      for (const r of f.related ?? []) body.push(`    note: ${r.file}:${r.line}:${r.column}: ${r.message}`);
      if (f.suggestion !== undefined) body.push(`    suggestion: ${f.suggestion}`);
      cases.push(
        `    <testcase name="${xmlEscape(`${f.rule} ${f.line}:${f.column}`)}" classname="${xmlEscape(f.file)}">`,
        `      <failure message="${xmlEscape(f.message)}" type="${xmlEscape(f.rule)}">${xmlEscape(body.join('\n'))}</failure>`,
        '    </testcase>',
      );
    }
    for (const e of run.errors) {
      const p = splitPosition(errorLocation(e));
      const name = p.line === undefined ? 'analysis' : `analysis ${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
      cases.push(
        `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(p.path)}">`,
        `      <error message="${xmlEscape(e.message)}" type="error">${xmlEscape(`${errorLocation(e)}: error: ${e.message}`)}</error>`,
        '    </testcase>',
      );
    }
    let tests = run.findings.length + run.errors.length;
    if (tests === 0) {
      cases.push(`    <testcase name="${xmlEscape(`goport on ${run.platforms.length} platforms`)}" classname="goport"/>`);
      tests = 1;
    }
    const counts = `tests="${tests}" failures="${run.findings.length}" errors="${run.errors.length}"`;
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="goport" ${counts}>`,
      `  <testsuite name="goport" ${counts}>`,
      ...cases,
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n');
  },
};
