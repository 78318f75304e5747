/**
 * endianness: native-endian reinterpretation of memory that gives other answers on big-endian
 * targets (s390x, ppc64, mips, mips64): unsafe.Pointer conversions between bytes and multi-byte
 * integers or floats, and the mirror image, binary.LittleEndian applied to data that is host-order
 * by definition (netlink messages, ioctl buffers, raw unix structures), where binary.NativeEndian
 * is meant.
 *
 * Reported only on the big-endian targets where the file compiles, and only when both types are
 * certain. Conversions in host-order code (netlink, ioctl, x/sys) and byte-order probes are meant to
 * be native and stay silent.
 */
import { defineRule } from '../src/engine/define-rule.js';
import type { QualRefFact, Span, TypeExpr } from '../src/parser/facts.js';
import { spanWithin } from '../src/parser/extractors/string-literals.js';
import type { FuncSpanFact, UnsafeCastFact } from '../src/parser/extractors/unsafe-casts.js';
import { type BuildOptions, buildContext, fileNameTags, matchTag } from '../src/constraints/context.js';
import { evalExpr } from '../src/constraints/expr.js';
import { goMinorOf } from '../src/loader/gomod.js';
import type { SourceFile } from '../src/model/program.js';
import { BIG_ENDIAN, DIST_LIST } from '../src/platform/known.js';
import type { SymbolTable } from '../src/symbols/table.js';

type Msg = 'readsNative' | 'exposesNative' | 'littleEndianHostData';

/** What a type is made of, as far as byte order goes. */
type Shape =
  | { k: 'byte' }
  /** A multi-byte number: size in bytes, or 'word' for int/uint/uintptr. */
  | { k: 'num'; size: number | 'word'; name: string }
  | { k: 'seq'; elem: Shape }
  | { k: 'other' };

const PREDECLARED_SHAPES: Readonly<Record<string, Shape>> = {
  byte: { k: 'byte' }, uint8: { k: 'byte' }, int8: { k: 'byte' },
  int16: { k: 'num', size: 2, name: 'int16' }, uint16: { k: 'num', size: 2, name: 'uint16' },
  int32: { k: 'num', size: 4, name: 'int32' }, uint32: { k: 'num', size: 4, name: 'uint32' }, rune: { k: 'num', size: 4, name: 'rune' },
  float32: { k: 'num', size: 4, name: 'float32' },
  int64: { k: 'num', size: 8, name: 'int64' }, uint64: { k: 'num', size: 8, name: 'uint64' }, float64: { k: 'num', size: 8, name: 'float64' },
  complex64: { k: 'num', size: 8, name: 'complex64' }, complex128: { k: 'num', size: 16, name: 'complex128' },
  int: { k: 'num', size: 'word', name: 'int' }, uint: { k: 'num', size: 'word', name: 'uint' }, uintptr: { k: 'num', size: 'word', name: 'uintptr' },
};

/** The shape of a type, following the package's own named types; undefined when not certain. */
function shapeOf(t: TypeExpr | undefined, table: SymbolTable, depth = 0): Shape | undefined {
  if (!t || depth > 8) return undefined;
  switch (t.k) {
    case 'name': {
      const decls = table.types.get(t.name);
      if (!decls) return PREDECLARED_SHAPES[t.name] ?? { k: 'other' };
      // A named type of the package: its underlying shape, when every declaration agrees.
      const shapes = decls.map((d) => shapeOf(d.type, table, depth + 1));
      const first = shapes[0];
      if (!first || shapes.some((s) => !s || JSON.stringify(s) !== JSON.stringify(first))) return undefined;
      return first.k === 'num' ? { ...first, name: t.name } : first;
    }
    case 'array':
    case 'slice': {
      const e = shapeOf(t.elem, table, depth + 1);
      return e ? { k: 'seq', elem: e } : undefined;
    }
    case 'qual':
      return undefined;
    case 'unknown':
    case 'tparam':
      return undefined;
    default:
      return { k: 'other' };
  }
}

