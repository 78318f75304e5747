/**
 * Fact extraction for many files at once: a facts store is asked first (content-hash keyed),
 * the rest is parsed on worker threads (one per core) when there is enough work to pay for
 * starting them, else inline. Facts are pure functions of a file's text, so the result is the
 * same whatever the number of workers.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deferText, factsReleased, hasText, type SourceFile, textDeferred, textSize } from '../model/program.js';
import type { FileFacts } from '../parser/facts.js';
import { extractors } from '../parser/extractors/index.js';
import { parseGoFile } from '../parser/parse.js';
import { parserFingerprint } from '../parser/fingerprint.js';
import { decodeEntry } from './facts-codec.js';
import { shipped } from '../paths.js';
import type { FactsStore } from './facts-store.js';

/** Bump when FileFacts changes shape: it invalidates stored facts. */
export const FACTS_VERSION = 1;

/** Below this many files to parse, workers cost more than they save. */
const WORKER_THRESHOLD = 150;

export interface ParseAllOptions {
  jobs?: number;
  /** The old-generation cap of each worker (tests: one so small that workers die). */
  workerHeapMb?: number;
  store?: FactsStore;
  onProgress?: (done: number, total: number) => void;
}

export interface ParseStats {
  parsed: number;
  fromStore: number;
  workers: number;
  /** Files left by workers that died (out of memory), parsed on the main thread. */
  orphaned: number;
}

let keySalt: string | undefined;

export function factsKey(text: string): string {
  keySalt ??= `${FACTS_VERSION}|${extractors.map((e) => e.name ?? '?').join(',')}|${parserFingerprint()}`;
  return createHash('sha1').update(keySalt).update('\0').update(text).digest('hex');
}

/**
 * The compiled worker script: beside this module in dist/src/engine or in the CLI's bundle
 * (dist/bundle), else tsc's (from src/, under vitest).
 */
function workerScript(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const c of [path.join(here, 'parse-worker.js'), shipped('dist', 'src', 'engine', 'parse-worker.js')]) {
    if (fs.existsSync(c)) return c;
  }
  return undefined;
}

/**
 * Gives `file` its facts from the store when the store has them (used as they are, not copied:
 * a store may decode big fields only when they are read). Otherwise returns the key under which
 * the facts, once extracted, are to be put (undefined without a store).
 */
export function takeStoredFacts(file: SourceFile, store: FactsStore | undefined): { hit: boolean; key: string | undefined } {
  if (!store || !hasText(file)) return { hit: false, key: undefined };
  const deferred = textDeferred(file);
  const key = factsKey(file.text!);
  const hit = store.get(key);
  if (!hit) {
    // Back to disk until it is parsed (the text read to hash it is not held meanwhile).
    if (deferred) deferText(file);
    return { hit: false, key };
  }
  hit.path = file.path;
  file.facts = hit;
  file.text = undefined;
  return { hit: true, key };
}

/** A batch for a worker holds at most this many files... */
const BATCH_FILES = 24;
/** ...and, past its first file, at most this much text: a few huge files must not sit in one batch. */
const BATCH_UNITS = 1 << 20;
/**
 * The inline path lets the event loop turn after this much text: tree-sitter's native trees are
 * freed by finalizers that run only then (and only after V8 collected their wrappers), so a loop
 * that never yields holds every tree it made: 810 MB on docker/cli against 335 MB.
 */
const YIELD_UNITS = 4 << 20;
/**
 * A worker's old generation is capped: what it keeps between files is tiny, and without a cap V8 lets
 * dead syntax copies pile up (about 100 MB less peak RSS on docker/cli, same CPU). A worker that dies
 * anyway leaves its batch to the main thread.
 */
const WORKER_HEAP_MB = 256;
/**
 * Files larger than this are parsed on the main thread, never by a capped worker: the syntax copy
 * of a file takes up to ~100 bytes per byte of source, and a worker that reaches its cap inside the
 * native parser aborts the whole process instead of failing alone.
 */
const MAIN_THREAD_UNITS = 1 << 20;
/** The key of an entry sent by a worker when there is no store to keep it under its content hash. */
const TRANSFER_KEY = 'transfer';

/** What a worker is sent: a file to parse, with the key its encoded facts are to carry. */
export interface ParseJob {
  id: number;
  path: string;
  text: string;
  key: string;
}

/** What a worker answers: the file's facts, encoded (see facts-codec.ts); its buffer is transferred. */
export interface ParseResult {
  id: number;
  entry: Uint8Array;
}

/**
 * Extracts facts for every file that has text and no facts yet (largest files first, so that no
 * worker is left with a huge file at the end). See ParsePool for parsing that overlaps its use.
 */
