/**
 * Conformance of src/layout against the real Go compiler.
 *
 * A seeded generator writes ~200 struct types (basic types, arrays, nested and embedded structs,
 * strings, interfaces, pointers, slices, maps, zero-size fields, generics, aliases and std types held
 * by value: bytes.Buffer, tls.Config, http.Client, time.Timer, strings.Builder…) as Go source. goport
 * reads that source through the type layer (std from the installed GOROOT's source, one type-layer
 * group per platform) and lays the types out with src/layout/types.ts. One program prints, for every type, its size and alignment and every
 * field's offset, size and alignment (from reflect, and unsafe for promoted fields) as JSON; it is built
 * and run for GOARCH=386 and amd64 (a static 386 binary runs on x86-64 Linux). For arm and arm64, which
 * can't run here, goport's numbers become compile-time assertions (`[1]struct{}{}[unsafe.Sizeof(x)-N]`
 * fails to compile unless the size is exactly N) and the build must succeed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldFact, TypeExpr } from '../src/parser/facts.js';
import { rng } from './helpers/go-stress.js';
import { archLayout, selectField, sizeAlign, structLayout, type ArchLayout } from '../src/layout/index.js';
import { parseAll } from '../src/engine/parse-pool.js';
import { Workspace } from '../src/engine/workspace.js';
import { discover } from '../src/loader/discover.js';
import { Program } from '../src/model/program.js';
import { parsePlatforms, Targets } from '../src/platform/targets.js';
import { TypeLayer } from '../src/types/layer.js';
import type { PackageTypes } from '../src/types/package.js';
import { type Type, under } from '../src/types/types.js';

const run = promisify(execFile);

const goVersion = (() => {
  try {
    const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 30_000 });
    return r.status === 0 ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
})();
const goroot = goVersion === undefined ? undefined : spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8', timeout: 30_000 }).stdout?.trim();
const goMinor = Number(/go1\.(\d+)/.exec(goVersion ?? '')?.[1] ?? NaN);
const hasGo = goVersion !== undefined && Number.isInteger(goMinor) && goMinor >= 19;
if (!hasGo) console.warn('layout-go.test: skipped, needs `go` (1.19 or newer) on PATH');

// --- deterministic generator ----------------------------------------------------------------------


const n = (name: string, ...args: TypeExpr[]): TypeExpr => (args.length ? { k: 'name', name, args } : { k: 'name', name });
const q = (pkg: string, name: string, ...args: TypeExpr[]): TypeExpr =>
  args.length ? { k: 'qual', pkg, name, args } : { k: 'qual', pkg, name };
const tp = (name: string): TypeExpr => ({ k: 'tparam', name });
const fld = (name: string, type: TypeExpr, embedded = false): FieldFact => ({ name, type, embedded, span: [1, 1, 1, 1] });
const st = (...fields: FieldFact[]): TypeExpr => ({ k: 'struct', fields });

const IMPORT_NAME: Record<string, string> = {
  sync: 'sync', 'sync/atomic': 'atomic', time: 'time', context: 'context', 'math/big': 'big', bytes: 'bytes',
  strings: 'strings', net: 'net', 'net/netip': 'netip', reflect: 'reflect', os: 'os', io: 'io', unsafe: 'unsafe',
  bufio: 'bufio', 'crypto/tls': 'tls', 'net/http': 'http', 'encoding/json': 'json', 'os/exec': 'exec',
  'crypto/sha256': 'sha256', 'hash/crc32': 'crc32', 'compress/gzip': 'gzip', regexp: 'regexp', 'text/template': 'template',
  'container/list': 'list', 'math/rand': 'rand', 'log': 'log', 'flag': 'flag',
};

const BASIC = ['bool', 'int8', 'uint8', 'byte', 'int16', 'uint16', 'int32', 'rune', 'uint32', 'float32', 'int64',
  'uint64', 'float64', 'complex64', 'complex128', 'int', 'uint', 'uintptr', 'string', 'error', 'any'];
const COMPARABLE = ['string', 'int', 'int64', 'bool', 'uint8', 'int32'];
const STD: [string, string][] = [
  ['sync', 'Mutex'], ['sync', 'RWMutex'], ['sync', 'WaitGroup'], ['sync', 'Once'], ['sync', 'Map'], ['sync', 'Pool'],
  ['sync', 'Cond'], ['sync/atomic', 'Value'], ['sync/atomic', 'Int64'], ['sync/atomic', 'Uint64'],
  ['sync/atomic', 'Int32'], ['sync/atomic', 'Bool'], ['sync/atomic', 'Uintptr'], ['time', 'Time'],
  ['time', 'Duration'], ['time', 'Location'], ['context', 'Context'], ['math/big', 'Int'], ['math/big', 'Float'],
  ['math/big', 'Rat'], ['bytes', 'Buffer'], ['bytes', 'Reader'], ['strings', 'Builder'], ['strings', 'Reader'],
  ['net', 'IP'], ['net', 'IPNet'], ['net/netip', 'Addr'], ['net/netip', 'Prefix'], ['net/netip', 'AddrPort'],
  ['reflect', 'Value'], ['os', 'File'], ['io', 'Reader'],
  // held by value: std types the hand-written table never had
  ['bufio', 'Reader'], ['bufio', 'Writer'], ['crypto/tls', 'Config'], ['net/http', 'Client'], ['net/http', 'Server'],
  ['net/http', 'Transport'], ['net/http', 'Request'], ['time', 'Timer'], ['time', 'Ticker'], ['encoding/json', 'Decoder'],
  ['os/exec', 'Cmd'], ['regexp', 'Regexp'], ['text/template', 'Template'], ['container/list', 'List'],
  ['math/rand', 'Rand'], ['log', 'Logger'], ['flag', 'FlagSet'], ['net', 'TCPAddr'], ['net', 'Dialer'],
  ['compress/gzip', 'Writer'], ['sync', 'Map'],
];
const EMBEDDABLE_STD: [string, string][] = [['sync', 'Mutex'], ['time', 'Time'], ['sync/atomic', 'Int64'], ['strings', 'Builder'],
  ['bytes', 'Buffer'], ['crypto/tls', 'Config'], ['net/http', 'Client']];

interface Generated {
  /** Go source of the type declarations (in declaration order). */
  decls: string[];
  consts: string[];
  /** Names of the non-generic types to check. */
  checked: string[];
  imports: Set<string>;
}

