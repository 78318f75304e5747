import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, Fix, RuleMeta, RunError, Severity } from '../../engine/types.js';
import { sarifFingerprint } from '../fingerprint.js';
import { splitPosition, utf16Column } from '../positions.js';
import type { GetLines } from '../types.js';
import type { Reporter, ReporterOptions } from './types.js';
import { compactPlatforms, targetList } from './util.js';
import { causeAndTiers } from './json.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where SARIF consumers send users for the tool. TODO(lead): the project's public home page. */
export const GOPORT_INFORMATION_URI = 'https://github.com/goport/goport';
export const FINGERPRINT_KEY = 'goport/v1';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** `int-overflow-32bit` → `IntOverflow32bit` (SARIF reportingDescriptor.name). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Strips a leading `---` frontmatter block from a rule doc. */
function docBody(md: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/.exec(md);
  return (m ? md.slice(m[0].length) : md).trim();
}

/** First paragraph of the doc's "What it does" section, else its first prose paragraph. */
function firstParagraph(body: string): string | undefined {
  const paras = body.split(/\r?\n\s*\r?\n/).map((p) => p.trim());
  const isProse = (p: string) => p !== '' && !p.startsWith('#') && !p.startsWith('```') && !p.startsWith(':::');
  const at = paras.findIndex((p) => /^#{1,6}\s+what it does\s*$/i.test(p.split('\n')[0]!));
  const from = at >= 0 ? paras.slice(at + 1) : paras;
  const p = from.find(isProse);
  return p?.replace(/\s*\r?\n\s*/g, ' ');
}

function ruleDescriptor(r: RuleMeta, docs: ReporterOptions['docs']) {
  const doc = docs?.[r.id];
  const body = doc === undefined ? undefined : docBody(doc);
  const full = (body && firstParagraph(body)) || r.title;
  return {
    id: r.id,
    name: pascalCase(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: full },
    help: { text: body || r.title, markdown: body || r.title },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { category: r.category, tags: ['portability', r.category] },
  };
}

function uri(file: string, cwd: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  return rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function region(getLines: GetLines | undefined, file: string, line: number, col: number, endLine?: number, endCol?: number) {
  const lines = getLines?.(file);
  const r: Record<string, number> = { startLine: line, startColumn: utf16Column(lines?.[line - 1], col) };
  if (endLine !== undefined && endCol !== undefined) {
    r.endLine = endLine;
    r.endColumn = utf16Column(lines?.[endLine - 1], endCol);
  }
  return r;
}

/** A finding's fix as a SARIF fix: one artifactChange per file, replacements by byte range. */
function sarifFix(fix: Fix, cwd: string) {
  const files = [...new Set(fix.edits.map((e) => e.file))].sort();
  return {
    description: { text: fix.description },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: uri(file, cwd), uriBaseId: '%SRCROOT%' },
      replacements: fix.edits
        .filter((e) => e.file === file)
        .map((e) => ({ deletedRegion: { byteOffset: e.start!, byteLength: e.end! - e.start! }, insertedContent: { text: e.text } })),
    })),
  };
}

function notification(e: RunError, cwd: string) {
  const n: Record<string, unknown> = { level: 'error', message: { text: e.message } };
  if (e.file !== '') {
    const p = splitPosition(e.file);
    const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: uri(p.path, cwd), uriBaseId: '%SRCROOT%' } };
    if (p.line !== undefined) {
      physicalLocation.region = p.column === undefined ? { startLine: p.line } : { startLine: p.line, startColumn: p.column };
    }
    n.locations = [{ physicalLocation }];
  }
  return n;
}

/**
 * SARIF 2.1.0 for GitHub code scanning and IDEs. Rule descriptors come from RuleMeta plus the rule
 * docs; columns are UTF-16 code units (SARIF's default columnKind), converted from goport's byte
 * columns with the source lines. `partialFingerprints["goport/v1"]` hashes rule, file,
 * symbol-or-messageId and the trimmed line text (no line numbers, no platforms), with a `:n`
 * occurrence suffix that keeps equal hashes in one file apart, as GitHub's own line hash does.
 */
export const sarifReporter: Reporter = {
  format: 'sarif',
  extension: 'sarif',
  render(run, rules, opts) {
    const targets = targetList(opts.targets, run.platforms);
    const descriptors = rules.map((r) => ruleDescriptor(r, opts.docs));
    const index = new Map<string, number>();
    descriptors.forEach((d, i) => index.set(d.id, i));
    // A result whose rule was not given (e.g. a processor's unused-ignore) still gets a descriptor.
    const missing = [...new Set(run.findings.map((f) => f.rule).filter((id) => !index.has(id)))].sort();
    for (const id of missing) {
      const f = run.findings.find((x) => x.rule === id)!;
      index.set(id, descriptors.length);
      descriptors.push(
        ruleDescriptor({ id, title: id, category: 'correctness', severity: f.severity, since: '', messages: {} }, opts.docs),
      );
    }

    const seen = new Map<string, number>();
    const results = run.findings.map((f: Finding) => {
      const hash = sarifFingerprint(f, opts.getLines);
      const n = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, n);
      const plats = compactPlatforms(f.platforms, targets).join(', ');
      const result: Record<string, unknown> = {
        ruleId: f.rule,
        ruleIndex: index.get(f.rule)!,
        level: LEVEL[f.severity],
        message: { text: `${f.message} (${plats})` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: uri(f.file, opts.cwd), uriBaseId: '%SRCROOT%' },
              region: region(opts.getLines, f.file, f.line, f.column, f.endLine, f.endColumn),
            },
          },
        ],
      };
      if (f.related !== undefined && f.related.length > 0) {
        result.relatedLocations = f.related.map((r, i) => ({
          id: i + 1,
          physicalLocation: {
            artifactLocation: { uri: uri(r.file, opts.cwd), uriBaseId: '%SRCROOT%' },
            region: region(opts.getLines, r.file, r.line, r.column),
          },
          message: { text: r.message },
        }));
      }
      if (f.fix !== undefined && f.fix.edits.every((e) => e.start !== undefined && e.end !== undefined)) result.fixes = [sarifFix(f.fix, opts.cwd)];
      result.partialFingerprints = { [FINGERPRINT_KEY]: `${hash}:${n}` };
      const properties: Record<string, unknown> = { platforms: [...f.platforms] };
      if (f.symbol !== undefined) properties.symbol = f.symbol;
      if (f.suggestion !== undefined) properties.suggestion = f.suggestion;
      Object.assign(properties, causeAndTiers(f));
      result.properties = properties;
      return result;
    });

    const log = {
      $schema: SARIF_SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'goport',
              version: run.tool.version,
              informationUri: GOPORT_INFORMATION_URI,
              rules: descriptors,
            },
          },
          invocations: [
            {
              executionSuccessful: run.errors.length === 0,
              toolExecutionNotifications: run.errors.map((e) => notification(e, opts.cwd)),
            },
          ],
          columnKind: 'utf16CodeUnits',
          results,
          properties: { platforms: [...run.platforms] },
        },
      ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
  },
};
