/**
 * The facts cache: FileFacts kept between runs, keyed by the content hash the engine computes (the
 * file's text, the facts format version and the extractor list), so a warm run parses only the
 * files that changed. Laid out as Go's build cache is: one small file per entry under a two-hex-digit
 * directory, written to a temporary file and renamed into place, so concurrent runs never see half
 * an entry and need no lock; an entry that does not parse or does not carry its own key is a miss
 * (and is overwritten when the file is parsed again). Entries unused for a while are trimmed, at
 * most once a day, as Go trims its cache.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FactsStore } from '../engine/facts-store.js';
import type { FileFacts } from '../parser/facts.js';
import { decodeEntry, encodeEntry } from '../engine/facts-codec.js';
import { VERSION } from '../version.js';
import { parserFingerprint } from '../parser/fingerprint.js';

/** Bump when the entry format (src/engine/facts-codec.ts) changes. */
export const CACHE_FORMAT = 3;

export { decodeEntry, encodeEntry, LAZY_FIELDS } from '../engine/facts-codec.js';

/** Entries waiting to be written are written once they take this many bytes. */
const PENDING_BYTES = 32 << 20;

/** Entries not used for this long are deleted by the daily trim. */
const TRIM_AGE_MS = 5 * 24 * 3600 * 1000;
const TRIM_INTERVAL_MS = 24 * 3600 * 1000;
/** A hit refreshes an entry's mtime when it is older than this (so trimming sees it as used). */
const TOUCH_AGE_MS = 3600 * 1000;

/**
 * The user's cache directory, as Go's os.UserCacheDir: $XDG_CACHE_HOME or $HOME/.cache on Linux and
 * other Unix, $HOME/Library/Caches on macOS, %LocalAppData% on Windows; null when the environment
 * names none (as Go then runs without its build cache).
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32') return env.LocalAppData ?? env.LOCALAPPDATA ?? null;
  if (platform === 'darwin') return env.HOME ? path.join(env.HOME, 'Library', 'Caches') : null;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return xdg;
  return env.HOME ? path.join(env.HOME, '.cache') : null;
}

/**
 * Where facts are cached: `$GOPORT_CACHE_DIR/facts` when set, else `<user cache dir>/goport/facts`;
 * null when `GOPORT_CACHE=off` or there is no user cache directory.
 */
export function factsCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GOPORT_CACHE === 'off') return null;
  if (env.GOPORT_CACHE_DIR && path.isAbsolute(env.GOPORT_CACHE_DIR)) return path.join(env.GOPORT_CACHE_DIR, 'facts');
  const base = userCacheDir(env);
  return base === null ? null : path.join(base, 'goport', 'facts');
}


export interface FactsCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
  written: number;
  writeErrors: number;
  trimmed: number;
}

export class FactsCache implements FactsStore {
  /** Directory of this goport version's entries. */
  readonly root: string;
  /** Encoded entries to write at the next flush. */
  private readonly pending = new Map<string, Uint8Array>();
  private pendingBytes = 0;
  /** Entry directories known to exist. */
  private readonly made = new Set<string>();
  /** Set when no entry could be written: the rest of the run writes none. */
  private unwritable = false;
  readonly stats: FactsCacheStats = { hits: 0, misses: 0, corrupt: 0, written: 0, writeErrors: 0, trimmed: 0 };