function generate(seed: number, count: number): Generated {
  const rnd = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const src: string[] = [];
  const imports = new Set<string>();
  const checked: string[] = [];
  const helpers: string[] = []; // named struct types usable by value
  let uniq = 0;

  const constSrc = ['const K0 = 3', 'const K1 = K0 + 2'];

  const useStd = (pkg: string, name: string, ...args: TypeExpr[]) => {
    imports.add(pkg);
    return q(pkg, name, ...args);
  };

  const basic = () => n(pick(BASIC));
  const zeroSize = (): TypeExpr => pick<() => TypeExpr>([
    () => st(), () => ({ k: 'array', len: 0, elem: n('int64') }), () => ({ k: 'array', len: 0, elem: n('string') }),
    () => ({ k: 'array', len: 3, elem: st() }),
  ])();
  const stdType = (): TypeExpr => {
    if (chance(0.08)) return useStd('sync/atomic', 'Pointer', n(helpers.length ? pick(helpers) : 'int'));
    const [p, name] = pick(STD);
    return useStd(p, name);
  };
  const declared = (): TypeExpr => {
    const r = rnd();
    if (r < 0.5 && helpers.length) return n(pick(helpers));
    if (r < 0.6) return n(pick(['D0', 'D1', 'D3', 'D4']));
    if (r < 0.7) return n(pick(['A0', 'A1', 'A2']));
    if (r < 0.8) return n('G0', leaf());
    if (r < 0.9) return n('G1', n(pick(COMPARABLE)), leaf());
    return n('G2', leaf());
  };
  const leaf = (): TypeExpr => (chance(0.7) ? basic() : chance(0.5) && helpers.length ? n(pick(helpers)) : stdType());

  function type(depth: number): TypeExpr {
    const r = rnd();
    if (r < 0.3) return basic();
    if (r < 0.4) return stdType();
    if (r < 0.55) return declared();
    if (r < 0.6) return { k: 'ptr', elem: chance(0.5) ? n(`T${Math.floor(rnd() * count)}`) : type(depth + 1) };
    if (r < 0.65) return { k: 'slice', elem: type(depth + 1) };
    if (r < 0.68) return { k: 'map', key: n(pick(COMPARABLE)), value: type(depth + 1) };
    if (r < 0.7) return { k: 'chan', elem: basic() };
    if (r < 0.72) return { k: 'func' };
    if (r < 0.75) return { k: 'iface', methods: chance(0.5) ? ['M'] : [], embeds: [] };
    if (r < 0.77) return useStd('unsafe', 'Pointer');
    if (r < 0.85 && depth < 3) return { k: 'array', len: Math.floor(rnd() * 5), elem: type(depth + 1) };
    if (r < 0.93 && depth < 2) {
      const fields: FieldFact[] = [];
      const k = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < k; i++) fields.push(fld(`s${uniq++}`, type(depth + 1)));
      return st(...fields);
    }
    return zeroSize();
  }

  const add = (name: string, _d: unknown, goSrc: string, check = true) => {
    src.push(goSrc);
    if (check) checked.push(name);
  };

  // Generic declarations, aliases and defined non-struct types.
  add('G0', { type: st(fld('g0a', tp('T')), fld('g0b', n('int8'))), typeParams: ['T'] },
    'type G0[T any] struct {\n\tg0a T\n\tg0b int8\n}', false);
  add('G1', { type: st(fld('g1k', tp('K')), fld('g1v', { k: 'array', len: 2, elem: tp('V') }), fld('g1z', st())), typeParams: ['K', 'V'] },
    'type G1[K comparable, V any] struct {\n\tg1k K\n\tg1v [2]V\n\tg1z struct{}\n}', false);
  add('G2', { type: st(fld('g2p', { k: 'ptr', elem: tp('T') }), fld('g2t', tp('T')), fld('g2s', { k: 'slice', elem: tp('T') })), typeParams: ['T'] },
    'type G2[T any] struct {\n\tg2p *T\n\tg2t T\n\tg2s []T\n}', false);

  // Helper structs N0..N24 with globally unique field names; later ones embed earlier ones.
  for (let i = 0; i < 25; i++) {
    const name = `N${i}`;
    const fields: FieldFact[] = [];
    const k = 1 + Math.floor(rnd() * 5);
    for (let j = 0; j < k; j++) {
      const fname = `n${i}x${j}`;
      fields.push(fld(fname, chance(0.15) ? zeroSize() : chance(0.6) ? basic() : type(1)));
    }
    if (helpers.length && chance(0.5)) {
      const emb = pick(helpers);
      if (!fields.some((f) => f.name === emb)) {
        const byPtr = chance(0.3);
        fields.splice(Math.floor(rnd() * (fields.length + 1)), 0, fld(emb, byPtr ? { k: 'ptr', elem: n(emb) } : n(emb), true));
      }
    }
    if (chance(0.2)) fields.push(fld(`n${i}z`, zeroSize()));
    add(name, st(...fields), `type ${name} ${goText(st(...fields))}`);
    helpers.push(name);
  }
  add('A0', n('N2'), 'type A0 = N2');
  add('A1', { k: 'array', len: 3, elem: n('int16') }, 'type A1 = [3]int16');
  add('A2', n('G0', n('uint16')), 'type A2 = G0[uint16]');
  add('D0', n('int64'), 'type D0 int64');
  add('D1', { k: 'array', len: 2, elem: n('D0') }, 'type D1 [2]D0');
  add('D2', n('N5'), 'type D2 N5');
  add('D3', n('complex128'), 'type D3 complex128');
  add('D4', { k: 'array', len: 'K1 * 2', elem: n('int16') }, 'type D4 [K1 * 2]int16');

  // The checked structs.
  for (let i = 0; i < count; i++) {
    const name = `T${i}`;
    const fields: FieldFact[] = [];
    const used = new Set<string>();
    const k = 1 + Math.floor(rnd() * 8);
    for (let j = 0; j < k; j++) {
      if (chance(0.15)) {
        // an embedded field
        const r = rnd();
        let t: TypeExpr;
        if (r < 0.55) t = n(pick([...helpers, 'D2', 'A0']));
        else if (r < 0.7) t = { k: 'ptr', elem: n(pick(helpers)) };
        else if (r < 0.8) t = n('G0', basic());
        else { const [p, s] = pick(EMBEDDABLE_STD); t = useStd(p, s); }
        const base = t.k === 'ptr' ? t.elem : t;
        const fname = base.k === 'name' || base.k === 'qual' ? base.name : '?';
        if (used.has(fname)) continue;
        used.add(fname);
        fields.push(fld(fname, t, true));
        continue;
      }
      const fname = chance(0.05) ? '_' : `t${i}f${j}`;
      fields.push(fld(fname, chance(0.1) ? zeroSize() : type(0)));
    }
    if (chance(0.15)) fields.push(fld(`t${i}z`, zeroSize()));
    add(name, st(...fields), `type ${name} ${goText(st(...fields))}`);
  }
  return { decls: src, consts: constSrc, checked, imports };
}

