/**
 * The headers of the bundled declaration tables (package name; per file its name, build lines and
 * imports) kept beside the facts cache, so that a run learns which files of a std package each
 * platform compiles, and what they import, without unpacking the table: the type layer needs that
 * for every std package its imports reach (grouping platforms), but the declarations of far fewer.
 * An entry is keyed by the table file's size and modification time; a missing, stale or unreadable
 * index is a miss (the table is read, and the entry written at the next flush). Without a cache
 * directory every table is read, as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HeaderInfo } from '../constraints/header.js';
import { type DeclFile, type DeclPackage, declFileHeader, declTableFile, readDeclPackage } from './decl-tables.js';

export interface DeclHeader {
  name: string;
  /** Each file's name, build lines and imports, and (from the index) the header they make. */
  files: (Pick<DeclFile, 'name' | 'build' | 'imports'> & { header?: HeaderInfo })[];
}

interface Entry extends DeclHeader {
  size: number;
  mtimeMs: number;
}

/** Bump when the index's shape changes. */
const INDEX_FORMAT = 2;

export class DeclHeaderIndex {
  private entries: Record<string, Entry> | undefined;
  private dirty = false;
  private readonly file: string | undefined;

  /** @param cacheRoot the facts cache's directory (none: no index, every table is read) */
  constructor(
    readonly dir: string,
    readonly version: string,
    cacheRoot: string | undefined,
  ) {
    this.file = cacheRoot === undefined ? undefined : path.join(cacheRoot, 'decl-headers', `${version.replace(/[^\w.@-]/g, '_')}.json`);
  }

  private load(): Record<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = {};
    if (this.file) {
      try {
        const j = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { format: number; dir: string; entries: Record<string, Entry> };
        if (j.format === INDEX_FORMAT && j.dir === this.dir && j.entries && typeof j.entries === 'object') this.entries = j.entries;
      } catch {
        /* a miss */
      }
    }
    return this.entries;
  }

  /**
   * The header of `importPath`'s table, and a function giving the whole table (read once, when
   * first called); null when no table is bundled for it.
   */
  header(importPath: string): { header: DeclHeader; table: () => DeclPackage | null } | null {
    const tableFile = declTableFile(this.dir, importPath);
    const table = () => readDeclPackage(this.dir, importPath);
    if (!this.file) {
      const t = table();
      return t ? { header: t, table } : null;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(tableFile);
    } catch {
      // A release stored as differences has no file for a package unchanged from its base: read it
      // through the chain (readDeclPackage), not indexed.
      const t = table();
      return t ? { header: t, table } : null;
    }
    const entries = this.load();
    const e = Object.hasOwn(entries, importPath) ? entries[importPath] : undefined;
    if (e && e.size === st.size && e.mtimeMs === st.mtimeMs) return { header: e, table };
    const t = table();
    if (!t) return null;
    const entry: Entry = {
      size: st.size,
      mtimeMs: st.mtimeMs,
      name: t.name,
      files: t.files.map((f) => ({ name: f.name, build: f.build, imports: f.imports, header: declFileHeader(f, t.name) })),
    };
    entries[importPath] = entry;
    this.dirty = true;
    return { header: entry, table };
  }

  /** Writes the index when it changed (to a temporary file renamed into place). Never throws. */
  flush(): void {
    if (!this.dirty || !this.file || !this.entries) return;
    this.dirty = false;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format: INDEX_FORMAT, dir: this.dir, entries: this.entries }));
      fs.renameSync(tmp, this.file);
    } catch {
      /* the next run reads the tables again */
    }
  }
}