export async function parseAll(files: readonly SourceFile[], opts: ParseAllOptions = {}): Promise<ParseStats> {
  const sorted = files.map((f, i) => ({ f, i, n: textSize(f) })).sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.f);
  const pool = new ParsePool(opts);
  pool.add(sorted);
  return pool.close();
}

interface Entry {
  file: SourceFile;
  key: string | undefined;
  /** queued: waiting for a worker; sent: in a worker's batch; here: for this thread (too big for a worker, or its worker died). */
  where: 'queued' | 'sent' | 'here' | 'done';
}

interface PoolWorker {
  w: Worker;
  current: Entry[] | undefined;
  dead: boolean;
  heap?: number[];
}

/**
 * Parsing that overlaps its use: files are added (in the order they are likely to be needed) and
 * parsed on worker threads as they come; `ready(files)` resolves once those files have facts,
 * moving them to the front of the queue first, so the engine checks a package while the workers
 * parse the next ones. A facts store is asked first. Files too big for a worker's capped heap, and
 * the files of a worker that died, are parsed on this thread when they are needed (or at `close`).
 * Facts are pure functions of a file's text: the result is the same whatever the order or the
 * number of workers.
 */
export class ParsePool {
  readonly stats: ParseStats = { parsed: 0, fromStore: 0, workers: 0, orphaned: 0 };
  private readonly entries = new Map<SourceFile, Entry>();
  private readonly queue: Entry[] = [];
  private head = 0;
  /** Entries a `ready` waits for, sent before the rest of the queue. */
  private urgent: Entry[] = [];
  private readonly workers: PoolWorker[] = [];
  private started = false;
  private failed: Error | undefined;
  private total = 0;
  /** Resolved (and replaced) whenever a worker answers or dies. */
  private wake: () => void = () => undefined;
  private event: Promise<void> = this.nextEvent();

  constructor(private readonly opts: ParseAllOptions = {}) {}

  private nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  private signal(): void {
    const w = this.wake;
    this.event = this.nextEvent();
    w();
  }

  /** Adds files to parse (those without facts and with text; the store is asked first). */
  add(files: readonly SourceFile[]): void {
    const fresh: Entry[] = [];
    for (const file of files) this.entry(file, fresh);
    if (!this.started) {
      this.started = true;
      const jobs = Math.max(1, this.opts.jobs ?? os.availableParallelism());
      const script = jobs > 1 && fresh.length >= WORKER_THRESHOLD ? workerScript() : undefined;
      if (script) {
        const units = fresh.filter((e) => e.where === 'queued').length;
        const n = Math.min(jobs, Math.max(1, Math.ceil(units / BATCH_FILES)));
        this.stats.workers = n;
        for (let i = 0; i < n; i++) this.startWorker(script);
      }
    }
    if (this.workers.length === 0) for (const e of fresh) if (e.where === 'queued') e.where = 'here';
    this.pump();
  }

  private entry(file: SourceFile, fresh?: Entry[]): Entry | undefined {
    let e = this.entries.get(file);
    if (e) return e;
    // (Released facts are not read: that would parse the file again.)
    if (!hasText(file) || factsReleased(file) || file.facts) return undefined;
    const { hit, key } = takeStoredFacts(file, this.opts.store);
    if (hit) {
      this.stats.fromStore++;
      return undefined;
    }
    this.total++;
    e = { file, key, where: textSize(file) > MAIN_THREAD_UNITS || !this.liveWorkers() && this.started ? 'here' : 'queued' };
    this.entries.set(file, e);
    if (e.where === 'queued') this.queue.push(e);
    fresh?.push(e);
    return e;
  }

  /** Workers running, and files left to parse (for diagnostics). */
  get busy(): string {
    const MB = (n: number) => (n / 1048576).toFixed(0);
    return `workers ${this.workers.filter((w) => !w.dead).length}, to parse ${this.total - this.stats.parsed} ${this.workers.map((w) => (w.heap ? `[${w.heap.map(MB).join('/')}]` : '')).join(' ')}`;
  }

  private liveWorkers(): boolean {
    return this.workers.some((w) => !w.dead);
  }

