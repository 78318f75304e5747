/**
 * The headers of the declaration tables kept beside the facts cache (src/types/decl-index.ts): what
 * the index answers is what the table says, a changed table file is read again, and without a cache
 * directory every table is read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDecls } from '../src/types/decl-bundle.js';
import { DeclHeaderIndex } from '../src/types/decl-index.js';
import { declFileHeader, readDeclPackage } from '../src/types/decl-tables.js';

const d = bundledDecls(19)!;

describe('declaration table headers', () => {
  it('answers from the index as from the table, and reads the table only when asked', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-decl-index-'));
    try {
      const first = new DeclHeaderIndex(d.dir, d.version, cache);
      const h1 = first.header('os')!;
      first.flush();
      const file = path.join(cache, 'decl-headers', `${d.version}.json`);
      expect(fs.existsSync(file)).toBe(true);
      const second = new DeclHeaderIndex(d.dir, d.version, cache);
      const h2 = second.header('os')!;
      const table = readDeclPackage(d.dir, 'os')!;
      for (const h of [h1, h2]) {
        expect(h.header.name).toBe(table.name);
        expect(h.header.files.map((f) => [f.name, f.build, f.imports])).toEqual(table.files.map((f) => [f.name, f.build, f.imports]));
        expect(h.header.files.map((f) => f.header)).toEqual(table.files.map((f) => declFileHeader(f, table.name)));
        expect(h.table()).toBe(table);
      }
      expect(second.header('no/such/package')).toBeNull();
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reads a table again when its file changed since the entry was written', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-decl-index-'));
    try {
      const idx = new DeclHeaderIndex(d.dir, d.version, cache);
      idx.header('errors');
      idx.flush();
      const file = path.join(cache, 'decl-headers', `${d.version}.json`);
      const j = JSON.parse(fs.readFileSync(file, 'utf8'));
      j.entries.errors.mtimeMs -= 1000;
      j.entries.errors.name = 'stale';
      fs.writeFileSync(file, JSON.stringify(j));
      expect(new DeclHeaderIndex(d.dir, d.version, cache).header('errors')!.header.name).toBe('errors');
      fs.writeFileSync(file, 'not json');
      expect(new DeclHeaderIndex(d.dir, d.version, cache).header('errors')!.header.name).toBe('errors');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reads every table without a cache directory', () => {
    const idx = new DeclHeaderIndex(d.dir, d.version, undefined);
    expect(idx.header('errors')!.header).toBe(readDeclPackage(d.dir, 'errors'));
    idx.flush();
  });
});
