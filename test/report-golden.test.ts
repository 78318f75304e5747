/**
 * Golden files: ONE fixed RunResult through every reporter, compared with test/golden/<format>.<ext>.
 * Update with `npx vitest run test/report-golden -u` and review the diff.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding, RuleMeta, RunError, RunResult } from '../src/engine/types.js';
import { REPORTERS, type ReporterOptions } from '../src/report/reporters/index.js';
import { runPipeline } from '../src/report/pipeline.js';
import { summarize } from '../src/report/summary.js';
import { sarifFingerprint } from '../src/report/fingerprint.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

const TARGETS = [
  'darwin/amd64',
  'darwin/arm64',
  'linux/386',
  'linux/amd64',
  'linux/arm',
  'linux/arm64',
  'windows/386',
  'windows/amd64',
  'windows/arm64',
];

const SOURCES: Record<string, string[]> = {
  'cmd/app/main.go': ['package main', '', 'import "example.com/app/internal/sys"', '', 'func main() {', '\tsys.Init()', '\tsetRlimit()', '}'],
  'cmd/app/rlimit_linux.go': ['package main', '', 'import "syscall"', '', 'func setRlimit() {', '\t_ = syscall.Setrlimit'],
  'internal/stats/counter.go': ['package stats', '', 'type Counter struct {', '\tready bool', '\thits  int64', '}', '', 'func (c *Counter) Inc() { atomic.AddInt64(&c.hits, 1) }'],
  // Non-ASCII before the finding: byte columns (goport) and UTF-16 columns (SARIF, GitHub) differ.
  'internal/text/wide.go': ['package text', '', 'func Wide() {', '\tlabel, big := "Grüße 🌍", 1<<40', '\tfmt.Printf("%d", uintptr(unsafe.Sizeof(label)))', '}'],
  'pkg/ui/print.go': ['package ui', '', 'func Show(p *T) { fmt.Printf("%d,%s", uintptr(unsafe.Pointer(p)), name) }'],
};
const getLines = (file: string) => SOURCES[file];

const RULES: RuleMeta[] = [
  {
    id: 'atomic-align-64bit',
    title: '64-bit atomic access to a field that may be misaligned',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: { misaligned: '64-bit atomic operation on field {field}, which is not 64-bit aligned on every platform' },
  },
  {
    id: 'gated-symbol',
    title: 'identifier declared only under some build constraints',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: { undefinedHere: '{name} is only declared in {declaredIn}' },
  },
  {
    id: 'int-overflow-32bit',
    title: 'constant overflows int on 32-bit platforms',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: { overflow: 'constant {value} overflows int' },
  },
  {
    id: 'printf-uintptr',
    title: 'printf verb whose operand size depends on the platform',
    category: 'suspicious',
    severity: 'warning',
    since: '0.1.0',
    messages: { verb: 'Printf verb {verb} for uintptr operand {arg}' },
  },
  {
    id: 'syscall-missing',
    title: 'syscall identifier missing on some platforms',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: { missing: 'syscall.{name} is not defined' },
  },
  {
    id: 'unsafe-sizeof',
    title: 'unsafe.Sizeof result differs across platforms',
    category: 'style',
    severity: 'info',
    since: '0.1.0',
    messages: { differs: 'unsafe.Sizeof({expr}) differs across platforms' },
  },
];

const DOCS: Record<string, string> = {
  'gated-symbol': [
    '---',
    'id: gated-symbol',
    'title: identifier declared only under some build constraints',
    'severity: error',
    'since: 0.1.0',
    '---',
    '',
    '## What it does',
    '',
    'Reports uses of identifiers that are declared only in files',
    'excluded by build constraints on some target platforms.',
    '',
    '## Why it breaks',
    '',
    'The package does not compile there: `undefined: setRlimit`.',
    '',
  ].join('\n'),
};

function raw(f: Omit<Finding, 'severity' | 'endLine'> & Partial<Pick<Finding, 'severity' | 'endLine'>>): Finding {
  const rule = RULES.find((r) => r.id === f.rule);
  return { severity: rule?.severity ?? 'warning', endLine: f.line, ...f };
}

/** What the engine emits: per platform group, out of order, with duplicates across groups. */
const RAW: Finding[] = [
  raw({
    rule: 'unsafe-sizeof', file: 'internal/text/wide.go', line: 5, column: 29, endColumn: 48,
    message: 'unsafe.Sizeof(label) differs across platforms', messageId: 'differs',
    platforms: ['linux/386', 'linux/arm', 'windows/386'],
    related: [{ file: 'internal/text/wide.go', line: 5, column: 29, message: 'size is 8 on 32-bit platforms' }],
  }),
  raw({
    rule: 'gated-symbol', file: 'cmd/app/main.go', line: 7, column: 2, endColumn: 11,
    message: 'setRlimit is only declared in rlimit_linux.go', messageId: 'undefinedHere', symbol: 'setRlimit',
    platforms: ['windows/386', 'windows/amd64', 'windows/arm64'],
    related: [{ file: 'cmd/app/rlimit_linux.go', line: 5, column: 6, message: 'setRlimit is declared here' }],
  }),
  raw({
    rule: 'int-overflow-32bit', file: 'internal/text/wide.go', line: 4, column: 32, endColumn: 37,
    message: 'constant 1<<40 overflows int', messageId: 'overflow',
    platforms: ['linux/386', 'linux/arm', 'windows/386'], suggestion: 'declare big as int64',
  }),
  raw({
    rule: 'unsafe-sizeof', file: 'internal/text/wide.go', line: 5, column: 29, endColumn: 48,
    message: 'unsafe.Sizeof(label) differs across platforms', messageId: 'differs',
    platforms: ['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64', 'windows/amd64', 'windows/arm64'],
    related: [{ file: 'internal/text/wide.go', line: 5, column: 29, message: 'size is 16 on 64-bit platforms' }],
  }),
  raw({
    rule: 'gated-symbol', file: 'cmd/app/main.go', line: 7, column: 2, endColumn: 11,
    message: 'setRlimit is only declared in rlimit_linux.go', messageId: 'undefinedHere', symbol: 'setRlimit',
    platforms: ['darwin/amd64', 'darwin/arm64'],
    related: [{ file: 'cmd/app/rlimit_linux.go', line: 5, column: 6, message: 'setRlimit is declared here' }],
  }),
  raw({
    rule: 'atomic-align-64bit', file: 'internal/stats/counter.go', line: 8, column: 27, endColumn: 55,
    message: '64-bit atomic operation on field hits, which is not 64-bit aligned on every platform',
    messageId: 'misaligned', symbol: 'Counter.hits',
    platforms: ['linux/arm', 'linux/386'],
    related: [{ file: 'internal/stats/counter.go', line: 5, column: 2, message: 'hits is at offset 4 on linux/386, linux/arm' }],
  }),
  raw({
    rule: 'atomic-align-64bit', file: 'internal/stats/counter.go', line: 8, column: 27, endColumn: 55,
    message: '64-bit atomic operation on field hits, which is not 64-bit aligned on every platform',
    messageId: 'misaligned', symbol: 'Counter.hits',
    platforms: ['windows/386'],
    related: [{ file: 'internal/stats/counter.go', line: 5, column: 2, message: 'hits is at offset 4 on windows/386' }],
  }),
  // Characters every format must escape: % , : " < > & | * and a newline.
  raw({
    rule: 'printf-uintptr', file: 'pkg/ui/print.go', line: 3, column: 19, endColumn: 76,
    message: 'Printf verb %d for uintptr operand "uintptr(unsafe.Pointer(p))": <*T> & name|width,\nsee %s',
    messageId: 'verb', platforms: ['linux/386', 'linux/arm', 'windows/386'],
  }),
];