/** Go source text of a TypeExpr. */
function goText(t: TypeExpr): string {
  const args = (a?: TypeExpr[]) => (a?.length ? `[${a.map(goText).join(', ')}]` : '');
  switch (t.k) {
    case 'name': return t.name + args(t.args);
    case 'qual': return `${IMPORT_NAME[t.pkg]}.${t.name}${args(t.args)}`;
    case 'tparam': return t.name;
    case 'ptr': return `*${goText(t.elem)}`;
    case 'slice': return `[]${goText(t.elem)}`;
    case 'array': return `[${t.len}]${goText(t.elem)}`;
    case 'map': return `map[${goText(t.key)}]${goText(t.value)}`;
    case 'chan': return `chan ${goText(t.elem)}`;
    case 'func': return 'func()';
    case 'iface': return t.methods.length ? `interface{ ${t.methods.map((m) => `${m}()`).join('; ')} }` : 'interface{}';
    case 'struct':
      if (t.fields.length === 0) return 'struct{}';
      return `struct {\n${t.fields.map((f) => `\t${f.embedded ? '' : `${f.name} `}${goText(f.type)}`).join('\n')}\n}`;
    default: throw new Error(`goText: ${t.k}`);
  }
}

// --- the Go program -------------------------------------------------------------------------------

