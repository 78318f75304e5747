/**
 * Layout-relevant definitions of common standard-library (and go.uber.org/atomic) types, written as
 * TypeExprs that mirror the Go source, so that the layout engine computes their size, alignment and
 * field offsets for any GOARCH with the same rules as user types.
 *
 * Sources: the Go 1.19.8 tree (/usr/lib/go-1.19, checked field by field), and the newer releases'
 * sources for the fields that changed up to Go 1.25. Only the fields' types matter; unexported field
 * names follow the source of the version noted. Version differences that change the layout:
 *
 * - sync.WaitGroup: Go <= 1.17 `{noCopy; state1 [3]uint32}` (12/4 everywhere); Go 1.18-1.19
 *   `{noCopy; state1 uint64; state2 uint32}` (12/4 on 32-bit, 16/8 on 64-bit); Go 1.20+
 *   `{noCopy; state atomic.Uint64; sema uint32}` (16/8 everywhere: atomic.Uint64 is 8-aligned).
 * - sync.Map: Go <= 1.19 `{mu Mutex; read atomic.Value; dirty map; misses int}`; Go 1.20-1.23 read is an
 *   `atomic.Pointer[readOnly]`; Go 1.24+ `{_ noCopy; m internal/sync.HashTrieMap[any, any]}` (the default
 *   build; GOEXPERIMENT=nosynchashtriemap keeps the 1.23 layout).
 * - sync/atomic's typed values (Bool, Int32, Int64, Pointer, ...) exist from Go 1.19 on; earlier
 *   they are unknown.
 *
 * Changes that keep the layout: sync.Mutex became `{_ noCopy; mu internal/sync.Mutex}` in Go 1.24
 * (still {state int32; sema uint32}); RWMutex's reader counts became atomic.Int32 and sync.Once's done an
 * atomic.Uint32 (plus a leading noCopy in 1.24); net/netip.Addr's zone pointer became a
 * unique.Handle (one pointer) in Go 1.23 and Prefix's `bits int16` a `bitsPlusOne uint8`; reflect.Value's
 * `typ *rtype` became `typ_ *abi.Type`. The older shapes are kept where they give the same layout.
 *
 * Deliberately absent (unknown to goport, so callers stay silent): time.Timer and time.Ticker (their
 * runtime timer changed shape in 1.23), net/http.Client/Server/Request, log.Logger, os.File's private
 * `file`, sync.Pool's per-P data, and every std type not listed here.
 *
 * go.uber.org/atomic: every tagged release up to v1.11.0 declares `Int64 struct{ _ nocmp; v int64 }`
 * with `nocmp [0]func()`, so on 32-bit platforms it is only 4-aligned (a go1.19 variant wrapping
 * sync/atomic.Int64 was merged on master in 2023 and reverted in 2024, never tagged).
 */
import type { FieldFact, Span, TypeExpr } from '../parser/facts.js';
import type { NamedDef, NamedRef, TypeResolver } from './layout.js';

type Def = TypeExpr | { type: TypeExpr; typeParams: string[] };
type Entry = Def | ((goMinor: number) => Def | undefined);

const NO_SPAN: Span = [0, 0, 0, 0];
const n = (name: string, ...args: TypeExpr[]): TypeExpr =>
  args.length ? { k: 'name', name, args } : { k: 'name', name };
const q = (pkg: string, name: string, ...args: TypeExpr[]): TypeExpr =>
  args.length ? { k: 'qual', pkg, name, args } : { k: 'qual', pkg, name };