/** The scalar a shape is made of (through arrays and slices). */
const scalar = (s: Shape): Shape => (s.k === 'seq' ? scalar(s.elem) : s);

/** An import path with a `netlink` element: github.com/vishvananda/netlink/nl, github.com/mdlayher/netlink. */
const NETLINK_PATH = /(?:^|\/)netlink(?:\/|$)/;
/**
 * An import path with a `fuse` element: github.com/hanwen/go-fuse/v2/fuse, bazil.org/fuse,
 * github.com/jacobsa/fuse. The FUSE kernel protocol (/dev/fuse) is in host byte order, as netlink is.
 */
const FUSE_PATH = /(?:^|\/)fuse(?:\/|$)/;
const SYS_PKGS = new Set(['syscall', 'golang.org/x/sys/unix']);

/**
 * Names of syscall and golang.org/x/sys/unix whose use makes a function's memory host-order by
 * definition: the kernel fills or reads it in native byte order. Extend it here; the doc lists it.
 */
export const HOST_ORDER_SOURCES: readonly {
  kind: string;
  name: RegExp;
  /**
   * The names of `name` that make binary.LittleEndian in the function wrong, when not all do
   * (undefined: all; null: none). Socket control message helpers (`UnixRights`,
   * `ParseUnixRights`) encode and decode the control message themselves: what else the function
   * encodes is its payload, in its protocol's order; only code that lays out a control message
   * by hand (`Cmsghdr`, `CmsgLen`) writes host-order data. A mapping holds a file's bytes in the
   * file's format: mmap silences native reads, it does not make binary.LittleEndian wrong.
   */
  littleEndian?: RegExp | null;
}[] = [
  {
    kind: 'netlink',
    name: /^(?:NLMSG_|NLM_F_|NETLINK_|RTM_|RTA_|RTNLGRP_|IFLA_|IFA_|NDA_|NLA_|NFNL|NFT_|NFQA_|CTA_|TCA_|GENL|CTRL_|Sizeof(?:Nl|Rt|If|Genl)|Nl[A-Z]|Rt[A-Z]|IfInfomsg|IfAddrmsg|Genlmsghdr|NetlinkMessage|NetlinkRouteAttr|ParseNetlink|SockaddrNetlink)/,
  },
  { kind: 'ioctl', name: /^(?:SYS_IOCTL$|Ioctl)/ },
  { kind: 'sysctl', name: /^(?:Sysctl|SYS___SYSCTL$|SYS_SYSCTL$)/ },
  {
    kind: 'socket control message',
    name: /^(?:Cmsghdr$|CmsgLen$|CmsgSpace$|ParseSocketControlMessage$|ParseUnixRights$|UnixRights$|SizeofCmsghdr$|SCM_)/,
    littleEndian: /^(?:Cmsghdr$|CmsgLen$|CmsgSpace$|SizeofCmsghdr$)/,
  },
  { kind: 'mmap', name: /^(?:Mmap$|SYS_MMAP2?$)/, littleEndian: null },
  { kind: 'perf event', name: /^(?:PerfEvent|PERF_)/ },
  { kind: 'bpf', name: /^(?:SYS_BPF$|BPF_)/ },
];

/**
 * Why a function's data is host-order by definition, or undefined: the first source of the table it
 * uses. `forLittleEndian`: only the sources that make binary.LittleEndian in it wrong.
 */
function hostOrderReason(refs: { pkg: string; name: string }[], forLittleEndian = false): string | undefined {
  if (refs.some((r) => NETLINK_PATH.test(r.pkg))) return 'netlink';
  const sys = refs.filter((r) => SYS_PKGS.has(r.pkg));
  const src = HOST_ORDER_SOURCES.find((h) => {
    const names = forLittleEndian && h.littleEndian !== undefined ? h.littleEndian : h.name;
    return names !== null && sys.some((r) => names.test(r.name));
  });
  if (src) return src.kind;
  const unixType = sys.some((r) => /^[A-Z][a-z]/.test(r.name) && !/^(?:Syscall|RawSyscall|Errno|Signal|Getpagesize)/.test(r.name));
  return unixType && refs.some((r) => r.pkg === 'unsafe' && r.name === 'Sizeof') ? 'raw system structure' : undefined;
}