interface Probe {
  type: string;
  /** Promoted field names to check with unsafe.Offsetof. */
  paths: string[];
}

/** The types goport read, per GOARCH. */
type Types = Map<string, PackageTypes>;

function named(pt: PackageTypes, name: string): Type | undefined {
  const o = pt.lookup(name);
  return o?.k === 'typename' ? o.type : undefined;
}

/** Layout of a checked type as goport computes it: size, align, and per field name, offset, size, align. */
function ours(pt: PackageTypes, name: string, arch: ArchLayout) {
  const t = named(pt, name);
  const u = under(t);
  const l = sizeAlign(t, arch);
  if (!l) return undefined;
  const sl = u?.k === 'struct' ? structLayout(u, arch)! : undefined;
  return {
    size: l.size, align: l.align,
    fields: u?.k === 'struct' ? u.fields.map((f, i) => ({ name: f.name, offset: sl!.offsets[i]!, ...sizeAlign(f.type, arch)! })) : [],
    /** Offset of a promoted field, when selecting it goes through no pointer. */
    promoted: (p: string) => {
      const steps = selectField(t, p, 'layoutconf', arch);
      if (!steps || steps.some((s) => s.deref)) return undefined;
      return steps.reduce((o, s) => o + s.offset, 0);
    },
  };
}