const ptr = (elem: TypeExpr): TypeExpr => ({ k: 'ptr', elem });
const slice = (elem: TypeExpr): TypeExpr => ({ k: 'slice', elem });
const arr = (len: number, elem: TypeExpr): TypeExpr => ({ k: 'array', len, elem });
const map = (key: TypeExpr, value: TypeExpr): TypeExpr => ({ k: 'map', key, value });
const FUNC: TypeExpr = { k: 'func' };
const IFACE: TypeExpr = { k: 'iface', methods: [], embeds: [] };
const UNSAFE_PTR = q('unsafe', 'Pointer');
const tp = (name: string): TypeExpr => ({ k: 'tparam', name });
const f = (name: string, type: TypeExpr): FieldFact => ({ name, type, embedded: false, span: NO_SPAN });
const emb = (type: TypeExpr): FieldFact => {
  const base = type.k === 'ptr' ? type.elem : type;
  const name = base.k === 'name' || base.k === 'qual' ? base.name : '?';
  return { name, type, embedded: true, span: NO_SPAN };
};
const st = (...fields: FieldFact[]): TypeExpr => ({ k: 'struct', fields });
const generic = (typeParams: string[], type: TypeExpr): Def => ({ type, typeParams });
const since = (minor: number, def: Def) => (m: number) => (m >= minor ? def : undefined);

const ATOMIC = 'sync/atomic';
const atomicInt = (v: string) => since(19, st(f('_', n('noCopy')), f('v', n(v))));
const atomicInt64 = (v: string) => since(19, st(f('_', n('noCopy')), f('_', n('align64')), f('v', n(v))));

const MUTEX_FIELDS = [f('state', n('int32')), f('sema', n('uint32'))];

