/**
 * The Go release a run analyzes for (release tags `go1.N`, the ports of `--platforms`, the
 * standard-library tables) when `--go-version` is not given, chosen as the go command chooses the
 * toolchain that builds the module (go.dev/doc/toolchain):
 *
 * - with a `go` on PATH of Go 1.21 or later and GOTOOLCHAIN `auto` (the default) or `…+auto`, the
 *   newest of that go, the module's `go` line and its `toolchain` line: such a go switches to the
 *   toolchain go.mod asks for when it is newer than itself (GOTOOLCHAIN=go1.N… names the go instead);
 * - with an older `go` on PATH, or GOTOOLCHAIN=local: that go, which builds with its own release tags,
 *   unless the module's `go` line is newer: such a go cannot build the module (Go 1.21+ refuses, an
 *   older one fails on what is new), so the `go` line's release;
 * - with no `go`, the newest of the `go` and `toolchain` lines of the working directory's module
 *   (the toolchain the module asks for), else the newest release goport knows.
 *
 * The module is the one whose go.mod is nearest above the working directory, as for the go command.
 */
import path from 'node:path';
import { NEWEST_GO_MINOR } from '../platform/known.js';
import { goMinorOf, parseGoMod, readModuleFile } from './gomod.js';

export interface GoVersionChoice {
  /** N of go1.N. */
  minor: number;
  /** Where it came from, for --verbose. */
  why: string;
}

export interface GoVersionInputs {
  /** `go env GOVERSION` of the go on PATH, or null without one. */
  local: string | null;
  /** The module's `go` and `toolchain` lines (null when absent or no module). */
  goLine: string | null;
  toolchainLine: string | null;
  /** The GOTOOLCHAIN setting (environment), when set. */
  gotoolchain?: string | undefined;
}

/** The release from the inputs (pure; see the module comment). */
export function chooseGoVersion(i: GoVersionInputs): GoVersionChoice {
  const lines: GoVersionChoice[] = [];
  const goLine = goMinorOf(i.goLine);
  if (goLine !== null) lines.push({ minor: goLine, why: `go.mod go ${i.goLine}` });
  const tc = goMinorOf(i.toolchainLine);
  if (tc !== null) lines.push({ minor: tc, why: `go.mod toolchain ${i.toolchainLine}` });
  // The toolchain line wins a tie: it names the exact toolchain.
  const fromModule = lines.reduce<GoVersionChoice | null>((best, c) => (!best || c.minor >= best.minor ? c : best), null);
  // GOTOOLCHAIN=name[+auto|+path]: `local`, `auto` (local+auto) or a release the go command runs instead.
  const [name = '', mode = ''] = (i.gotoolchain ?? '').split('+');
  const pinned = /^go1\.\d+/.test(name) ? name : null;
  const localVersion = i.local !== null && pinned ? pinned : i.local;
  const local = goMinorOf(localVersion);
  if (local !== null) {
    const mine: GoVersionChoice = { minor: local, why: pinned && i.local !== null ? `GOTOOLCHAIN=${i.gotoolchain}` : `go on PATH (${i.local})` };
    const switches = goMinorOf(i.local)! >= 21 && (name === '' || name === 'auto' || mode === 'auto' || mode === 'path');
    if (switches && fromModule && fromModule.minor > local) return { minor: fromModule.minor, why: `${fromModule.why} (newer than ${mine.why})` };
    // A go older than the module's go line cannot build it (Go 1.21+ refuses, an older one fails on
    // what is new), so the module is built with its go line's release or newer: analyze for that.
    if (goLine !== null && goLine > local) return { minor: goLine, why: `go.mod go ${i.goLine} (${mine.why} cannot build it)` };
    return mine;
  }
  if (fromModule) return { minor: fromModule.minor, why: `${fromModule.why} (no go on PATH)` };
  return { minor: NEWEST_GO_MINOR, why: `newest release goport knows (no go on PATH, no go.mod)` };
}

/** The go.mod nearest above `dir` (inclusive), parsed, or null. */
export function nearestGoMod(dir: string): { file: string; go: string | null; toolchain: string | null } | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const found = readModuleFile(d);
    if (found) {
      const m = parseGoMod(found.text);
      return { file: found.file, go: m.go, toolchain: m.toolchain };
    }
    if (path.dirname(d) === d) return null;
  }
}
