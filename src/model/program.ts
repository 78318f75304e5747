/**
 * The per-package, per-platform model: every package directory with its files, the platforms
 * each file is compiled on, and the two compiled units of a directory (the package with its
 * in-package tests, and the external `_test` package).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BuildOptions } from '../constraints/context.js';
import { classifyDir, ConstraintEvaluator, type UnitFiles } from '../constraints/fileset.js';
import { type HeaderInfo, readHeader } from '../constraints/header.js';
import type { PackageDir } from '../loader/discover.js';
import { relPath } from '../loader/discover.js';
import type { FileFacts } from '../parser/facts.js';
import type { PlatformMask, Targets } from '../platform/targets.js';
import type { RunError } from '../engine/types.js';

export interface SourceFile {
  name: string;
  abs: string;
  /** Path relative to the working directory, `/`-separated. */
  path: string;
  header: HeaderInfo;
  /** Platforms where go/build keeps the file in its directory. */
  mask: PlatformMask;
  /** Platforms where go/build would keep the file if cgo were enabled there (set only when that adds some). */
  cgoOnly?: PlatformMask;
  isTest: boolean;
  /**
   * File text, kept until the facts are extracted. Read at load for the header, then left on disk
   * until first asked for (deferText): test whether there is text with hasText, which reads nothing.
   */
  text?: string;
  /** The text's length (UTF-16 units) as read at load (what the parse pool batches by). */
  size?: number;
  facts?: FileFacts;
  /** The file could not be read or decoded; it is left out of analysis. */
  unreadable?: boolean;
}

/**
 * Leaves the file's text on disk until `text` is first read: then it is read again (undefined when
 * it can no longer be read as at load) and kept, until the facts are extracted. So the text of a
 * whole tree is not held while its files wait for the parse; what is held is the text in flight.
 */
export function deferText(file: SourceFile): void {
  const set = (text: string | undefined) => Object.defineProperty(file, 'text', { configurable: true, enumerable: true, writable: true, value: text });
  Object.defineProperty(file, 'text', {
    configurable: true,
    enumerable: true,
    get: () => {
      const r = readGoFile(file.abs);
      const text = r.error ? undefined : r.text;
      set(text);
      return text;
    },
    set,
  });
}

/** Whether the file's text is left on disk (deferText) and not read since. */
export function textDeferred(file: SourceFile): boolean {
  return Object.getOwnPropertyDescriptor(file, 'text')?.get !== undefined;
}

/** Whether the file has text to parse, held or left on disk (without reading it). */
export function hasText(file: SourceFile): boolean {
  const d = Object.getOwnPropertyDescriptor(file, 'text');
  return d !== undefined && (d.get !== undefined || d.value !== undefined);
}

/** The length of the file's text (without reading it). */
export function textSize(file: SourceFile): number {
  return file.size ?? (hasText(file) ? file.text!.length : 0);
}

/**
 * Whether the file's facts were released (Workspace.release): reading `facts` then parses the file
 * again. Code that only asks whether a file was parsed tests this first.
 */
export function factsReleased(file: SourceFile): boolean {
  return Object.getOwnPropertyDescriptor(file, 'facts')?.get !== undefined;
}

export interface PackageModel {
  /** Stable id: the directory (relative), with `_test` appended for an external test package. */
  id: string;
  kind: 'lib' | 'xtest';
  name: string;
  dir: DirModel;
  importPath: string | null;
  /** The unit's files, each with the platforms where it belongs to the unit. */
  files: { file: SourceFile; mask: PlatformMask }[];
  /** Platforms where the unit has at least one file. */
  mask: PlatformMask;
  /**
   * Platforms the package is checked on, when the configured binaries or `--vendor` decide it
   * (src/binaries): findings elsewhere are dropped. Undefined: every target.
   */
  checked?: PlatformMask;
  /**
   * A vendored package under `--vendor`: the platforms where the tree's own packages import it,
   * directly or through vendor/ (src/binaries/select.ts, restrictVendored). Every analyzed package
   * that imports it on a platform is reached there too, so its types are needed nowhere else.
   * Undefined: every platform it builds on.
   */
  reached?: PlatformMask;
}

export interface DirModel {
  pkgDir: PackageDir;
  files: SourceFile[];
  lib: PackageModel;
  xtest: PackageModel | null;
}

export interface LoadOptions {
  cwd: string;
  targets: Targets;
  build: BuildOptions;
  tests: boolean;
}

