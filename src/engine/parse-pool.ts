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
import type { SourceFile } from '../model/program.js';
import type { FileFacts } from '../parser/facts.js';
import { extractors } from '../parser/extractors/index.js';
import { parseGoFile } from '../parser/parse.js';
import { parserFingerprint } from '../parser/fingerprint.js';
import { decodeEntry } from './facts-codec.js';
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

/** The compiled worker script (dist/), found from src/ (vitest) or dist/ (the CLI). */
function workerScript(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const c of [path.join(here, 'parse-worker.js'), path.resolve(here, '../../dist/src/engine/parse-worker.js')]) {
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
  if (!store || file.text === undefined) return { hit: false, key: undefined };
  const key = factsKey(file.text);
  const hit = store.get(key);
  if (!hit) return { hit: false, key };
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
 * Extracts facts for every file that has text and no facts yet. On workers, each file's facts come
 * back encoded as the cache keeps them: the main thread decodes them lazily and the store writes
 * the same bytes.
 */
export async function parseAll(files: readonly SourceFile[], opts: ParseAllOptions = {}): Promise<ParseStats> {
  const stats: ParseStats = { parsed: 0, fromStore: 0, workers: 0, orphaned: 0 };
  const todo: { file: SourceFile; key: string | undefined }[] = [];
  for (const file of files) {
    if (file.facts || file.text === undefined) continue;
    const { hit, key } = takeStoredFacts(file, opts.store);
    if (hit) stats.fromStore++;
    else todo.push({ file, key });
  }
  const total = todo.length;
  const progress = () => {
    stats.parsed++;
    opts.onProgress?.(stats.parsed, total);
  };
  /** Parses a file on this thread. */
  const parseHere = (file: SourceFile, key: string | undefined) => {
    const facts = parseGoFile(file.text!, file.path);
    file.facts = facts;
    file.text = undefined;
    if (key !== undefined) opts.store!.put(key, facts);
    progress();
  };
  const jobs = Math.max(1, opts.jobs ?? os.availableParallelism());
  const script = jobs > 1 && total >= WORKER_THRESHOLD ? workerScript() : undefined;
  if (!script) {
    let units = 0;
    for (const { file, key } of todo) {
      units += file.text!.length;
      parseHere(file, key);
      if (units >= YIELD_UNITS) {
        units = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    opts.store?.flush();
    return stats;
  }
  // Largest files first, so that no worker is left with a huge file at the end (the results do not
  // depend on the order: each file's facts are its own).
  const order = todo.map((_, i) => i).sort((a, b) => todo[b]!.file.text!.length - todo[a]!.file.text!.length || a - b);
  // Files too big for a worker's capped heap are this thread's (it is idle while the workers parse).
  let firstSmall = 0;
  while (firstSmall < order.length && todo[order[firstSmall]!]!.file.text!.length > MAIN_THREAD_UNITS) firstSmall++;
  const mine = order.slice(0, firstSmall);
  const batches: ParseJob[][] = [];
  for (let i = firstSmall; i < order.length; ) {
    const batch: ParseJob[] = [];
    let units = 0;
    while (i < order.length && batch.length < BATCH_FILES && (batch.length === 0 || units + todo[order[i]!]!.file.text!.length <= BATCH_UNITS)) {
      const id = order[i++]!;
      const { file, key } = todo[id]!;
      units += file.text!.length;
      batch.push({ id, path: file.path, text: file.text!, key: key ?? TRANSFER_KEY });
    }
    batches.push(batch);
  }
  const here = (async () => {
    for (const id of mine) {
      parseHere(todo[id]!.file, todo[id]!.key);
      await new Promise((resolve) => setImmediate(resolve)); // let worker results in, and finalizers run
    }
  })();
  const nWorkers = Math.min(jobs, batches.length);
  stats.workers = nWorkers;
  let next = 0;
  let failed: Error | undefined;
  /** Batches of workers that died (out of memory on a huge file): parsed here afterwards. */
  const orphans: ParseJob[][] = [];
  await Promise.all([
    here,
    ...Array.from({ length: nWorkers }, () =>
      new Promise<void>((resolve) => {
        const w = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: opts.workerHeapMb ?? WORKER_HEAP_MB } });
        let current: ParseJob[] | undefined;
        let dead = false;
        const die = () => {
          if (dead) return;
          dead = true;
          if (current) orphans.push(current);
          current = undefined;
          resolve();
        };
        const send = () => {
          if (next >= batches.length || failed) {
            current = undefined;
            dead = true;
            void w.terminate().then(() => resolve());
            return;
          }
          current = batches[next++];
          w.postMessage(current);
        };
        w.on('message', (res: ParseResult[]) => {
          for (const r of res) {
            const { file, key } = todo[r.id]!;
            const facts = decodeEntry(key ?? TRANSFER_KEY, r.entry);
            if (facts === undefined) {
              failed = new Error(`parse worker: undecodable facts for ${file.path}`);
              continue;
            }
            file.facts = facts;
            file.text = undefined;
            if (key !== undefined) opts.store!.putEntry(key, r.entry);
            progress();
          }
          send();
        });
        w.on('error', die);
        w.on('exit', die);
        send();
      }),
    ),
  ]);
  if (failed) throw failed;
  // What no worker could finish (a worker died, or all did before the end): on this thread.
  for (const batch of [...orphans, ...batches.slice(next)]) {
    for (const j of batch) parseHere(todo[j.id]!.file, todo[j.id]!.key);
    stats.orphaned += batch.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  opts.store?.flush();
  return stats;
}