/** Whether the file compiles, on some port of `go tool dist list`, for both byte orders. */
function compiledForBothOrders(file: SourceFile, build: BuildOptions): boolean {
  const nameTags = fileNameTags(file.name, build.goMinor);
  let big = false;
  let little = false;
  for (const id of DIST_LIST) {
    const [goos, goarch] = id.split('/') as [string, string];
    const ctx = buildContext({ goos, goarch, id }, { ...build, cgo: true });
    if (!nameTags.every((t) => matchTag(ctx, t))) continue;
    if (file.header.constraint && !evalExpr(file.header.constraint, (t) => matchTag(ctx, t))) continue;
    if (BIG_ENDIAN.has(goarch)) big = true;
    else little = true;
    if (big && little) return true;
  }
  return false;
}

export default defineRule<Msg>({
  meta: {
    id: 'endianness',
    title: 'memory reinterpreted in native byte order',
    category: 'correctness',
    severity: 'warning',
    since: '0.1.0',
    messages: {
      readsNative: '{expr} reads {from} memory as {to} in native byte order; the value differs on big-endian targets',
      exposesNative: '{expr} exposes the bytes of a {from} in native byte order; they differ on big-endian targets',
      littleEndianHostData: 'binary.LittleEndian used on {kind} data, which is in host byte order; use binary.NativeEndian',
    },
  },
  check(ctx) {
    const { pkg, targets } = ctx;
    const bigEndian = targets.maskOf((p) => BIG_ENDIAN.has(p.goarch));
    if (bigEndian === 0n) return;
    const path = (pkg.importPath ?? pkg.dir.pkgDir.relDir).replace(/^.*\/vendor\//, '');
    // Code whose memory is host-order by definition: native reinterpretation is what it means.
    const hostPackage = NETLINK_PATH.test(path) ? 'netlink' : FUSE_PATH.test(path) ? 'FUSE' : undefined;
    const sysPackage = path === 'syscall' || path.startsWith('golang.org/x/sys/');
    let table: SymbolTable | undefined;
    // binary.NativeEndian exists from Go 1.21: offered as a fix only where the module requires that.
    const nativeEndian = (goMinorOf(pkg.dir.pkgDir.module?.goMod.go ?? null) ?? 0) >= 21;

    for (const { file, mask } of pkg.files) {
      const facts = file.facts;
      const uc = facts?.extra.unsafeCasts;
      if (!facts || !uc || !ctx.reportsOn(file)) continue;
      const live = mask & bigEndian;
      if (live === 0n) {
        ctx.skip('no-big-endian-target', uc.casts.length);
        continue;
      }
      const littleEndian = facts.qualRefs.some((q) => q.pkg === 'encoding/binary' && q.name === 'LittleEndian');
      if (uc.casts.length === 0 && !littleEndian) continue;
      const byFunc = refsByFunc(uc.funcs, facts.qualRefs);
      const funcInfo = uc.funcs.map((f, i) => {
        const refs = byFunc[i]!;
        const order = (name: string) => refs.some((r) => r.pkg === 'encoding/binary' && r.name === name);
        return {
          refs,
          /** Host-order data known from what the function itself uses. */
          host: hostOrderReason(refs),
          /** The same, of the sources that make binary.LittleEndian in it wrong. */
          hostForLittleEndian: hostOrderReason(refs, true),
          /**
           * A byte-order probe or converter (`nativeEndian()`, `htons`), or a method of a type named
           * for a byte order (`func (nativeEndian) Uint32(b []byte) uint32`): native reads are its point.
           */
          probe:
            /endian|byte_?order|(?:native|host)_?order|^(?:hton|ntoh)[sl]$/i.test(f.name.replace(/^.*\./, '')) ||
            (f.name.includes('.') && /endian|byte_?order|(?:native|host)_?order/i.test(f.name.slice(0, f.name.lastIndexOf('.')))),
          /** It spells a byte order itself: it converts between orders on purpose. */
          ordered: order('BigEndian') || order('LittleEndian') || order('NativeEndian'),
          choosesOrder: order('BigEndian') || order('NativeEndian'),
        };
      });
      const fileNetlink = facts.imports.some((i) => NETLINK_PATH.test(i.path)) ? 'netlink' : undefined;
      /** `binary.LittleEndian.Uint32(…)`/`PutUint32` (byte-slice codecs), told by the selection right after the name. */
      const sliceCodec = (r: { span: Span }) =>
        facts.selectors.some(
          (s) => s.root.k === 'qualGlobal' && s.root.pkg === 'encoding/binary' && s.root.name === 'LittleEndian' &&
            s.spans[0]![0] === r.span[2] && s.spans[0]![1] === r.span[3] + 1 && /^(?:Put|Append)?Uint(?:16|32|64)$/.test(s.path[0]!),
        );

      // binary.LittleEndian on host-order data.
      uc.funcs.forEach((f, i) => {
        const info = funcInfo[i]!;
        // Only the package or file says netlink: the function may format a decoded value (binary.Write of a
        // uint64 for display); it must decode or encode a byte slice itself to be reported.
        const kind = info.hostForLittleEndian ?? hostPackage ?? fileNetlink;
        if (sysPackage) return;
        if (kind === undefined) {
          // A control message helper or a mapping beside a byte codec: the codec's data is a payload or a file format.
          if (info.host !== undefined) {
            const n = info.refs.filter((r) => r.pkg === 'encoding/binary' && r.name === 'LittleEndian').length;
            if (n > 0) ctx.skip(`not-host-data: ${info.host}`, n);
          }
          return;
        }
        for (const r of info.refs) {
          if (r.pkg !== 'encoding/binary' || r.name !== 'LittleEndian') continue;
          if (info.choosesOrder || info.probe) {
            ctx.skip('chooses-byte-order');
            continue;
          }
          if (info.hostForLittleEndian === undefined && !sliceCodec(r)) {
            ctx.skip('not-a-byte-slice-codec');
            continue;
          }
          const [, , el, ec] = r.span;
          ctx.report({
            file,
            span: r.span,
            messageId: 'littleEndianHostData',
            data: { kind },
            platforms: live,
            symbol: `${f.name}:binary.LittleEndian`,
            suggestion: 'use binary.NativeEndian (Go 1.21+)',
            ...(nativeEndian ? { fix: { description: 'use binary.NativeEndian', edits: [{ span: [el, ec - 'LittleEndian'.length, el, ec], text: 'NativeEndian' }] } } : {}),
          });
        }
      });

      // Reinterpretation through unsafe.Pointer. A file that only one byte order compiles
      // (`endian_s390x.go`, `//go:build armbe || arm64be || …`) is native by construction.
      const bothOrders = uc.casts.length > 0 && compiledForBothOrders(file, ctx.program.opts.build);
      for (const c of uc.casts) {
        if (!bothOrders) {
          ctx.skip('one-byte-order-file');
          continue;
        }
        if (c.orderFree) {
          ctx.skip(`order-free-use: ${c.orderFree}`);
          continue;
        }
        const info = c.func >= 0 ? funcInfo[c.func] : undefined;
        if (sysPackage || hostPackage || info?.host) {
          ctx.skip('host-order-data');
          continue;
        }
        if (info?.probe || info?.ordered) {
          ctx.skip('byte-order-conversion');
          continue;
        }
        table ??= ctx.workspace.symbols(pkg);
        const verdict = classify(c, table);
        if (typeof verdict === 'string') {
          ctx.skip(verdict);
          continue;
        }
        ctx.report({
          file,
          span: c.span,
          messageId: verdict.id,
          data: { expr: c.text, from: verdict.from, to: verdict.to },
          platforms: live,
          symbol: c.text,
          suggestion: 'encode and decode with encoding/binary (binary.LittleEndian, binary.BigEndian or binary.NativeEndian)',
        });
      }
    }
  },
});

/** The qualified references inside each function (functions are disjoint and in source order). */
function refsByFunc(funcs: readonly FuncSpanFact[], refs: readonly QualRefFact[]): QualRefFact[][] {
  const out: QualRefFact[][] = funcs.map(() => []);
  for (const r of refs) {
    // Last function starting at or before the reference.
    let lo = 0;
    let hi = funcs.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = funcs[mid]!.span;
      if (s[0] < r.span[0] || (s[0] === r.span[0] && s[1] <= r.span[1])) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at >= 0 && spanWithin(r.span, funcs[at]!.span)) out[at]!.push(r);
  }
  return out;
}