function probes(g: Generated, pt: PackageTypes, arch: ArchLayout): Probe[] {
  // Promoted fields: names of this package's embedded structs that goport resolves without going
  // through a pointer (unsafe.Offsetof rejects selectors through embedded pointers, and ambiguous ones;
  // other packages' unexported fields can't be named).
  return g.checked.map((type) => {
    const own = new Set(ours(pt, type, arch)?.fields.map((f) => f.name));
    const cands = new Set<string>();
    const visit = (t: Type | undefined, depth: number) => {
      const u = under(t);
      if (t?.k !== 'named' || t.obj.pkg !== 'layoutconf' || u?.k !== 'struct') return;
      for (const f of u.fields) {
        if (f.name !== '_' && !own.has(f.name) && depth > 0) cands.add(f.name);
        if (f.embedded && depth < 4) visit(f.type.k === 'pointer' ? f.type.elem : f.type, depth + 1);
      }
    };
    visit(named(pt, type), 0);
    const o = ours(pt, type, arch);
    const paths = [...cands].filter((p) => o?.promoted(p) !== undefined);
    return { type, paths };
  });
}

const importBlock = (imports: Iterable<string>) =>
  `import (\n${[...imports].sort().map((p) => `\t${IMPORT_NAME[p] && IMPORT_NAME[p] !== p.split('/').pop() ? `${IMPORT_NAME[p]} ` : ''}"${p}"`).join('\n')}\n)`;

/** The generated declarations: what goport reads. */
function typesFile(g: Generated): string {
  return [
    'package main', '', importBlock(g.imports), '',
    ...g.consts, '',
    ...g.decls.map((d) => d + '\n'),
    ...g.checked.map((t) => `var x_${t} ${t}`), '',
  ].join('\n');
}

function mainProgram(pr: Probe[]): string {
  const lines = [
    'package main', '', importBlock(['encoding/json', 'os', 'reflect', 'unsafe']), '',
    'type fieldRec struct {\n\tName string\n\tOffset, Size, Align uintptr\n}',
    'type rec struct {\n\tName string\n\tSize, Align, RSize, RAlign uintptr\n\tFields []fieldRec\n\tPaths map[string]uintptr\n}',
    'func fields(t reflect.Type) []fieldRec {',
    '\tif t.Kind() != reflect.Struct {\n\t\treturn nil\n\t}',
    '\tvar out []fieldRec',
    '\tfor i := 0; i < t.NumField(); i++ {',
    '\t\tf := t.Field(i)',
    '\t\tout = append(out, fieldRec{f.Name, f.Offset, f.Type.Size(), uintptr(f.Type.Align())})',
    '\t}',
    '\treturn out',
    '}', '',
    'func main() {',
    '\tout := []rec{',
    ...pr.map(({ type, paths }) => {
      const x = `x_${type}`;
      const ps = paths.map((p) => `${JSON.stringify(p)}: unsafe.Offsetof(${x}.${p})`).join(', ');
      return `\t\t{${JSON.stringify(type)}, unsafe.Sizeof(${x}), unsafe.Alignof(${x}), reflect.TypeOf(${x}).Size(), ` +
        `uintptr(reflect.TypeOf(${x}).Align()), fields(reflect.TypeOf(${x})), map[string]uintptr{${ps}}},`;
    }),
    '\t}',
    '\tif err := json.NewEncoder(os.Stdout).Encode(out); err != nil {\n\t\tpanic(err)\n\t}',
    '}',
  ];
  return lines.join('\n') + '\n';
}

