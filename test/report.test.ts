import { describe, expect, it, vi } from 'vitest';
import type { Finding, RunResult } from '../src/engine/types.js';
import { PIPELINE, runPipeline, runProcessors } from '../src/report/pipeline.js';
import { baselineProcessor, BaselineError, parseBaseline, writeBaseline } from '../src/report/processors/baseline.js';
import { filterFilesProcessor } from '../src/report/processors/filter-files.js';
import { ignoreProcessor, parseDirective, scanDirectives } from '../src/report/processors/ignore.js';
import { mergeFindings } from '../src/report/processors/merge.js';
import { severityProcessor } from '../src/report/processors/severity.js';
import { sortFindings } from '../src/report/processors/sort.js';
import { splitPosition, utf16Column } from '../src/report/positions.js';
import { getReporter, REPORTERS } from '../src/report/reporters/index.js';
import { escapeData, escapeProperty } from '../src/report/reporters/github.js';
import { MARKDOWN_MAX_FINDINGS } from '../src/report/reporters/markdown.js';
import { summarize } from '../src/report/summary.js';
import type { PipelineContext } from '../src/report/types.js';

const TARGETS = ['darwin/arm64', 'linux/386', 'linux/amd64', 'windows/386', 'windows/amd64'];

function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'int-overflow-32bit',
    severity: 'error',
    file: 'a.go',
    line: 3,
    column: 2,
    endLine: 3,
    endColumn: 9,
    message: 'constant 1<<40 overflows int',
    messageId: 'overflow',
    platforms: ['linux/386'],
    ...over,
  };
}

function ctx(over: Partial<PipelineContext> = {}): PipelineContext {
  return { targets: TARGETS, ...over };
}

function source(files: Record<string, string>) {
  const lines = Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t.split('\n')]));
  return vi.fn((file: string) => lines[file]);
}

describe('merge', () => {
  it('unions platforms in target order, whatever the emission order', () => {
    const out = mergeFindings(
      [
        finding({ platforms: ['windows/386'] }),
        finding({ platforms: ['linux/386', 'darwin/arm64'] }),
        finding({ platforms: ['linux/386'] }),
      ],
      TARGETS,
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.platforms).toEqual(['darwin/arm64', 'linux/386', 'windows/386']);
  });

  it('keeps findings apart that differ in position, message or messageId', () => {
    const out = mergeFindings(
      [
        finding({ platforms: ['linux/386'] }),
        finding({ platforms: ['windows/386'], endColumn: 10 }),
        finding({ platforms: ['windows/386'], message: 'other' }),
        finding({ platforms: ['windows/386'], messageId: 'other' }),
        finding({ platforms: ['windows/386'], rule: 'other' }),
      ],
      TARGETS,
    );
    expect(out).toHaveLength(5);
  });

  it('unions related notes without duplicates, in target order of the groups', () => {
    const decl = { file: 'b.go', line: 1, column: 6, message: 'declared here' };
    const w = { file: 'a.go', line: 2, column: 2, message: 'offset 4 on windows/386' };
    const l = { file: 'a.go', line: 2, column: 2, message: 'offset 4 on linux/386' };
    const a = mergeFindings(
      [finding({ platforms: ['windows/386'], related: [decl, w] }), finding({ platforms: ['linux/386'], related: [decl, l] })],
      TARGETS,
    );
    const b = mergeFindings(
      [finding({ platforms: ['linux/386'], related: [decl, l] }), finding({ platforms: ['windows/386'], related: [decl, w] })],
      TARGETS,
    );
    expect(a[0]!.related).toEqual([decl, l, w]);
    expect(b).toEqual(a);
  });

  it('does not mutate its input', () => {
    const input = [finding({ platforms: ['windows/386'] }), finding({ platforms: ['linux/386'] })];
    const copy = structuredClone(input);
    mergeFindings(input, TARGETS);
    expect(input).toEqual(copy);
  });
});

