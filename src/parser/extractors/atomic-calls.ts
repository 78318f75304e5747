/**
 * The sync/atomic names the atomic-alignment rule's type-layer summaries (src/types/atomic.ts) look
 * for. (Its facts used to be gathered on the walk by an extractor here; the type layer reads the
 * syntax table instead, so no extractor runs for it.)
 */

/** sync/atomic functions that need an 8-byte aligned word (Go 1.23 added And/Or). */
export const ATOMIC_FUNCS_64: ReadonlySet<string> = new Set([
  'AddInt64', 'AddUint64', 'LoadInt64', 'LoadUint64', 'StoreInt64', 'StoreUint64', 'SwapInt64', 'SwapUint64',
  'CompareAndSwapInt64', 'CompareAndSwapUint64', 'AndInt64', 'AndUint64', 'OrInt64', 'OrUint64',
]);

/** Methods of go.uber.org/atomic's Int64, Uint64, Float64 and Duration that access the word atomically. */
export const WRAPPER_METHODS: ReadonlySet<string> = new Set([
  'Load', 'Store', 'Add', 'Sub', 'Inc', 'Dec', 'Swap', 'CAS', 'CompareAndSwap', 'String', 'MarshalJSON',
  'UnmarshalJSON',
]);
