/** A parse worker: receives batches of {id, path, text}, answers with {id, facts}. */
import { parentPort } from 'node:worker_threads';
import { parseGoFile } from '../parser/parse.js';

interface Job {
  id: number;
  path: string;
  text: string;
}

parentPort!.on('message', (batch: Job[]) => {
  const out = batch.map((j) => ({ id: j.id, facts: parseGoFile(j.text, j.path) }));
  parentPort!.postMessage(out);
});