describe('ignore', () => {
  const run = (src: string, findings: Finding[], over: Partial<PipelineContext> = {}) =>
    ignoreProcessor.process(findings, ctx({ getLines: source({ 'a.go': src }), ...over }));

  it('suppresses with a trailing directive on the same line', () => {
    const src = 'package a\n\nconst x = 1 << 40 //goport:ignore int-overflow-32bit only built for 64-bit\n';
    expect(run(src, [finding()]).findings).toEqual([]);
  });

  it('suppresses with a directive alone on the line before', () => {
    const src = 'package a\n\t//goport:ignore int-overflow-32bit we only ship amd64\nconst x = 1 << 40\n';
    expect(run(src, [finding()]).findings).toEqual([]);
  });

  it('a trailing directive does not reach the next line, nor an own-line one two lines down', () => {
    const trailing = 'package a\nfoo() //goport:ignore int-overflow-32bit reason\nconst x = 1 << 40\n';
    expect(run(trailing, [finding()]).findings).toHaveLength(1);
    const far = '//goport:ignore int-overflow-32bit reason\n\nconst x = 1 << 40\n';
    expect(run(far, [finding()]).findings).toHaveLength(1);
  });

  it('matches only the listed rules; `all` matches every rule', () => {
    const other = 'package a\n\nx //goport:ignore gated-symbol,atomic-align-64bit reason\n';
    expect(run(other, [finding()]).findings).toHaveLength(1);
    const listed = 'package a\n\nx //goport:ignore gated-symbol, int-overflow-32bit reason\n';
    expect(run(listed, [finding()]).findings).toHaveLength(0);
    const all = 'package a\n\nx //goport:ignore all generated code\n';
    expect(run(all, [finding(), finding({ rule: 'gated-symbol' })]).findings).toHaveLength(0);
  });

  it.each([
    ['//nolint', true],
    ['//nolint // generated', true],
    ['// nolint:goport', true],
    ['//nolint:goport', true],
    ['//nolint:errcheck,goport // reason', true],
    ['//nolint:all', true],
    ['//nolint:errcheck', false],
    ['//nolintfoo', false],
    ['// see //nolint', false],
  ])('golangci-lint form %s suppresses: %s', (comment, suppressed) => {
    const src = `package a\n\nconst x = 1 << 40 ${comment}\n`;
    expect(run(src, [finding()]).findings).toHaveLength(suppressed ? 0 : 1);
  });

  it('a directive without a reason is an error with file:line and suppresses nothing', () => {
    const src = 'package a\n\nconst x = 1 << 40 //goport:ignore int-overflow-32bit\n//goport:ignore\n';
    const r = run(src, [finding()]);
    expect(r.findings).toHaveLength(1);
    expect(r.errors).toEqual([
      { file: 'a.go:3', message: 'malformed goport:ignore directive; missing the required reason' },
      { file: 'a.go:4', message: 'malformed goport:ignore directive; missing the required reason' },
    ]);
  });

  it('reports unknown rule ids when the registry is given', () => {
    const src = 'package a\n\nconst x = 1 << 40 //goport:ignore int-overflw-32bit typo\n';
    const r = run(src, [finding()], { knownRules: new Set(['int-overflow-32bit']) });
    expect(r.findings).toHaveLength(1);
    expect(r.errors).toEqual([{ file: 'a.go:3', message: 'unknown rule "int-overflw-32bit" in goport:ignore directive' }]);
  });

  it('ignores directive look-alikes inside strings, raw strings and block comments', () => {
    const src = [
      'package a',
      'var s = `',
      'x //goport:ignore int-overflow-32bit in a raw string',
      '`',
      'var t = "//nolint" + \'"\' + `//nolint`; const x = 1 << 40',
      '/*',
      '//goport:ignore all inside a block comment',
      '*/',
    ].join('\n');
    expect(scanDirectives(src.split('\n'))).toEqual([]);
    expect(run(src, [finding({ line: 3 }), finding({ line: 5 }), finding({ line: 8 })]).findings).toHaveLength(3);
  });

  it('parses directives', () => {
    expect(parseDirective('//goport:ignore a,b because')).toEqual({ kind: 'goport', rules: ['a', 'b'], reason: 'because' });
    expect(parseDirective('//goport:ignoreall x')).toBeUndefined();
    expect(parseDirective('// goport:ignore a reason')).toBeUndefined();
    expect(parseDirective('//goport:ignore a, reason')?.malformed).toMatch(/^malformed/);
    expect(scanDirectives(['\tfoo() //nolint', '  //goport:ignore x y'])).toEqual([
      { kind: 'nolint', rules: ['all'], reason: '', line: 1, column: 8, endColumn: 16, ownLine: false },
      { kind: 'goport', rules: ['x'], reason: 'y', line: 2, column: 3, endColumn: 22, ownLine: true },
    ]);
  });

  it('reports unused goport:ignore directives only when asked, per rule', () => {
    const src = [
      'package a',
      '',
      'const x = 1 << 40 //goport:ignore int-overflow-32bit,gated-symbol reason',
      '//goport:ignore all stale',
      'y() //nolint:goport',
    ].join('\n');
    expect(run(src, [finding()]).findings).toEqual([]);
    const r = run(src, [finding()], { reportUnusedIgnores: true });
    expect(r.findings).toEqual([
      {
        rule: 'unused-ignore',
        severity: 'warning',
        file: 'a.go',
        line: 3,
        column: 19,
        endLine: 3,
        endColumn: 73,
        message: 'goport:ignore directive for gated-symbol matched no finding',
        messageId: 'unusedIgnore',
        platforms: TARGETS,
      },
      expect.objectContaining({ line: 4, message: 'goport:ignore directive for all matched no finding' }),
    ]);
  });

  it('checks unused directives in files without findings, and only for enabled rules', () => {
    const getLines = source({
      'a.go': 'package a\n//goport:ignore gated-symbol reason\nfoo()\n',
      'b.go': 'package a\n//goport:ignore atomic-align-64bit reason\nfoo()\n',
    });
    const r = ignoreProcessor.process(
      [],
      ctx({ getLines, reportUnusedIgnores: true, files: ['a.go', 'b.go'], enabledRules: new Set(['gated-symbol']) }),
    );
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'a.go:2 goport:ignore directive for gated-symbol matched no finding',
    ]);
  });

  it('reads only files that have findings', () => {
    const getLines = source({ 'a.go': 'package a\n\nx\n', 'b.go': 'package a\n' });
    ignoreProcessor.process([finding(), finding({ line: 1 })], ctx({ getLines, files: ['a.go', 'b.go'] }));
    expect(getLines.mock.calls).toEqual([['a.go']]);
  });
});