  /**
   * @param dir the cache directory (see factsCacheDir); entries go below
   *   `v<format>-<goport version>-<parser fingerprint>`, so another goport or parser never shares them
   */
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
    fingerprint: string = parserFingerprint(),
  ) {
    this.root = path.join(dir, `v${CACHE_FORMAT}-${VERSION}-${fingerprint}`);
  }

  private entryPath(hash: string): string {
    return path.join(this.root, hash.slice(0, 2), hash);
  }

  get(hash: string): FileFacts | undefined {
    if (!/^[0-9a-f]{8,}$/.test(hash)) return undefined;
    // A fresh object: callers may set `path` on what they get.
    const pending = this.pending.get(hash);
    if (pending) return decodeEntry(hash, pending);
    const file = this.entryPath(hash);
    let bytes: Buffer;
    let mtime: number;
    try {
      const fd = fs.openSync(file, 'r');
      try {
        mtime = fs.fstatSync(fd).mtimeMs;
        bytes = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const facts = decodeEntry(hash, bytes, () => this.stats.corrupt++);
    if (facts === undefined) {
      this.stats.corrupt++;
      return undefined;
    }
    this.stats.hits++;
    const now = this.now();
    if (now - mtime > TOUCH_AGE_MS) {
      try {
        fs.utimesSync(file, now / 1000, now / 1000);
      } catch {
        /* read-only cache: fine */
      }
    }
    return facts;
  }

  put(hash: string, facts: FileFacts): void {
    if (!/^[0-9a-f]{8,}$/.test(hash)) return;
    this.putEntry(hash, encodeEntry(hash, facts));
  }

  putEntry(hash: string, entry: Uint8Array): void {
    if (!/^[0-9a-f]{8,}$/.test(hash) || this.unwritable) return;
    this.pending.set(hash, entry);
    this.pendingBytes += entry.length;
    if (this.pendingBytes > PENDING_BYTES) this.writePending();
  }

  flush(): void {
    this.writePending();
    this.trim(); // also keeps this root's trim.txt fresh while it is in use
  }

  /** Writes the pending entries; past PENDING_BYTES of them put() does it itself, so memory stays bounded. */
  private writePending(): void {
    for (const [hash, entry] of this.pending) {
      if (this.unwritable) break;
      const file = this.entryPath(hash);
      const dir = path.dirname(file);
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        if (!this.made.has(dir)) {
          fs.mkdirSync(dir, { recursive: true });
          this.made.add(dir);
        }
        fs.writeFileSync(tmp, entry);
        fs.renameSync(tmp, file);
        this.stats.written++;
      } catch {
        this.stats.writeErrors++;
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          /* nothing to clean */
        }
        // An unwritable cache directory: stop trying for this run.
        if (this.stats.writeErrors > 3 && this.stats.written === 0) this.unwritable = true;
      }
    }
    this.pending.clear();
    this.pendingBytes = 0;
  }

  /**
   * Deletes entries unused for five days, at most once a day (a `trim.txt` in the cache root holds the
   * time of the last trim; like Go's cache, whoever renames it first does the work).
   */
  trim(force = false): void {
    const marker = path.join(this.root, 'trim.txt');
    const now = this.now();
    try {
      const last = Number(fs.readFileSync(marker, 'utf8').trim());
      if (!force && Number.isFinite(last) && now - last < TRIM_INTERVAL_MS) return;
    } catch {
      // No marker yet: a fresh cache needs no trim; start the clock.
      if (!force) {
        try {
          fs.mkdirSync(this.root, { recursive: true });
          fs.writeFileSync(marker, String(now));
        } catch {
          /* unwritable: never trim */
        }
        return;
      }
    }
    try {
      const tmp = `${marker}.${process.pid}.tmp`;
      fs.mkdirSync(this.root, { recursive: true });
      fs.writeFileSync(tmp, String(now));
      fs.renameSync(tmp, marker);
    } catch {
      return;
    }
    let dirs: string[] = [];
    try {
      dirs = fs.readdirSync(this.root).filter((d) => /^[0-9a-f]{2}$/.test(d));
    } catch {
      /* no entries yet */
    }
    for (const d of dirs) {
      const sub = path.join(this.root, d);
      let names: string[];
      try {
        names = fs.readdirSync(sub);
      } catch {
        continue;
      }
      for (const n of names) {
        const p = path.join(sub, n);
        try {
          const st = fs.statSync(p);
          // Leftover temporary files of a crashed run are trimmed after an hour.
          const age = now - st.mtimeMs;
          if (age > TRIM_AGE_MS || (n.endsWith('.tmp') && age > TOUCH_AGE_MS)) {
            fs.rmSync(p, { force: true });
            this.stats.trimmed++;
          }
        } catch {
          /* raced with another trim */
        }
      }
    }
    // Whole directories of other goport versions or parsers, unused for as long, go too.
    let siblings: string[] = [];
    try {
      siblings = fs.readdirSync(this.dir).filter((d) => /^v\d+-/.test(d) && path.join(this.dir, d) !== this.root);
    } catch {
      /* nothing there */
    }
    for (const d of siblings) {
      const other = path.join(this.dir, d);
      try {
        let last: number;
        try {
          last = fs.statSync(path.join(other, 'trim.txt')).mtimeMs;
        } catch {
          last = fs.statSync(other).mtimeMs;
        }
        if (now - last > TRIM_AGE_MS) {
          fs.rmSync(other, { recursive: true, force: true });
          this.stats.trimmed++;
        }
      } catch {
        /* raced with another run */
      }
    }
  }
}

/** A store that keeps nothing (`--no-cache`, `GOPORT_CACHE=off`). */
export const NO_STORE: FactsStore = {
  get: () => undefined,
  put: () => undefined,
  putEntry: () => undefined,
  flush: () => undefined,
};
