/** staticcheck's //lint:ignore and //lint:file-ignore silence the goport findings of their twin checks. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/types.js';
import { ignoreProcessor, parseDirective, staticcheckCovers } from '../src/report/processors/ignore.js';

const cmp = (line: number, over: Partial<Finding> = {}): Finding => ({
  rule: 'build-constraint', severity: 'info', file: 'a.go', line, column: 5, endLine: line, endColumn: 30,
  message: 'runtime.GOOS != "windows" is always false', messageId: 'alwaysFalse', platforms: ['windows/amd64'], ...over,
});

function run(src: string, findings: Finding[]) {
  const lines = src.split('\n');
  return ignoreProcessor.process(findings, { targets: ['windows/amd64'], getLines: (f) => (f === 'a.go' ? lines : undefined), reportUnusedIgnores: true });
}

describe('staticcheck directives', () => {
  it('parses lint:ignore and lint:file-ignore, which need a reason', () => {
    expect(parseDirective('//lint:ignore SA4032 windows only test')).toEqual({ kind: 'staticcheck', rules: ['SA4032'], reason: 'windows only test' });
    expect(parseDirective('//lint:file-ignore SA4032,SA1027 generated')).toEqual({ kind: 'staticcheck', rules: ['SA4032', 'SA1027'], reason: 'generated', wholeFile: true });
    expect(parseDirective('//lint:ignore SA4032')).toBeUndefined();
  });

  it('maps checks to their goport twins only', () => {
    expect(staticcheckCovers('SA4032', { rule: 'build-constraint', messageId: 'alwaysFalse' })).toBe(true);
    expect(staticcheckCovers('SA4032', { rule: 'build-constraint', messageId: 'mismatch' })).toBe(false);
    expect(staticcheckCovers('SA*', { rule: 'atomic-alignment', messageId: 'misaligned' })).toBe(true);
    expect(staticcheckCovers('SA1027', { rule: 'build-constraint', messageId: 'alwaysFalse' })).toBe(false);
    expect(staticcheckCovers('ST1000', { rule: 'build-constraint', messageId: 'alwaysFalse' })).toBe(false);
  });

  it('a line directive covers its line and the next; a file directive the whole file; neither is reported unused', () => {
    const src = ['package a', '', 'func f() {', '\t//lint:ignore SA4032 windows-only test keeps the guard', '\tif runtime.GOOS != "windows" {', '\t}', '\tif runtime.GOOS != "windows" {', '\t}', '}'].join('\n');
    const r = run(src, [cmp(5), cmp(7), cmp(7, { rule: 'gated-symbol', messageId: 'undefinedHere' })]);
    expect(r.findings.map((f) => `${f.rule}:${f.line}`)).toEqual(['build-constraint:7', 'gated-symbol:7']);
    const file = run(`//lint:file-ignore SA4032 guards are deliberate\n${src}`, [cmp(6), cmp(8)]);
    expect(file.findings).toEqual([]);
    expect(file.errors).toEqual([]);
  });
});