describe('severity and filterFiles', () => {
  it('overrides severities and drops rules turned off', () => {
    const r = severityProcessor.process(
      [finding(), finding({ rule: 'gated-symbol' }), finding({ rule: 'printf-uintptr', severity: 'warning' })],
      ctx({ severityOverrides: { 'int-overflow-32bit': 'info', 'gated-symbol': 'off' } }),
    );
    expect(r.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['int-overflow-32bit:info', 'printf-uintptr:warning']);
  });

  it('does not take overrides from Object.prototype', () => {
    const r = severityProcessor.process([finding({ rule: 'toString' })], ctx({ severityOverrides: { x: 'off' } }));
    expect(r.findings).toHaveLength(1);
  });

  it('keeps only the given files', () => {
    const r = filterFilesProcessor.process([finding(), finding({ file: 'b.go' })], ctx({ onlyFiles: new Set(['b.go']) }));
    expect(r.findings.map((f) => f.file)).toEqual(['b.go']);
  });
});

describe('baseline', () => {
  const before = 'package a\n\nconst x = 1 << 40\n';
  const after = 'package a\n\n// a new comment\n// and another\nconst x = 1 << 40\n';

  it('survives a line shift', () => {
    const baseline = parseBaseline(writeBaseline([finding()], source({ 'a.go': before })));
    const r = baselineProcessor.process([finding({ line: 5, endLine: 5 })], ctx({ baseline, getLines: source({ 'a.go': after }) }));
    expect(r.findings).toEqual([]);
    expect(r.stats).toEqual({ matched: 1 });
  });

  it('resurfaces a finding whose line text changed', () => {
    const baseline = parseBaseline(writeBaseline([finding()], source({ 'a.go': before })));
    const changed = source({ 'a.go': 'package a\n\nconst x = 1 << 41\n' });
    expect(baselineProcessor.process([finding()], ctx({ baseline, getLines: changed })).findings).toHaveLength(1);
  });

  it('matches by count', () => {
    const src = source({ 'a.go': 'package a\nconst x = 1 << 40\nconst x = 1 << 40\nconst x = 1 << 40\n' });
    const two = [finding({ line: 2, endLine: 2 }), finding({ line: 3, endLine: 3 })];
    const baseline = parseBaseline(writeBaseline(two, src));
    expect(baseline.entries).toHaveLength(2);
    const three = [...two, finding({ line: 4, endLine: 4 })];
    const r = baselineProcessor.process([...three].reverse(), ctx({ baseline, getLines: src }));
    expect(r.findings.map((f) => f.line)).toEqual([4]);
  });

  it('writes a versioned, deterministic file in the documented key order', () => {
    const src = source({ 'a.go': before });
    const text = writeBaseline([finding({ symbol: 'x' }), finding({ file: '0.go' })], src);
    expect(text).toBe(writeBaseline([finding({ file: '0.go' }), finding({ symbol: 'x' })], src));
    const data = JSON.parse(text);
    expect(data.version).toBe(1);
    expect(Object.keys(data.entries[1])).toEqual(['rule', 'file', 'symbol', 'messageId', 'fingerprint']);
    expect(data.entries[1].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('rejects malformed baselines', () => {
    expect(() => parseBaseline('{')).toThrow(BaselineError);
    expect(() => parseBaseline('{"version":2,"entries":[]}')).toThrow(/version 2/);
    expect(() => parseBaseline('{"version":1,"entries":[{"rule":"a"}]}')).toThrow(/entry 0/);
  });
});

describe('sort and the pipeline', () => {
  it('sorts by file, line, column, endLine, endColumn, rule, message', () => {
    const fs = [
      finding({ file: 'b.go', line: 1 }),
      finding({ line: 3, column: 2, rule: 'z' }),
      finding({ line: 3, column: 2, rule: 'a', message: 'm2' }),
      finding({ line: 3, column: 2, rule: 'a', message: 'm1' }),
      finding({ line: 3, column: 2, endColumn: 3 }),
      finding({ line: 1, column: 9 }),
    ];
    expect(sortFindings(fs).map((f) => `${f.file}:${f.line}:${f.column}-${f.endColumn} ${f.rule} ${f.message}`)).toEqual([
      'a.go:1:9-9 int-overflow-32bit constant 1<<40 overflows int',
      'a.go:3:2-3 int-overflow-32bit constant 1<<40 overflows int',
      'a.go:3:2-9 a m1',
      'a.go:3:2-9 a m2',
      'a.go:3:2-9 z constant 1<<40 overflows int',
      'b.go:1:2-9 int-overflow-32bit constant 1<<40 overflows int',
    ]);
  });

  it('runs the documented chain and records in/out counts', () => {
    expect(PIPELINE.map((p) => p.name)).toEqual(['merge', 'filterFiles', 'ignore', 'severity', 'tiers', 'baseline', 'cause', 'sort']);
    const getLines = source({
      'a.go': 'package a\n\nconst x = 1 << 40\n',
      'b.go': 'package a\n\nconst x = 1 << 40 //goport:ignore int-overflow-32bit reason\n',
    });
    const raw = [
      finding({ file: 'b.go', platforms: ['linux/386'] }),
      finding({ platforms: ['windows/386'] }),
      finding({ platforms: ['linux/386'] }),
      finding({ file: 'b.go', platforms: ['windows/386'] }),
      finding({ file: 'c.go', rule: 'gated-symbol' }),
    ];
    const r = runPipeline(raw, ctx({ getLines, severityOverrides: { 'gated-symbol': 'off' } }));
    expect(r.findings).toEqual([finding({ platforms: ['linux/386', 'windows/386'] })]);
    expect(r.errors).toEqual([]);
    expect(r.stats).toMatchObject({
      'processor.merge.in': 5,
      'processor.merge.out': 3,
      'processor.ignore.in': 3,
      'processor.ignore.out': 2,
      'processor.ignore.suppressed': 1,
      'processor.severity.out': 1,
      'processor.sort.out': 1,
    });
  });

  it('a failing processor is reported and skipped', () => {
    const boom = { name: 'boom', process: () => { throw new Error('bad'); } };
    const r = runProcessors([boom, PIPELINE[PIPELINE.length - 1]!], [finding({ line: 9 }), finding()], ctx());
    expect(r.errors).toEqual([{ file: '', message: 'internal error in processor boom: bad' }]);
    expect(r.findings.map((f) => f.line)).toEqual([3, 9]);
    expect(r.stats['processor.boom.out']).toBe(2);
  });
});

describe('positions', () => {
  it('converts UTF-8 byte columns to UTF-16 columns', () => {
    const line = 'x := "é🌍" + y';
    // x(1) space(2) :(3) =(4) space(5) "(6) é(7,8) 🌍(9..12) "(13) space(14) +(15)
    expect(utf16Column(line, 7)).toBe(7);
    expect(utf16Column(line, 9)).toBe(8);
    expect(utf16Column(line, 13)).toBe(10);
    expect(utf16Column(line, 15)).toBe(12);
    expect(utf16Column(line, 8)).toBe(7); // inside é: its start
    expect(utf16Column(line, 19)).toBe(16); // one past the end
    expect(utf16Column(undefined, 13)).toBe(13);
  });

  it('splits positions in error files', () => {
    expect(splitPosition('a/b.go:12')).toEqual({ path: 'a/b.go', line: 12 });
    expect(splitPosition('a/b.go:12:3')).toEqual({ path: 'a/b.go', line: 12, column: 3 });
    expect(splitPosition('a/b.go')).toEqual({ path: 'a/b.go' });
  });
});

describe('reporters', () => {
  const targets = ['linux/386', 'linux/amd64', 'windows/386', 'windows/amd64'];
  const opts = { color: false, targets, cwd: '/' };
  const runOf = (findings: Finding[], errors: RunResult['errors'] = []): RunResult => ({
    tool: { name: 'goport', version: '9.9.9' },
    platforms: targets,
    findings,
    errors,
    summary: summarize(findings, targets, { files: 1, packages: 1 }),
  });

  it('getReporter knows every format and rejects others', () => {
    for (const name of Object.keys(REPORTERS)) expect(getReporter(name).format).toBe(name);
    expect(() => getReporter('html')).toThrow(/unknown output format "html": use one of text, json/);
    expect(() => getReporter('toString')).toThrow(/unknown output format/);
  });

  it('text: compacts platforms and prints nothing when clean', () => {
    const out = getReporter('text').render(runOf([finding({ platforms: ['windows/386', 'windows/amd64', 'linux/386'] })]), [], opts);
    expect(out).toBe(
      'a.go:3:2: constant 1<<40 overflows int [int-overflow-32bit] (linux/386, windows/*)\n1 finding (1 error, 0 warnings) in 1 file\n',
    );
    expect(getReporter('text').render(runOf([finding({ platforms: targets })]), [], opts)).toContain('(*)');
    expect(getReporter('text').render(runOf([]), [], opts)).toBe('');
  });

  it('text: colours only when asked', () => {
    const run = runOf([finding()]);
    const ansi = /\u001b\[/;
    expect(getReporter('text').render(run, [], opts)).not.toMatch(ansi);
    const coloured = getReporter('text').render(run, [], { ...opts, color: true });
    expect(coloured).toContain('\u001b[31m[int-overflow-32bit]\u001b[39m');
    expect(coloured).toContain('\u001b[2m(linux/386)\u001b[22m');
  });

  it('github: escapes data and properties', () => {
    expect(escapeData('50%\r\nx: a,b')).toBe('50%25%0D%0Ax: a,b');
    expect(escapeProperty('C:\\a,b%')).toBe('C%3A\\a%2Cb%25');
    const out = getReporter('github').render(
      runOf([finding({ severity: 'info', file: 'x,y.go' }), finding({ line: 9, endLine: 9, severity: 'error' })]),
      [],
      opts,
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^::error file=a\.go,line=9,/);
    expect(lines[1]).toMatch(/^::notice file=x%2Cy\.go,line=3,col=2,endLine=3,endColumn=9,title=goport int-overflow-32bit::/);
    expect(lines[2]).toBe('::notice::goport: 2 findings (1 error, 0 warnings, 1 info) in 2 files');
    expect(getReporter('github').render(runOf([]), [], opts)).toBe('');
  });

  it('junit: a clean run is one passing testcase', () => {
    const out = getReporter('junit').render(runOf([]), [], opts);
    expect(out).toContain('<testsuite name="goport" tests="1" failures="0" errors="0">');
    expect(out).toContain('<testcase name="goport on 4 platforms" classname="goport"/>');
    expect(out).not.toContain('<failure');
  });

  it('markdown: truncates the findings table', () => {
    const many = Array.from({ length: MARKDOWN_MAX_FINDINGS + 7 }, (_, i) => finding({ line: i + 1, endLine: i + 1 }));
    const out = getReporter('markdown').render(runOf(many), [], opts);
    expect(out.split('\n').filter((l) => l.startsWith('| `a.go:'))).toHaveLength(MARKDOWN_MAX_FINDINGS);
    expect(out).toContain('\n… and 7 more\n');
    expect(out).toContain('| `int-overflow-32bit` | 57 |  |  | 57 |');
    expect(getReporter('markdown').render(runOf([]), [], opts)).toBe('## goport\n\nNo portability findings on 4 platforms.\n');
  });

  it('checkstyle and junit escape XML', () => {
    const run = runOf([finding({ message: 'a<b & "c" \'d\'\u0001', file: 'x&y.go' })]);
    const cs = getReporter('checkstyle').render(run, [], opts);
    expect(cs).toContain('<file name="x&amp;y.go">');
    expect(cs).toContain('message="a&lt;b &amp; &quot;c&quot; &apos;d&apos;\uFFFD (linux/386)"');
    expect(getReporter('junit').render(run, [], opts)).toContain('message="a&lt;b &amp; &quot;c&quot; &apos;d&apos;\uFFFD"');
  });

  it('sarif: adds descriptors for rules it was not given', () => {
    const log = JSON.parse(getReporter('sarif').render(runOf([finding({ rule: 'unused-ignore', severity: 'warning' })]), [], opts));
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['unused-ignore']);
    expect(log.runs[0].results[0].ruleIndex).toBe(0);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });
});
