/**
 * How far V8 lets the heap grow past what survived its last full collection. The type stage
 * allocates fast and keeps little (a package's body records live until its rules ran), so V8's own
 * heuristic grows the heap by up to 4× and a run's peak RSS is mostly garbage not yet collected:
 * docker/cli warm, 303 MB live at the peak under a 715 MB heap (issue #13). Growing by at most
 * HEAP_GROWING_PERCENT keeps the peak near the live size for little CPU (docker/cli warm, peak
 * 970 → 680 MB, CPU +0.5 s; see the commit that set it). Process-wide (parse workers too); set once,
 * and never when the user gave the flag to node (NODE_OPTIONS or the command line).
 */
import v8 from 'node:v8';

const FLAG = '--heap-growing-percent';
export const HEAP_GROWING_PERCENT = Number(process.env.GOPORT_HEAP_GROWING_PERCENT ?? 60);
let tuned = false;

/** Whether node was given the flag itself (on its command line or in NODE_OPTIONS): then it is left as given. */
export function heapFlagGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => a.startsWith(FLAG) || a.startsWith('--heap_growing_percent'));
}

export function tuneHeap(): void {
  if (tuned) return;
  tuned = true;
  if (heapFlagGiven(process.execArgv, process.env.NODE_OPTIONS) || !(HEAP_GROWING_PERCENT > 0)) return;
  v8.setFlagsFromString(`${FLAG}=${Math.round(HEAP_GROWING_PERCENT)}`);
}
