/**
 * Builds the API index of one package directory with goport's own engine: the build-constraint
 * engine decides which files each platform compiles (all of `go tool dist list`, cgo off, no user
 * tags), the parser gives each file's declarations once, and the index records where each exported
 * name, field and method exists. Test files are left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { classifyDir, ConstraintEvaluator } from '../constraints/fileset.js';
import { readHeader } from '../constraints/header.js';
import { readGoFile } from '../model/program.js';
import type { TypeExpr } from '../parser/facts.js';
import { parseGoFile } from '../parser/parse.js';
import { Targets, type Platform } from '../platform/targets.js';
import { isExported, namedOf, PREDECLARED } from '../symbols/table.js';
import type { ApiSource, PackageApi } from './format.js';

export interface IndexOptions {
  importPath: string;
  source: ApiSource;
  /** Platform ids to index (masks are over this list). */
  platforms: readonly string[];
  /** Platforms the source supports; default all. */
  known?: readonly string[];
  /** Go release minor number for `go1.N` tags. */
  goMinor: number;
}


/** The `.go` files go/build would consider in a directory, tests left out, sorted. */
export function listPackageFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.go') && !e.name.endsWith('_test.go') && !/^[._]/.test(e.name))
    .map((e) => e.name)
    .sort();
}

interface TypeSite {
  mask: bigint;
  type: TypeExpr | undefined;
  alias: boolean;
}

interface MemberSet {
  names: Set<string>;
  open: boolean;
}