/** Compile-time assertions of goport's numbers for `arch`; returns the file and a label per line. */
function assertions(pt: PackageTypes, pr: Probe[], arch: ArchLayout): { text: string; labels: Map<number, string> } {
  const lines = [`//go:build ${arch.goarch}`, '', 'package main', '', 'import "unsafe"', ''];
  const labels = new Map<number, string>();
  const claim = (expr: string, want: number, label: string) => {
    lines.push(`var _ = [1]struct{}{}[${expr}-${want}]`);
    labels.set(lines.length, label);
  };
  let count = 0;
  for (const { type, paths } of pr) {
    const l = ours(pt, type, arch);
    if (!l) continue;
    const x = `x_${type}`;
    claim(`unsafe.Sizeof(${x})`, l.size, `${type} size ${l.size}`);
    claim(`unsafe.Alignof(${x})`, l.align, `${type} align ${l.align}`);
    for (const f of l.fields ?? []) {
      if (f.name === '_') continue;
      claim(`unsafe.Offsetof(${x}.${f.name})`, f.offset, `${type}.${f.name} offset ${f.offset}`);
      claim(`unsafe.Sizeof(${x}.${f.name})`, f.size, `${type}.${f.name} size ${f.size}`);
      claim(`unsafe.Alignof(${x}.${f.name})`, f.align, `${type}.${f.name} align ${f.align}`);
      count++;
    }
    for (const p of paths) {
      const off = l.promoted(p)!;
      claim(`unsafe.Offsetof(${x}.${p})`, off, `${type}.${p} (promoted) offset ${off}`);
    }
  }
  return { text: lines.join('\n') + '\n', labels };
}

// --- the test -------------------------------------------------------------------------------------

interface GoRec {
  Name: string; Size: number; Align: number; RSize: number; RAlign: number;
  Fields: { Name: string; Offset: number; Size: number; Align: number }[] | null;
  Paths: Record<string, number>;
}

const SEED = 0x60b0;
const COUNT = 200;
const RUN_ARCHES = ['386', 'amd64'];
const ASSERT_ARCHES = ['arm', 'arm64'];