  /** Resolves once every one of `files` (added now when it was not) has its facts. */
  async ready(files: readonly SourceFile[]): Promise<void> {
    let need: Entry[] = [];
    for (const file of files) {
      const e = this.entry(file);
      if (e && e.where !== 'done' && !e.file.facts) need.push(e);
    }
    if (need.length === 0) return;
    const queued = need.filter((e) => e.where === 'queued');
    if (queued.length > 0) {
      this.urgent = [...queued, ...this.urgent];
      this.pump();
    }
    for (;;) {
      if (this.failed) throw this.failed;
      need = need.filter((e) => e.where !== 'done' && !e.file.facts);
      if (need.length === 0) return;
      const mine = need.filter((e) => e.where === 'here' || (e.where === 'queued' && !this.liveWorkers()));
      if (mine.length > 0) {
        let units = 0;
        for (const e of mine) {
          units += textSize(e.file);
          this.parseHere(e);
          // Let worker results in, and finalizers run (see YIELD_UNITS).
          if (units >= YIELD_UNITS || this.liveWorkers()) {
            units = 0;
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        continue;
      }
      await this.event;
    }
  }

  /** Parses what is left, stops the workers, flushes the store. */
  async close(): Promise<ParseStats> {
    try {
      await this.ready([...this.entries.keys()]);
    } finally {
      this.stop();
    }
    this.opts.store?.flush();
    return this.stats;
  }

  /** Stops the workers (what they were parsing is left unparsed). */
  stop(): void {
    for (const w of this.workers) if (!w.dead) ((w.dead = true), void w.w.terminate());
  }

  private progress(): void {
    this.stats.parsed++;
    this.opts.onProgress?.(this.stats.parsed, this.total);
  }

  private parseHere(e: Entry): void {
    if (e.where === 'done') return;
    e.where = 'done';
    if (e.file.facts || e.file.text === undefined) return;
    const facts = parseGoFile(e.file.text, e.file.path);
    e.file.facts = facts;
    e.file.text = undefined;
    if (e.key !== undefined) this.opts.store!.put(e.key, facts);
    this.progress();
  }

  /** The next batch for a worker: urgent entries first, then the queue in order. */
  private nextBatch(): Entry[] | undefined {
    const batch: Entry[] = [];
    let units = 0;
    const take = (e: Entry): boolean => {
      if (e.where !== 'queued' || e.file.facts) return true;
      const n = textSize(e.file);
      if (batch.length >= BATCH_FILES || (batch.length > 0 && units + n > BATCH_UNITS)) return false;
      units += n;
      e.where = 'sent';
      batch.push(e);
      return true;
    };
    let u = 0;
    while (u < this.urgent.length && take(this.urgent[u]!)) u++;
    this.urgent = this.urgent.slice(u);
    while (this.head < this.queue.length && take(this.queue[this.head]!)) this.head++;
    return batch.length > 0 ? batch : undefined;
  }

  /**
   * Gives a batch to every idle worker; a worker left with nothing to do is stopped (its heap and
   * native trees are released while the engine goes on; files added later are parsed here).
   */
  private pump(): void {
    for (const w of this.workers) {
      if (w.dead || w.current || this.failed) continue;
      const batch = this.nextBatch();
      if (!batch) {
        w.dead = true;
        void w.w.terminate();
        continue;
      }
      w.current = batch;
      const jobs: ParseJob[] = batch.map((e, i) => {
        const deferred = textDeferred(e.file);
        const job = { id: i, path: e.file.path, text: e.file.text ?? '', key: e.key ?? TRANSFER_KEY };
        // The worker has its own copy: this thread reads it again only if the worker dies.
        if (deferred) deferText(e.file);
        return job;
      });
      w.w.postMessage(jobs);
    }
  }

  private startWorker(script: string): void {
    const pw: PoolWorker = { w: new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: this.opts.workerHeapMb ?? WORKER_HEAP_MB } }), current: undefined, dead: false };
    this.workers.push(pw);
    const die = () => {
      if (pw.dead) return;
      pw.dead = true;
      // Batches of workers that died (out of memory on a huge file): parsed here.
      for (const e of pw.current ?? []) {
        if (e.where !== 'sent') continue;
        e.where = 'here';
        this.stats.orphaned++;
      }
      pw.current = undefined;
      if (!this.liveWorkers()) {
        for (const e of [...this.urgent, ...this.queue.slice(this.head)]) {
          if (e.where !== 'queued') continue;
          e.where = 'here';
          this.stats.orphaned++;
        }
      }
      this.signal();
    };
    pw.w.on('message', (res: ParseResult[]) => {
      const batch = pw.current ?? [];
      pw.current = undefined;
      for (const r of res) {
        if (r.id < 0) pw.heap = (r as unknown as { heap: number[] }).heap;
        const e = batch[r.id];
        if (!e || e.where !== 'sent') continue;
        e.where = 'done';
        const { file, key } = e;
        if (file.facts) continue; // parsed meanwhile on this thread
        const facts = decodeEntry(key ?? TRANSFER_KEY, r.entry);
        if (facts === undefined) {
          this.failed = new Error(`parse worker: undecodable facts for ${file.path}`);
          continue;
        }
        file.facts = facts;
        file.text = undefined;
        if (key !== undefined) this.opts.store!.putEntry(key, r.entry);
        this.progress();
      }
      this.pump();
      this.signal();
    });
    pw.w.on('error', die);
    pw.w.on('exit', die);
  }
}