/** Indexes a package directory; returns null when it holds no Go package files. */
export function indexPackageDir(dir: string, opts: IndexOptions): PackageApi | null {
  const names = listPackageFiles(dir);
  if (names.length === 0) return null;
  const platforms: Platform[] = opts.platforms.map((id) => {
    const [goos, goarch] = id.split('/') as [string, string];
    return { goos, goarch, id };
  });
  const targets = new Targets(platforms);
  const evaluator = new ConstraintEvaluator(targets, { cgo: false, tags: [], goMinor: opts.goMinor });
  const files: { name: string; text: string; header: ReturnType<typeof readHeader>; mask: bigint }[] = [];
  for (const name of names) {
    const r = readGoFile(path.join(dir, name));
    if (r.text === undefined || r.error) continue;
    const header = readHeader(r.text);
    files.push({ name, text: r.text, header, mask: evaluator.fileMask(name, header) });
  }
  const cls = classifyDir(
    files.map((f) => ({ name: f.name, header: f.header, mask: f.mask, isTest: false })),
    targets,
  );
  let known = targets.all;
  if (opts.known) {
    const k = new Set(opts.known);
    known = targets.maskOf((p) => k.has(p.id));
  }
  const present = cls.lib.mask & known;
  const api: PackageApi = {
    path: opts.importPath,
    name: cls.lib.name || files[0]?.header.pkgName || path.basename(dir),
    source: opts.source,
    platforms: [...opts.platforms],
    known,
    present,
    names: new Map(),
    members: new Map(),
    open: new Map(),
    fieldTypes: new Map(),
  };

  // Every file on the same platforms: nothing can differ, no need to parse.
  if (cls.lib.files.every(({ mask }) => (mask & known) === present)) return api;

  const nameMask = new Map<string, bigint>();
  const types = new Map<string, TypeSite[]>();
  const methods = new Map<string, Map<string, bigint>>();
  const orIn = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) | v);
  for (const { index, mask: m0 } of cls.lib.files) {
    const mask = m0 & known;
    if (mask === 0n) continue;
    const f = files[index]!;
    const facts = parseGoFile(f.text, f.name);
    for (const d of facts.decls) {
      if (d.name === '_') continue;
      orIn(nameMask, d.name, mask);
      if (d.kind === 'type') {
        const l = types.get(d.name) ?? [];
        l.push({ mask, type: d.type, alias: d.alias === true });
        types.set(d.name, l);
      }
    }
    for (const m of facts.methods) {
      let mm = methods.get(m.recv);
      if (!mm) methods.set(m.recv, (mm = new Map()));
      orIn(mm, m.name, mask);
    }
  }

  for (const [name, mask] of nameMask) {
    if (isExported(name) && mask !== present) api.names.set(name, mask);
  }

  // Members per type and platform, promoted ones included.
  const memo = new Map<string, MemberSet>();
  const membersOf = (typeName: string, pi: number, ownMethods: boolean, stack: Set<string>): MemberSet => {
    const key = `${typeName}\0${pi}\0${ownMethods ? 1 : 0}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const out: MemberSet = { names: new Set(), open: false };
    if (stack.has(typeName)) return out;
    const bit = 1n << BigInt(pi);
    const site = types.get(typeName)?.find((s) => s.mask & bit);
    if (!site) {
      out.open = !PREDECLARED.has(typeName);
      memo.set(key, out);
      return out;
    }
    stack.add(typeName);
    const merge = (m: MemberSet) => {
      for (const n of m.names) out.names.add(n);
      if (m.open) out.open = true;
    };
    const viaNamed = (t: TypeExpr | undefined, withMethods: boolean) => {
      const n = namedOf(t);
      if (!n || n.pkg !== undefined) out.open = true;
      else if (!PREDECLARED.has(n.name)) merge(membersOf(n.name, pi, withMethods, stack));
    };
    const t = site.type;
    if (site.alias) viaNamed(t, true);
    else if (ownMethods || t?.k === 'iface') {
      for (const [m, mask] of methods.get(typeName) ?? []) if (mask & bit) out.names.add(m);
    }
    if (!site.alias && t) {
      switch (t.k) {
        case 'struct':
          for (const f of t.fields) {
            if (f.name !== '_') out.names.add(f.name);
            if (f.embedded) viaNamed(f.type, true);
          }
          break;
        case 'iface':
          for (const m of t.methods) out.names.add(m);
          for (const e of t.embeds) viaNamed(e, true);
          break;
        case 'name':
          if (!PREDECLARED.has(t.name)) merge(membersOf(t.name, pi, false, stack));
          break;
        case 'qual':
        case 'unknown':
        case 'tparam':
          out.open = true;
          break;
        default:
          break;
      }
    }
    if (site.type === undefined) out.open = true;
    stack.delete(typeName);
    memo.set(key, out);
    return out;
  };

  for (const [typeName, sites] of [...types].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!isExported(typeName)) continue;
    const typeMask = nameMask.get(typeName)! & present;
    const memberMask = new Map<string, bigint>();
    let open = 0n;
    for (let pi = 0; pi < platforms.length; pi++) {
      const bit = 1n << BigInt(pi);
      if (!(typeMask & bit)) continue;
      const ms = membersOf(typeName, pi, true, new Set());
      if (ms.open) open |= bit;
      for (const n of ms.names) if (isExported(n)) orIn(memberMask, n, bit);
    }
    if (open) api.open.set(typeName, open);
    for (const [m, mask] of memberMask) if (mask !== typeMask) api.members.set(`${typeName}.${m}`, mask);
    // Field types, for chains x.F.G: the same named type wherever the field exists.
    const fieldType = new Map<string, string | null>();
    for (const s of sites) {
      if (s.alias || s.type?.k !== 'struct') continue;
      for (const f of s.type.fields) {
        if (f.embedded || !isExported(f.name)) continue;
        const n = namedOf(f.type);
        const v = n && !(n.pkg === undefined && PREDECLARED.has(n.name)) ? (n.pkg ? `${n.pkg}.${n.name}` : n.name) : null;
        const prev = fieldType.get(f.name);
        fieldType.set(f.name, prev === undefined || prev === v ? v : null);
      }
    }
    for (const [f, v] of fieldType) if (v) api.fieldTypes.set(`${typeName}.${f}`, v);
  }
  // Keep only field types that lead somewhere a chain can find a difference.
  const differing = new Set<string>([...api.names.keys(), ...api.open.keys()]);
  for (const k of api.members.keys()) differing.add(k.slice(0, k.indexOf('.')));
  for (const [k, v] of api.fieldTypes) if (!v.includes('.') && !differing.has(v)) api.fieldTypes.delete(k);
  return api;
}