const ERRORS: RunError[] = [
  { file: 'pkg/broken/bad.go', message: 'expected declaration, found "}"' },
  { file: 'pkg/ui/print.go:1', message: 'malformed goport:ignore directive; missing the required reason' },
];

function buildRun(): RunResult {
  const { findings, errors } = runPipeline(RAW, { targets: TARGETS, getLines });
  return {
    tool: { name: 'goport', version: '0.1.0' },
    platforms: TARGETS,
    findings,
    errors: [...ERRORS, ...errors],
    summary: summarize(findings, TARGETS, { files: 14, packages: 5 }),
    stats: { 'processor.merge.in': RAW.length },
  };
}

const OPTS: ReporterOptions = { color: false, targets: TARGETS, cwd: '/work/project', getLines, docs: DOCS };

function goldenName(format: string): string {
  return `${format}.${REPORTERS[format]!.extension}`;
}

describe('reporters: golden files', () => {
  const run = buildRun();

  it('the fixture exercises merging and compaction', () => {
    expect(run.findings).toHaveLength(5);
    expect(run.findings.find((f) => f.rule === 'gated-symbol')!.platforms).toEqual([
      'darwin/amd64', 'darwin/arm64', 'windows/386', 'windows/amd64', 'windows/arm64',
    ]);
    expect(run.findings.find((f) => f.rule === 'unsafe-sizeof')!.platforms).toEqual(TARGETS);
  });

  for (const format of Object.keys(REPORTERS)) {
    it(`${format} matches golden/${goldenName(format)}`, async () => {
      const out = REPORTERS[format]!.render(run, RULES, OPTS);
      await expect(out).toMatchFileSnapshot(`golden/${goldenName(format)}`);
    });

    it(`${format} is deterministic`, () => {
      const a = REPORTERS[format]!.render(buildRun(), RULES, OPTS);
      // Same findings, fed in another order through the pipeline: same bytes.
      const shuffled = [...RAW].reverse();
      const { findings } = runPipeline(shuffled, { targets: TARGETS, getLines });
      const b = REPORTERS[format]!.render({ ...buildRun(), findings }, RULES, OPTS);
      expect(b).toBe(a);
    });
  }

  it('test/golden holds no file that no reporter produces', () => {
    const expected = new Set(Object.keys(REPORTERS).map(goldenName));
    expect(expected.size, 'two reporters share a golden file name').toBe(Object.keys(REPORTERS).length);
    const obsolete = readdirSync(GOLDEN_DIR).filter((f) => !expected.has(f));
    expect(obsolete, 'obsolete golden files: delete them').toEqual([]);
  });
});