/** The finding for a conversion, or why there is none. */
function classify(c: UnsafeCastFact, table: SymbolTable): { id: Msg; from: string; to: string } | string {
  let fromType: TypeExpr | undefined;
  if (!c.from) return 'unknown-operand';
  if (c.from.k === 'type') fromType = c.from.type;
  else {
    const vars = table.vars.get(c.from.name);
    const typed = vars?.map((v) => v.type);
    if (!typed || typed.length === 0 || typed.some((t) => !t || JSON.stringify(t) !== JSON.stringify(typed[0]))) return 'untyped-global';
    fromType = typed[0];
    for (const step of c.from.steps) {
      if (!fromType) break;
      if (step === '*') fromType = fromType.k === 'ptr' ? fromType.elem : undefined;
      else {
        if (fromType.k === 'ptr' && fromType.elem.k === 'array') fromType = fromType.elem;
        if (fromType.k !== 'array' && fromType.k !== 'slice') fromType = undefined;
        else fromType = step === 'i' ? fromType.elem : { k: 'slice', elem: fromType.elem };
      }
    }
  }
  // `*(*[]byte)(unsafe.Pointer(&runes))`: a slice header carried as another slice type, which code
  // converts back before it reads the elements; its bytes are never read in native order by this.
  if (c.to.k === 'slice' && fromType?.k === 'slice') return 'slice-header';
  const from = shapeOf(fromType, table);
  const to = shapeOf(c.to, table);
  if (!from || !to) return 'unknown-type';
  const fe = scalar(from);
  const te = scalar(to);
  if (fe.k === 'other' || te.k === 'other') return 'not-numeric';
  // Whole machine words over bytes (uintptr, uint): bulk copy, XOR and compare loops, whose result
  // goes back to bytes in the same order it came from.
  if ((fe.k === 'num' && fe.size === 'word') || (te.k === 'num' && te.size === 'word')) return 'machine-word';
  if (fe.k === 'byte' && te.k === 'num') return { id: 'readsNative', from: typeText(fromType), to: typeText(c.to) };
  if (fe.k === 'num' && te.k === 'byte') {
    if (to.k === 'seq' || c.use === 'slice') return { id: 'exposesNative', from: typeText(fromType), to: typeText(c.to) };
    return c.use === 'deref' ? 'byte-order-probe' : 'byte-pointer';
  }
  if (fe.k === 'num' && te.k === 'num' && typeof fe.size === 'number' && typeof te.size === 'number' && fe.size !== te.size) {
    return { id: 'readsNative', from: typeText(fromType), to: typeText(c.to) };
  }
  return 'same-representation';
}

/** A type as Go writes it: `uint32`, `[4]byte`, `[]uint16`. */
function typeText(t: TypeExpr | undefined): string {
  switch (t?.k) {
    case 'name':
      return t.name;
    case 'array':
      return `[${t.len}]${typeText(t.elem)}`;
    case 'slice':
      return `[]${typeText(t.elem)}`;
    case 'ptr':
      return `*${typeText(t.elem)}`;
    default:
      return 'value';
  }
}
