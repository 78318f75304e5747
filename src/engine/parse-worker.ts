/**
 * A parse worker: receives batches of ParseJob, answers with ParseResult: each file's facts encoded
 * as the facts cache keeps them (facts-codec.ts), their buffers transferred, not copied.
 */
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { parseGoFile } from '../parser/parse.js';
import { encodeEntry } from './facts-codec.js';
import type { ParseJob, ParseResult } from './parse-pool.js';

parentPort!.on('message', (batch: ParseJob[]) => {
  const out: ParseResult[] = batch.map((j) => ({ id: j.id, entry: encodeEntry(j.key, parseGoFile(j.text, j.path)) }));
  if (process.env.GOPORT_MEMTRACE) {
    const h = v8.getHeapStatistics();
    (out as unknown as { id: number; heap: number[] }[]).push({ id: -1, heap: [h.used_heap_size, h.total_heap_size, h.external_memory ?? 0, h.malloced_memory] });
  }
  parentPort!.postMessage(
    out,
    out.flatMap((r) => (r.entry ? [r.entry.buffer as ArrayBuffer] : [])),
  );
});
