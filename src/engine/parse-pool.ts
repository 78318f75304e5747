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
import type { FactsStore } from './facts-store.js';

/** Bump when FileFacts changes shape: it invalidates stored facts. */
export const FACTS_VERSION = 1;

/** Below this many files to parse, workers cost more than they save. */
const WORKER_THRESHOLD = 150;
const BATCH = 24;

export interface ParseAllOptions {
  jobs?: number;
  store?: FactsStore;
  onProgress?: (done: number, total: number) => void;
}

export interface ParseStats {
  parsed: number;
  fromStore: number;
  workers: number;
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

/** Extracts facts for every file that has text and no facts yet. */
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

export async function parseAll(files: readonly SourceFile[], opts: ParseAllOptions = {}): Promise<ParseStats> {
  const stats: ParseStats = { parsed: 0, fromStore: 0, workers: 0 };
  const todo: { file: SourceFile; key: string | undefined }[] = [];
  for (const file of files) {
    if (file.facts || file.text === undefined) continue;
    const { hit, key } = takeStoredFacts(file, opts.store);
    if (hit) stats.fromStore++;
    else todo.push({ file, key });
  }
  const total = todo.length;
  const done = (file: SourceFile, key: string | undefined, facts: FileFacts) => {
    file.facts = facts;
    file.text = undefined;
    if (key !== undefined) opts.store!.put(key, facts);
    stats.parsed++;
    opts.onProgress?.(stats.parsed, total);
  };
  const jobs = Math.max(1, opts.jobs ?? os.availableParallelism());
  const script = jobs > 1 && total >= WORKER_THRESHOLD ? workerScript() : undefined;
  if (!script) {
    for (const { file, key } of todo) done(file, key, parseGoFile(file.text!, file.path));
    opts.store?.flush();
    return stats;
  }
  const nWorkers = Math.min(jobs, Math.ceil(total / BATCH));
  stats.workers = nWorkers;
  let next = 0;
  await Promise.all(
    Array.from({ length: nWorkers }, () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(script);
        const send = () => {
          if (next >= total) {
            void w.terminate().then(() => resolve());
            return;
          }
          const batch = todo.slice(next, next + BATCH).map((t, i) => ({ id: next + i, path: t.file.path, text: t.file.text! }));
          next += batch.length;
          w.postMessage(batch);
        };
        w.on('message', (res: { id: number; facts: FileFacts }[]) => {
          for (const r of res) done(todo[r.id]!.file, todo[r.id]!.key, r.facts);
          send();
        });
        w.on('error', reject);
        send();
      }),
    ),
  );
  opts.store?.flush();
  return stats;
}
