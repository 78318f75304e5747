/**
 * Where extracted facts may be kept between runs. The engine asks the store before parsing a file
 * and gives it every file it parsed; a store keys facts by the file's content hash (and the
 * extractor version), so a warm run parses only what changed.
 */
import type { FileFacts } from '../parser/facts.js';

export interface FactsStore {
  /** Facts previously stored for this content hash, or undefined. Never throws (a corrupt entry is a miss). */
  get(hash: string): FileFacts | undefined;
  /** Records facts for a content hash. Never throws. */
  put(hash: string, facts: FileFacts): void;
  /** Records facts already encoded (encodeEntry in facts-codec.ts) for a content hash: what a parse worker sends. Never throws. */
  putEntry(hash: string, entry: Uint8Array): void;
  /** Persists what was put (atomically; safe against concurrent runs). Never throws. */
  flush(): void;
}
