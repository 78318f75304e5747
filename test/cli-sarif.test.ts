/**
 * SARIF against the SARIF 2.1.0 JSON schema (draft-04; the copy @microsoft/jest-sarif ships):
 * the reporter's golden file and a live `goport check --format sarif=FILE` with findings, errors
 * and unused-ignore findings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const require = createRequire(import.meta.url);
// CommonJS packages: under NodeNext their classes are the `default` of the default import.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const SCHEMA_FILE = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib/schemas/sarif-2.1.0-rtm.5.json');

function validator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  // The schema's language-tag pattern is not valid with the `u` flag; formats uri and uri-reference come from ajv-formats.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-sarif-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
  };
  write('go.mod', 'module example.com/s\n\ngo 1.21\n');
  write('a/size_linux.go', 'package a\n\nconst size = 1\n');
  write('a/use.go', 'package a\n\n// Grüße\nfunc G() int { return size }\n\n//goport:ignore gated-symbol stale directive\nfunc H() int { return 1 }\n');
  write('b/broken.go', 'package b\n\nfunc (\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('SARIF 2.1.0 schema', () => {
  const validate = validator();

  it('the schema rejects a broken log (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('accepts the golden file of the sarif reporter', () => {
    const log = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'golden', 'sarif.sarif'), 'utf8'));
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts what goport check writes, with findings, errors and unused ignores', async () => {
    const out = path.join(tmp, 'out.sarif');
    let stdout = '';
    const code = await main(['check', './...', '--report-unused-ignores', '--format', `sarif=${out}`, '--format', 'text'], {
      stdout: (s) => (stdout += s),
      stderr: () => undefined,
      cwd: tmp,
      isTTY: false,
      env: { GOPORT_CACHE: 'off' },
    });
    expect(code).toBe(2); // the syntax error
    expect(stdout).toContain('a/use.go:4:');
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    const rules = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort();
    expect(rules).toEqual(['gated-symbol', 'unused-ignore']);
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('unused-ignore');
  });
});