const STD: Readonly<Record<string, Readonly<Record<string, Entry>>>> = {
  sync: {
    noCopy: st(),
    Locker: IFACE,
    Mutex: (m) => (m >= 24 ? st(f('_', n('noCopy')), f('mu', q('internal/sync', 'Mutex'))) : st(...MUTEX_FIELDS)),
    RWMutex: (m) => {
      const count = m >= 20 ? q(ATOMIC, 'Int32') : n('int32');
      return st(f('w', n('Mutex')), f('writerSem', n('uint32')), f('readerSem', n('uint32')),
        f('readerCount', count), f('readerWait', count));
    },
    WaitGroup: (m) =>
      m >= 20 ? st(f('noCopy', n('noCopy')), f('state', q(ATOMIC, 'Uint64')), f('sema', n('uint32')))
        : m >= 18 ? st(f('noCopy', n('noCopy')), f('state1', n('uint64')), f('state2', n('uint32')))
          : st(f('noCopy', n('noCopy')), f('state1', arr(3, n('uint32')))),
    Once: (m) =>
      m >= 24 ? st(f('_', n('noCopy')), f('done', q(ATOMIC, 'Uint32')), f('m', n('Mutex')))
        : m >= 22 ? st(f('done', q(ATOMIC, 'Uint32')), f('m', n('Mutex')))
          : st(f('done', n('uint32')), f('m', n('Mutex'))),
    Map: (m) =>
      m >= 24 ? st(f('_', n('noCopy')), f('m', q('internal/sync', 'HashTrieMap', n('any'), n('any'))))
        : st(f('mu', n('Mutex')), f('read', m >= 20 ? q(ATOMIC, 'Pointer', n('readOnly')) : q(ATOMIC, 'Value')),
          f('dirty', map(n('any'), ptr(n('entry')))), f('misses', n('int'))),
    readOnly: st(f('m', map(n('any'), ptr(n('entry')))), f('amended', n('bool'))),
    Pool: st(f('noCopy', n('noCopy')), f('local', UNSAFE_PTR), f('localSize', n('uintptr')),
      f('victim', UNSAFE_PTR), f('victimSize', n('uintptr')), f('New', FUNC)),
    Cond: st(f('noCopy', n('noCopy')), f('L', n('Locker')), f('notify', n('notifyList')),
      f('checker', n('copyChecker'))),
    notifyList: (m) => st(f('wait', m >= 20 ? q(ATOMIC, 'Uint32') : n('uint32')), f('notify', n('uint32')),
      f('lock', n('uintptr')), f('head', UNSAFE_PTR), f('tail', UNSAFE_PTR)),
    copyChecker: n('uintptr'),
  },
  'internal/sync': {
    Mutex: since(24, st(...MUTEX_FIELDS)),
    HashTrieMap: since(24, generic(['K', 'V'], st(
      f('inited', q(ATOMIC, 'Uint32')), f('initMu', n('Mutex')),
      f('root', q(ATOMIC, 'Pointer', n('indirect', tp('K'), tp('V')))),
      f('keyHash', n('hashFunc')), f('valEqual', n('equalFunc')), f('seed', n('uintptr'))))),
    hashFunc: FUNC,
    equalFunc: FUNC,
  },
  [ATOMIC]: {
    noCopy: st(),
    align64: st(),
    Bool: atomicInt('uint32'),
    Int32: atomicInt('int32'),
    Uint32: atomicInt('uint32'),
    Uintptr: atomicInt('uintptr'),
    Int64: atomicInt64('int64'),
    Uint64: atomicInt64('uint64'),
    Pointer: since(19, generic(['T'], st(f('_', arr(0, ptr(tp('T')))), f('_', n('noCopy')), f('v', UNSAFE_PTR)))),
    Value: st(f('v', n('any'))),
  },
  time: {
    Time: st(f('wall', n('uint64')), f('ext', n('int64')), f('loc', ptr(n('Location')))),
    Duration: n('int64'),
    Month: n('int'),
    Weekday: n('int'),
    Location: st(f('name', n('string')), f('zone', slice(n('zone'))), f('tx', slice(n('zoneTrans'))),
      f('extend', n('string')), f('cacheStart', n('int64')), f('cacheEnd', n('int64')),
      f('cacheZone', ptr(n('zone')))),
  },
  context: { Context: IFACE, CancelFunc: FUNC, CancelCauseFunc: FUNC },
  fmt: { Stringer: IFACE, State: IFACE, Formatter: IFACE },
  io: Object.fromEntries(['Reader', 'Writer', 'Closer', 'Seeker', 'ReadCloser', 'WriteCloser', 'ReadWriter',
    'ReadWriteCloser', 'ReadSeeker', 'ReadSeekCloser', 'WriteSeeker', 'ReadWriteSeeker', 'ReaderAt', 'WriterAt',
    'ReaderFrom', 'WriterTo', 'ByteReader', 'ByteWriter', 'RuneReader', 'StringWriter'].map((k) => [k, IFACE])),
  'io/fs': { FileMode: n('uint32'), FileInfo: IFACE, DirEntry: IFACE, FS: IFACE, File: IFACE },
  os: { File: st(emb(ptr(n('file')))), FileMode: q('io/fs', 'FileMode'), FileInfo: q('io/fs', 'FileInfo'), Signal: IFACE },
  'math/big': {
    Word: n('uint'),
    nat: slice(n('Word')),
    Int: st(f('neg', n('bool')), f('abs', n('nat'))),
    Rat: st(f('a', n('Int')), f('b', n('Int'))),
    RoundingMode: n('byte'),
    Accuracy: n('int8'),
    form: n('byte'),
    Float: st(f('prec', n('uint32')), f('mode', n('RoundingMode')), f('acc', n('Accuracy')), f('form', n('form')),
      f('neg', n('bool')), f('mant', n('nat')), f('exp', n('int32'))),
  },
  bytes: {
    readOp: n('int8'),
    Buffer: st(f('buf', slice(n('byte'))), f('off', n('int')), f('lastRead', n('readOp'))),
    Reader: st(f('s', slice(n('byte'))), f('i', n('int64')), f('prevRune', n('int'))),
  },
  strings: {
    Builder: st(f('addr', ptr(n('Builder'))), f('buf', slice(n('byte')))),
    Reader: st(f('s', n('string')), f('i', n('int64')), f('prevRune', n('int'))),
  },
  net: {
    IP: slice(n('byte')),
    IPMask: slice(n('byte')),
    HardwareAddr: slice(n('byte')),
    IPNet: st(f('IP', n('IP')), f('Mask', n('IPMask'))),
    Addr: IFACE,
    Conn: IFACE,
    PacketConn: IFACE,
    Listener: IFACE,
    Error: IFACE,
  },
  'net/netip': {
    uint128: st(f('hi', n('uint64')), f('lo', n('uint64'))),
    Addr: st(f('addr', n('uint128')), f('z', ptr(n('addrDetail')))),
    AddrPort: st(f('ip', n('Addr')), f('port', n('uint16'))),
    Prefix: st(f('ip', n('Addr')), f('bits', n('int16'))),
  },
  'net/http': { Header: map(n('string'), slice(n('string'))), Handler: IFACE, HandlerFunc: FUNC, ResponseWriter: IFACE, RoundTripper: IFACE },
  'net/url': { Values: map(n('string'), slice(n('string'))) },
  'encoding/json': { RawMessage: slice(n('byte')), Number: n('string'), Marshaler: IFACE, Unmarshaler: IFACE },
  reflect: {
    Type: IFACE,
    Kind: n('uint'),
    flag: n('uintptr'),
    Value: st(f('typ', ptr(n('rtype'))), f('ptr', UNSAFE_PTR), emb(n('flag'))),
  },
  sort: { Interface: IFACE },
  hash: { Hash: IFACE, Hash32: IFACE, Hash64: IFACE },

  'go.uber.org/atomic': {
    nocmp: arr(0, FUNC),
    Bool: st(f('_', n('nocmp')), f('v', n('Uint32'))),
    Int32: st(f('_', n('nocmp')), f('v', n('int32'))),
    Int64: st(f('_', n('nocmp')), f('v', n('int64'))),
    Uint32: st(f('_', n('nocmp')), f('v', n('uint32'))),
    Uint64: st(f('_', n('nocmp')), f('v', n('uint64'))),
    Uintptr: st(f('_', n('nocmp')), f('v', n('uintptr'))),
    Float32: st(f('_', n('nocmp')), f('v', n('Uint32'))),
    Float64: st(f('_', n('nocmp')), f('v', n('Uint64'))),
    Duration: st(f('_', n('nocmp')), f('v', n('Int64'))),
    UnsafePointer: st(f('_', n('nocmp')), f('v', UNSAFE_PTR)),
    Value: st(f('_', n('nocmp')), emb(q(ATOMIC, 'Value'))),
    String: st(f('_', n('nocmp')), f('v', n('Value'))),
    Error: st(f('_', n('nocmp')), f('v', n('Value'))),
    Time: st(f('_', n('nocmp')), f('v', n('Value'))),
    Pointer: generic(['T'], st(f('_', n('nocmp')), f('p', q(ATOMIC, 'Pointer', tp('T'))))),
  },
};

