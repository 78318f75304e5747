/**
 * A parse worker: receives batches of ParseJob, answers with ParseResult: each file's facts encoded
 * as the facts cache keeps them (facts-codec.ts), their buffers transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { parseGoFile } from '../parser/parse.js';
import { encodeEntry } from './facts-codec.js';
import type { ParseJob, ParseResult } from './parse-pool.js';

parentPort!.on('message', (batch: ParseJob[]) => {
  const out: ParseResult[] = batch.map((j) => ({ id: j.id, entry: encodeEntry(j.key, parseGoFile(j.text, j.path)) }));
  parentPort!.postMessage(
    out,
    out.map((r) => r.entry.buffer as ArrayBuffer),
  );
});
