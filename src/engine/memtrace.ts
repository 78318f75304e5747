/**
 * GOPORT_MEMTRACE=1: samples memory per checked package (stderr), with what the held facts weigh,
 * and prints the breakdown at the sample of highest RSS. A diagnostic for issue #13.
 */
import v8 from 'node:v8';
import type { DirModel, SourceFile } from '../model/program.js';

export interface MemSample {
  at: string;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  syntaxWords: number;
  syntaxStrings: number;
  filesWithFacts: number;
  filesWithSyntax: number;
  lazyPending: number;
  typesKept: number;
}

const MB = (n: number) => (n / 1048576).toFixed(1);

export class MemTrace {
  readonly on = process.env.GOPORT_MEMTRACE !== undefined;
  private max: MemSample | undefined;
  private n = 0;
  constructor(private readonly dirs: () => Iterable<DirModel>, private readonly extra: () => string = () => '') {}

  sample(at: string, typesKept: number, force = false): void {
    if (!this.on) return;
    const every = Number(process.env.GOPORT_MEMTRACE) || 20;
    if (process.env.GOPORT_HEAPSNAP && at.startsWith(`${process.env.GOPORT_HEAPSNAP} `)) process.stderr.write(`memtrace snapshot ${v8.writeHeapSnapshot('/tmp/goport-peak.heapsnapshot')}\n`);
    if (!force && this.n++ % every !== 0) return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    const m = process.memoryUsage();
    const s: MemSample = { at, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, syntaxWords: 0, syntaxStrings: 0, filesWithFacts: 0, filesWithSyntax: 0, lazyPending: 0, typesKept };
    const seen = new Set<SourceFile>();
    for (const dm of this.dirs()) {
      for (const f of dm.files) {
        if (seen.has(f)) continue;
        seen.add(f);
        const fd = Object.getOwnPropertyDescriptor(f, 'facts');
        if (!fd || !('value' in fd) || !fd.value) continue;
        s.filesWithFacts++;
        const extra = (fd.value as { extra?: object }).extra;
        const d = extra && Object.getOwnPropertyDescriptor(extra, 'syntax');
        if (!d) continue;
        if (!('value' in d)) {
          s.lazyPending++;
          continue;
        }
        const t = d.value as { w?: Int32Array; s?: string[] } | undefined;
        if (!t) continue;
        s.filesWithSyntax++;
        s.syntaxWords += t.w?.byteLength ?? 0;
        for (const x of t.s ?? []) s.syntaxStrings += 16 + x.length;
      }
    }
    if (!this.max || s.rss > this.max.rss) this.max = s;
    process.stderr.write(`memtrace ${at}: rss ${MB(s.rss)} heap ${MB(s.heapUsed)}/${MB(process.memoryUsage().heapTotal)} ext ${MB(s.external)} ab ${MB(s.arrayBuffers)} | syntax words ${MB(s.syntaxWords)} strings ~${MB(s.syntaxStrings)} in ${s.filesWithSyntax} files (${s.lazyPending} undecoded), ${s.filesWithFacts} with facts, types ${s.typesKept} ${this.extra()}\n`);
  }

  report(): void {
    if (!this.max) return;
    const s = this.max;
    process.stderr.write(`memtrace PEAK at ${s.at}: rss ${MB(s.rss)} heap ${MB(s.heapUsed)}/${MB(process.memoryUsage().heapTotal)} ext ${MB(s.external)} ab ${MB(s.arrayBuffers)} syntax ${MB(s.syntaxWords)}+~${MB(s.syntaxStrings)} files ${s.filesWithSyntax}/${s.filesWithFacts} types ${s.typesKept} ${this.extra()}\n`);
  }
}