describe('layout conformance with the Go compiler', () => {
  let dir = '';
  const g = generate(SEED, COUNT);
  const results = new Map<string, { out?: GoRec[]; error?: string }>();
  const types: Types = new Map();
  /** The generated package through the type layer, std from GOROOT's source, on linux/GOARCH for each GOARCH. */
  const loadTypes = async (d: string) => {
    const arches = [...RUN_ARCHES, ...ASSERT_ARCHES];
    const targets = new Targets(parsePlatforms(arches.map((a) => `linux/${a}`)));
    const found = await discover(['.'], { cwd: d, vendor: false });
    const program = new Program({ cwd: d, targets, build: { cgo: false, tags: [], goMinor, archEnv: {} }, tests: false });
    for (const p of found.packages) program.loadDir(p);
    await parseAll(program.packages.flatMap((p) => p.files.map((f) => f.file)), { jobs: 1 });
    const layer = new TypeLayer(new Workspace(program), goroot ? { goroot } : {});
    await layer.check(program.packages, async (files) => {
      await parseAll(files, { jobs: 1 });
    });
    for (const a of arches) types.set(a, layer.typesOn(program.packages[0]!, targets.bit(`linux/${a}`))!);
  };
  const env: NodeJS.ProcessEnv = { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOFLAGS: '', GOTOOLCHAIN: 'local', GOPROXY: 'off', GO111MODULE: 'on' };
  // Go's shared build cache makes rebuilds fast; without a home for it, keep one under the temp dir.
  if (!env.GOCACHE && !env.XDG_CACHE_HOME && !env.HOME) env.GOCACHE = join(tmpdir(), 'goport-layout-gocache');

  beforeAll(async () => {
    if (!hasGo) return;
    dir = mkdtempSync(join(tmpdir(), 'goport-layout-'));
    writeFileSync(join(dir, 'go.mod'), `module layoutconf\n\ngo 1.${goMinor}\n`);
    writeFileSync(join(dir, 'types.go'), typesFile(g));
    await loadTypes(dir);
    const pr = probes(g, types.get('amd64')!, archLayout('amd64', goMinor));
    writeFileSync(join(dir, 'main.go'), mainProgram(pr));
    const labels = new Map<string, Map<number, string>>();
    for (const a of ASSERT_ARCHES) {
      const pt = types.get(a)!;
      const as = assertions(pt, probes(g, pt, archLayout(a, goMinor)), archLayout(a, goMinor));
      writeFileSync(join(dir, `assert_${a}.go`), as.text);
      labels.set(a, as.labels);
    }
    await Promise.all([
      ...RUN_ARCHES.map(async (a) => {
        const bin = join(dir, `prog-${a}`);
        try {
          await run('go', ['build', '-o', bin, '.'], { cwd: dir, env: { ...env, GOARCH: a }, timeout: 300_000 });
          const { stdout } = await run(bin, [], { cwd: dir, timeout: 60_000, maxBuffer: 64 << 20 });
          results.set(a, { out: JSON.parse(stdout) as GoRec[] });
        } catch (err) {
          results.set(a, { error: String((err as { stderr?: string }).stderr || err) });
        }
      }),
      ...ASSERT_ARCHES.map(async (a) => {
        try {
          await run('go', ['build', '-gcflags=-e', '-o', join(dir, `prog-${a}`), '.'], { cwd: dir, env: { ...env, GOARCH: a }, timeout: 300_000 });
          results.set(a, {});
        } catch (err) {
          const stderr = String((err as { stderr?: string }).stderr ?? err);
          const failed = [...stderr.matchAll(new RegExp(`assert_${a}\\.go:(\\d+):`, 'g'))]
            .map((m) => labels.get(a)?.get(Number(m[1])) ?? `line ${m[1]}`);
          results.set(a, { error: failed.length ? `goport disagrees with gc on: ${[...new Set(failed)].join('; ')}` : stderr });
        }
      }),
    ]);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates enough cases', () => {
    expect(g.checked.length).toBeGreaterThanOrEqual(COUNT);
    if (!hasGo) return;
    for (const a of [...RUN_ARCHES, ...ASSERT_ARCHES]) {
      const known = g.checked.filter((t) => ours(types.get(a)!, t, archLayout(a, goMinor)) !== undefined);
      expect(known).toEqual(g.checked); // everything generated is known to goport
    }
  });

  it.skipIf(!hasGo).each(RUN_ARCHES)('matches the layouts of a GOARCH=%s binary', (a) => {
    const r = results.get(a);
    expect(r?.error).toBeUndefined();
    const arch = archLayout(a, goMinor);
    const mismatches: string[] = [];
    let fields = 0;
    let paths = 0;
    for (const rec of r!.out!) {
      const l = ours(types.get(a)!, rec.Name, arch);
      if (!l) {
        mismatches.push(`${rec.Name}: unknown to goport`);
        continue;
      }
      if (rec.Size !== rec.RSize || rec.Align !== rec.RAlign) mismatches.push(`${rec.Name}: unsafe and reflect disagree`);
      if (l.size !== rec.Size || l.align !== rec.Align) {
        mismatches.push(`${rec.Name}: size/align goport ${l.size}/${l.align}, gc ${rec.Size}/${rec.Align}`);
      }
      const gf = rec.Fields ?? [];
      if ((l.fields?.length ?? 0) !== gf.length) mismatches.push(`${rec.Name}: ${l.fields?.length} fields, gc ${gf.length}`);
      gf.forEach((f, i) => {
        const o = l.fields?.[i];
        fields++;
        if (!o || o.name !== f.Name || o.offset !== f.Offset || o.size !== f.Size || o.align !== f.Align) {
          mismatches.push(`${rec.Name}.${f.Name}: goport ${o ? `${o.name}@${o.offset} ${o.size}/${o.align}` : '-'}, gc @${f.Offset} ${f.Size}/${f.Align}`);
        }
      });
      for (const [p, off] of Object.entries(rec.Paths)) {
        paths++;
        const mine = l.promoted(p);
        if (mine !== off) mismatches.push(`${rec.Name}.${p}: promoted offset goport ${mine}, gc ${off}`);
      }
    }
    console.info(`layout-go ${goVersion} GOARCH=${a}: ${r!.out!.length} types, ${fields} fields, ${paths} promoted fields compared, ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
    expect(r!.out!.length).toBe(g.checked.length);
  });

  it.skipIf(!hasGo).each(ASSERT_ARCHES)('agrees with gc\'s unsafe.Sizeof/Alignof/Offsetof for GOARCH=%s', (a) => {
    const r = results.get(a);
    expect(r?.error).toBeUndefined();
    console.info(`layout-go ${goVersion} GOARCH=${a}: compile-time assertions hold`);
  });
});