/** Reads a Go file as text; NUL bytes and invalid UTF-8 are reported, not thrown. */
export function readGoFile(abs: string): { text?: string; error?: string; nul?: boolean } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : `cannot read file (${code ?? String(e)})` };
  }
  const nul = buf.indexOf(0) >= 0;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    text = buf.toString('utf8');
    return { text, error: 'invalid UTF-8 encoding', nul };
  }
  if (nul) return { text, error: 'file contains NUL bytes (binary file?)', nul };
  return { text };
}

export class Program {
  readonly dirs: DirModel[] = [];
  readonly packages: PackageModel[] = [];
  readonly errors: RunError[] = [];
  readonly evaluator: ConstraintEvaluator;
  private readonly byDir = new Map<string, DirModel>();

  constructor(readonly opts: LoadOptions) {
    this.evaluator = new ConstraintEvaluator(opts.targets, opts.build);
  }

  /** Loads a package directory (once); returns its model. */
  loadDir(pkgDir: PackageDir, analyzed = true): DirModel {
    const hit = this.byDir.get(pkgDir.dir);
    if (hit) return hit;
    const files: SourceFile[] = [];
    for (const name of pkgDir.goFiles) {
      const isTest = name.endsWith('_test.go');
      if (isTest && !this.opts.tests) continue;
      const abs = path.join(pkgDir.dir, name);
      const rel = relPath(this.opts.cwd, abs);
      const r = readGoFile(abs);
      if (r.text === undefined) {
        if (analyzed) this.errors.push({ file: rel, message: r.error ?? 'cannot read file' });
        continue;
      }
      // A NUL byte makes go/build reject the file only inside the header it reads (readHeader
      // checks that); after the imports it is the compiler's problem, and go list still lists it.
      const header = readHeader(r.text);
      const f: SourceFile = { name, abs, path: rel, header, mask: 0n, isTest };
      if (r.error) {
        f.unreadable = true;
        if (analyzed) this.errors.push({ file: rel, message: r.error });
      } else {
        f.size = r.text.length;
        deferText(f);
      }
      if (header.invalid && analyzed && !r.error) {
        const e: RunError = { file: rel, message: header.invalid };
        if (header.invalid.includes('//go:build')) e.kind = 'constraint';
        this.errors.push(e);
      }
      f.mask = this.evaluator.fileMask(name, header);
      const withCgo = this.evaluator.cgoOnlyMask(name, header, f.mask);
      if (withCgo !== 0n) f.cgoOnly = withCgo;
      files.push(f);
    }
    const cls = classifyDir(
      files.map((f) => ({ name: f.name, header: f.header, mask: f.mask, isTest: f.isTest })),
      this.opts.targets,
    );
    if (analyzed) for (const c of cls.conflicts) this.errors.push({ file: pkgDir.relDir, message: c });
    const dm: DirModel = { pkgDir, files, lib: undefined as unknown as PackageModel, xtest: null };
    const unit = (u: UnitFiles): PackageModel => ({
      id: u.kind === 'xtest' ? `${pkgDir.relDir}_test` : pkgDir.relDir,
      kind: u.kind,
      name: u.name,
      dir: dm,
      importPath: pkgDir.importPath === null ? null : u.kind === 'xtest' ? `${pkgDir.importPath}_test` : pkgDir.importPath,
      files: u.files.map(({ index, mask }) => ({ file: files[index]!, mask })),
      mask: u.mask,
    });
    dm.lib = unit(cls.lib);
    if (cls.lib.name === '' && files[0]?.header.pkgName) dm.lib.name = files[0].header.pkgName;
    dm.xtest = cls.xtest.files.length > 0 ? unit(cls.xtest) : null;
    this.byDir.set(pkgDir.dir, dm);
    if (analyzed) {
      this.dirs.push(dm);
      this.packages.push(dm.lib);
      if (dm.xtest) this.packages.push(dm.xtest);
    }
    return dm;
  }

  dirModel(absDir: string): DirModel | undefined {
    return this.byDir.get(absDir);
  }

  /** Names of the files Go compiles in a directory on one platform (package + tests + external tests). */
  filesOn(dm: DirModel, platformIndex: number): string[] {
    const bit = 1n << BigInt(platformIndex);
    const out: string[] = [];
    for (const u of [dm.lib, dm.xtest]) {
      if (!u) continue;
      for (const { file, mask } of u.files) if (mask & bit) out.push(file.name);
    }
    return out.sort();
  }
}
