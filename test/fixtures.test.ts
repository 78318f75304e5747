/**
 * The one generic fixture runner: every fixtures/<rule>/<case>/ directory is analyzed by the whole
 * engine (every rule on) and must produce exactly the findings its `// want` comments expect.
 * A case named ok-* must produce none. fixture.json (optional): { "platforms": [...], "tags": [...],
 * "goVersion": "1.22", "cgo": false, "args": [...], "errors": ["regexp", ...] }.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { RULES } from '../rules/index.js';
import { collectWants, matchFindings } from './helpers/fixtures.js';
import type { RunResult } from '../src/engine/types.js';

const ROOT = path.resolve(import.meta.dirname, '../fixtures');
const ruleIds = new Set(RULES.map((r) => r.meta.id));

interface FixtureConfig {
  platforms?: string[];
  tags?: string[];
  goVersion?: string;
  cgo?: boolean;
  args?: string[];
  errors?: string[];
}

export async function runFixture(dir: string, cfg: FixtureConfig): Promise<{ run: RunResult; code: number; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const argv = ['check', ...(cfg.args ?? ['./...']), '--format', 'json', '--go-version', cfg.goVersion ?? '1.22'];
  for (const p of cfg.platforms ?? []) argv.push('--platforms', p);
  if (cfg.tags?.length) argv.push('--tags', cfg.tags.join(','));
  if (cfg.cgo) argv.push('--cgo');
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: dir, isTTY: false, env: {} });
  return { run: JSON.parse(stdout) as RunResult, code, stderr };
}

const cases: { rule: string; name: string; dir: string }[] = [];
for (const rule of fs.existsSync(ROOT) ? fs.readdirSync(ROOT).sort() : []) {
  if (!ruleIds.has(rule)) continue;
  for (const name of fs.readdirSync(path.join(ROOT, rule)).sort()) {
    const dir = path.join(ROOT, rule, name);
    if (fs.statSync(dir).isDirectory()) cases.push({ rule, name, dir });
  }
}

describe('fixtures', () => {
  it('finds fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it('every rule has a reporting fixture and an ok- fixture', () => {
    for (const id of ruleIds) {
      const mine = cases.filter((c) => c.rule === id);
      expect(mine.some((c) => c.name.startsWith('ok-')), `${id} needs an ok-* fixture`).toBe(true);
      expect(mine.some((c) => !c.name.startsWith('ok-')), `${id} needs a fixture that reports`).toBe(true);
    }
  });

  for (const c of cases) {
    it(`${c.rule}/${c.name}`, async () => {
      const cfgPath = path.join(c.dir, 'fixture.json');
      const cfg: FixtureConfig = fs.existsSync(cfgPath) ? JSON.parse(fs.readFileSync(cfgPath, 'utf8')) : {};
      const wants = collectWants(c.dir);
      if (c.name.startsWith('ok-')) expect(wants, 'an ok- fixture carries no want comments').toEqual([]);
      else expect(wants.length, 'a reporting fixture needs want comments').toBeGreaterThan(0);
      const { run, code } = await runFixture(c.dir, cfg);
      const res = matchFindings(run.findings, wants, run.platforms);
      expect({ unexpected: res.unexpected, unmet: res.unmet }).toEqual({ unexpected: [], unmet: [] });
      const expectedErrors = (cfg.errors ?? []).map((e) => new RegExp(e));
      const unexplained = run.errors.filter((e) => !expectedErrors.some((re) => re.test(`${e.file}: ${e.message}`)));
      expect(unexplained).toEqual([]);
      expect(code).toBe(run.errors.length > 0 ? 2 : run.findings.length > 0 ? 1 : 0);
    });
  }
});