describe('sarif structure', () => {
  const run = buildRun();
  const log = JSON.parse(REPORTERS.sarif!.render(run, RULES, OPTS));
  const sarifRun = log.runs[0];

  it('has the top-level shape GitHub code scanning reads', () => {
    expect(log.version).toBe('2.1.0');
    expect(typeof log.$schema).toBe('string');
    expect(log.runs).toHaveLength(1);
    const driver = sarifRun.tool.driver;
    expect(driver.name).toBe('goport');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(sarifRun.invocations[0].executionSuccessful).toBe(false);
    expect(sarifRun.invocations[0].toolExecutionNotifications).toHaveLength(2);
    expect(sarifRun.invocations[0].toolExecutionNotifications[1].locations[0].physicalLocation.region).toEqual({ startLine: 1 });
  });

  it('lists every rule given, with descriptors from meta and docs', () => {
    const rules = sarifRun.tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of rules) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(r.shortDescription.text).not.toBe('');
      expect(r.fullDescription.text).not.toBe('');
      expect(r.help.text).not.toBe('');
      expect(r.help.markdown).not.toBe('');
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
      expect(r.properties.tags).toContain(r.properties.category);
    }
    const gated = rules.find((r: { id: string }) => r.id === 'gated-symbol');
    expect(gated.name).toBe('GatedSymbol');
    expect(gated.fullDescription.text).toBe(
      'Reports uses of identifiers that are declared only in files excluded by build constraints on some target platforms.',
    );
    expect(gated.help.markdown).toMatch(/^## What it does/);
    expect(rules.find((r: { id: string }) => r.id === 'atomic-align-64bit').name).toBe('AtomicAlign64bit');
    expect(rules.find((r: { id: string }) => r.id === 'unsafe-sizeof').defaultConfiguration.level).toBe('note');
  });

  it('results reference their rule, have valid regions and unique fingerprints', () => {
    const rules = sarifRun.tool.driver.rules;
    const fps = new Set<string>();
    expect(sarifRun.results).toHaveLength(run.findings.length);
    for (const r of sarifRun.results) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.message.text).not.toBe('');
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|\\/);
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
        expect(Number.isInteger(loc.region[k]) && loc.region[k] >= 1, k).toBe(true);
      }
      expect(r.partialFingerprints['goport/v1']).toMatch(/^[0-9a-f]{64}:\d+$/);
      fps.add(r.partialFingerprints['goport/v1']);
      expect(Array.isArray(r.properties.platforms)).toBe(true);
    }
    expect(fps.size).toBe(sarifRun.results.length);
  });

  it('converts UTF-8 byte columns to UTF-16 code units', () => {
    const r = sarifRun.results.find((x: { ruleId: string }) => x.ruleId === 'int-overflow-32bit');
    // `\tlabel, big := "Grüße 🌍", 1<<40`: ü, ß (2 bytes, 1 unit each) and 🌍 (4 bytes, 2 units).
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 4, startColumn: 28, endLine: 4, endColumn: 33 });
    // ASCII lines keep their columns.
    const g = sarifRun.results.find((x: { ruleId: string }) => x.ruleId === 'gated-symbol');
    expect(g.locations[0].physicalLocation.region).toEqual({ startLine: 7, startColumn: 2, endLine: 7, endColumn: 11 });
    expect(g.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('cmd/app/rlimit_linux.go');
  });

  it('fingerprints ignore line numbers and platforms', () => {
    const f = run.findings.find((x) => x.rule === 'gated-symbol')!;
    const shifted = { ...f, line: f.line + 3, endLine: f.endLine + 3, platforms: ['linux/386'] };
    const shiftedLines = (file: string) => (file === f.file ? ['', '', '', ...SOURCES[file]!] : getLines(file));
    expect(sarifFingerprint(shifted, shiftedLines)).toBe(sarifFingerprint(f, getLines));
    expect(sarifFingerprint({ ...f, rule: 'other' }, getLines)).not.toBe(sarifFingerprint(f, getLines));
  });

  // Opt-in: GOPORT_SARIF_SCHEMA=/path/to/sarif-schema-2.1.0.json with python3 + jsonschema installed.
  // The schema is not vendored (no network in CI); the structural tests above always run.
  const schema = process.env.GOPORT_SARIF_SCHEMA;
  it.skipIf(schema === undefined || !existsSync(schema))('validates against the SARIF 2.1.0 JSON schema', () => {
    const script = [
      'import json, sys, jsonschema',
      'schema = json.load(open(sys.argv[1]))',
      'doc = json.load(sys.stdin)',
      'errs = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)',
      'print("\\n".join(e.message + " at " + "/".join(map(str, e.absolute_path)) for e in errs))',
      'sys.exit(1 if errs else 0)',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script, schema!], { input: REPORTERS.sarif!.render(run, RULES, OPTS), encoding: 'utf8' });
    expect((r.stdout + r.stderr).trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