/** Packages whose `align64` empty struct makes its container 8-aligned (gc's isAtomicStdPkg). */
export const ATOMIC_ALIGN64_PKGS: ReadonlySet<string> = new Set([
  'sync/atomic', 'runtime/internal/atomic', 'internal/runtime/atomic',
]);

/** Go's rule for standard-library import paths: no dot in the first path element. */
export function isStdPath(pkg: string): boolean {
  const first = pkg.split('/', 1)[0];
  return !first.includes('.') && pkg !== 'C';
}

/** The table's import paths and type names, sorted (for docs and tests). */
export function stdTypeNames(): string[] {
  return Object.entries(STD).flatMap(([pkg, types]) => Object.keys(types).map((t) => `${pkg}.${t}`)).sort();
}

class StdScope implements TypeResolver {
  constructor(readonly pkgPath: string, private readonly goMinor: number) {}

  resolveNamed(t: NamedRef): NamedDef | undefined {
    return t.k === 'qual' ? stdDef(t.pkg, t.name, this.goMinor) : stdDef(this.pkgPath, t.name, this.goMinor);
  }
}

const scopes = new Map<string, StdScope>();

function stdScope(pkg: string, goMinor: number): StdScope {
  const key = `${goMinor}|${pkg}`;
  let s = scopes.get(key);
  if (!s) scopes.set(key, (s = new StdScope(pkg, goMinor)));
  return s;
}

/** The table's definition of `pkg.name` in Go 1.`goMinor`, or undefined when goport doesn't know it. */
export function stdDef(pkg: string, name: string, goMinor: number): NamedDef | undefined {
  const types = Object.hasOwn(STD, pkg) ? STD[pkg] : undefined;
  const entry = types && Object.hasOwn(types, name) ? types[name] : undefined;
  const def = typeof entry === 'function' ? entry(goMinor) : entry;
  if (!def) return undefined;
  const scope = stdScope(pkg, goMinor);
  return 'k' in def ? { type: def, scope } : { type: def.type, scope, typeParams: def.typeParams };
}
