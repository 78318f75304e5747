/** The rule registry validates itself: ids, titles, messages, docs beside each rule, fixtures. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const HEADINGS = ['What it does', 'Why it breaks', 'Platforms', 'Examples', 'Options', 'When not to use it'];

describe('rule registry', () => {
  it('is sorted by id, with unique kebab-case ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('lists every rules/*.ts module', () => {
    const files = fs
      .readdirSync(path.join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    expect(files).toEqual(RULES.map((r) => r.meta.id).sort());
  });

  for (const rule of RULES) {
    const { meta } = rule;
    describe(meta.id, () => {
      it('has a title of at most 60 characters, lower-case start, no period', () => {
        expect(meta.title.length).toBeGreaterThan(0);
        expect(meta.title.length).toBeLessThanOrEqual(60);
        expect(meta.title[0]).toBe(meta.title[0]!.toLowerCase());
        expect(meta.title.endsWith('.')).toBe(false);
      });

      it('has camelCase message ids with go vet style messages', () => {
        const entries = Object.entries(meta.messages);
        expect(entries.length).toBeGreaterThan(0);
        for (const [id, text] of entries) {
          expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
          expect(text.endsWith('.')).toBe(false);
        }
      });

      it('uses every message id in its source', () => {
        const src = fs.readFileSync(path.join(ROOT, 'rules', `${meta.id}.ts`), 'utf8');
        for (const id of Object.keys(meta.messages)) expect(src.split(`'${id}'`).length, `${id} unused`).toBeGreaterThan(2);
      });

      it('has a doc with frontmatter and the fixed headings in order', () => {
        const doc = fs.readFileSync(path.join(ROOT, 'rules', `${meta.id}.md`), 'utf8');
        const fm = /^---\n([\s\S]*?)\n---\n/.exec(doc);
        expect(fm, 'frontmatter').not.toBeNull();
        expect(fm![1]).toContain(`id: ${meta.id}`);
        expect(fm![1]).toContain(`title: ${meta.title}`);
        expect(fm![1]).toContain(`severity: ${meta.severity}`);
        const h2 = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
        expect(h2).toEqual(HEADINGS);
        expect(doc).toContain('```go');
      });

      it('has fixtures', () => {
        expect(fs.existsSync(path.join(ROOT, 'fixtures', meta.id))).toBe(true);
      });
    });
  }
});
