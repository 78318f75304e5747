/**
 * The syntax corpus: every .go file of the newest installed Go's GOROOT/src (testdata included, with
 * its deliberately invalid files) is parsed by goport and by that Go's go/parser (through
 * test/helpers/syntax-verdict.go, parsing as `gofmt -e` does). They must give the same verdict per
 * file, and for a rejected file the same first error line.
 *
 * Toolchain: the newest /usr/lib/go-1.N/bin/go (Debian's golang-1.N-go), else `go` on PATH;
 * skipped with a message when there is none; `GOPORT_SYNTAX_GO=/path/to/go` picks another. goport follows the newest Go's parser; an older Go
 * made some checks in its parser that later releases moved to the type checker (OLDER_PARSER_RULES),
 * and goport's verdict on such a file is then not compared.
 *
 * Known differences (KNOWN) are listed by file with their reason, and each one must still differ
 * exactly as listed, so the list cannot go stale. Only invalid Go is listed: files that Go's parser
 * accepts but the type checker rejects (goport calls them syntax errors), and files both reject
 * whose first errors tree-sitter's error recovery places on another line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntaxErrorsOf } from '../src/parser/parse.js';
import { goEnv } from './helpers/go.js';

interface Toolchain {
  go: string;
  version: string;
  minor: number;
  goroot: string;
  home: string;
}

/** The newest working Go: Debian's versioned installs first, then PATH ($GOPORT_SYNTAX_GO chooses one). */
function findGo(): Toolchain | null {
  const candidates: string[] = [];
  if (process.env.GOPORT_SYNTAX_GO) candidates.push(process.env.GOPORT_SYNTAX_GO);
  else try {
    const vers = fs
      .readdirSync('/usr/lib')
      .map((d) => /^go-1\.(\d+)$/.exec(d))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(b[1]) - Number(a[1]));
    for (const m of vers) candidates.push(`/usr/lib/${m[0]}/bin/go`);
  } catch {
    /* no /usr/lib */
  }
  candidates.push('go');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-syntax-'));
  for (const go of candidates) {
    if (go !== 'go' && !fs.existsSync(go)) continue;
    const r = spawnSync(go, ['env', 'GOVERSION', 'GOROOT'], { encoding: 'utf8', env: goEnv(home), timeout: 60_000 });
    if (r.error || r.status !== 0) continue;
    const [version = '', goroot = ''] = r.stdout.trim().split('\n');
    const m = /^go1\.(\d+)/.exec(version);
    if (m && goroot) return { go, version, minor: Number(m[1]), goroot, home };
  }
  return null;
}

const tc = findGo();
if (!tc) console.warn('syntax-corpus: SKIPPED — no Go toolchain (/usr/lib/go-1.N/bin/go or `go` on PATH)');

type Kind = 'type-error-only' | 'error-line';

/** Paths relative to GOROOT/src (Go 1.27 and Go 1.19 layouts). */
const KNOWN: Record<string, { kind: Kind; why: string }> = {};
const known = (kind: Kind, why: string, ...paths: string[]) => {
  for (const p of paths) KNOWN[p] = { kind, why };
};
const TYPES_TESTDATA = ['internal/types/testdata', 'go/types/testdata', 'cmd/compile/internal/types2/testdata'];
const inTypes = (rel: string) => TYPES_TESTDATA.map((d) => `${d}/${rel}`);
known('type-error-only', 'make([]int, t...): tree-sitter-go has no ... in make/new arguments', ...inTypes('check/builtins0.go'));
known('type-error-only', 'const _ int: a constant without value (Go 1.19-1.2x parsers rejected it too)', ...inTypes('check/constdecl.go'));
known('type-error-only', '[...]T outside a composite literal', ...inTypes('check/decls0.go'));
// Go 1.19's parser rejected the conversion too, on the same line (its testdata is under go/types/).
known('type-error-only', '[...]T conversion', 'internal/types/testdata/fixedbugs/issue42987.go');
known('type-error-only', '~x as an expression', ...inTypes('check/expr0.go'));
known('type-error-only', 'two labels before a closing brace (L: L1: })', ...inTypes('check/gotos.go'));
known('type-error-only', 'method expression on a struct type literal, struct{ A }.m', ...inTypes('fixedbugs/issue53358.go'));
known('type-error-only', 'x.(type) as an index expression', ...inTypes('fixedbugs/issue58612.go'));
known(
  'error-line',
  'deliberately malformed compiler testdata: tree-sitter recovers elsewhere',
  'cmd/compile/internal/syntax/testdata/issue46558.go',
  'cmd/compile/internal/syntax/testdata/issue52391.go',
  'cmd/compile/internal/syntax/testdata/typeset.go',
);

/** Errors of older go/parser releases that Go 1.27's parser leaves to the type checker. */
const OLDER_PARSER_RULES = [
  /^missing constant value$/,
  /^expected identifier on left side of :=$/,
  /^invalid import path/,
  /^method must have no type parameters$/,
];

function goFiles(dir: string, out: string[]): string[] {
  let ents: fs.Dirent[];
  try {
    ents = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) goFiles(p, out);
    else if (e.name.endsWith('.go') && (e.isFile() || (e.isSymbolicLink() && fs.statSync(p).isFile()))) out.push(p);
  }
  return out;
}

interface GoVerdict {
  line: number | null;
  msg: string;
}

function goVerdicts(t: Toolchain, files: string[]): Map<string, GoVerdict> {
  const dir = fs.mkdtempSync(path.join(t.home, 'verdict-'));
  fs.copyFileSync(path.join(import.meta.dirname, 'helpers/syntax-verdict.go'), path.join(dir, 'main.go'));
  const env = { ...goEnv(t.home), GOFLAGS: '', GO111MODULE: 'off' };
  const b = spawnSync(t.go, ['build', '-o', 'verdict', 'main.go'], { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
  if (b.status !== 0) throw new Error(`building syntax-verdict: ${b.stderr}`);
  const r = spawnSync(path.join(dir, 'verdict'), [], { input: files.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`syntax-verdict: ${r.stderr}`);
  const out = new Map<string, GoVerdict>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [file = '', what = '', msg = ''] = line.split('\t');
    if (what === 'ok') out.set(file, { line: null, msg: '' });
    else if (/^\d+$/.test(what)) out.set(file, { line: Number(what), msg });
    else throw new Error(`syntax-verdict: ${line}`);
  }
  return out;
}

describe.skipIf(!tc)('syntax corpus: goport and go/parser agree file by file', () => {
  it(`GOROOT/src of ${tc?.version ?? 'go'}`, () => {
    const t = tc!;
    const src = fs.realpathSync(path.join(t.goroot, 'src'));
    const files = goFiles(src, []);
    expect(files.length).toBeGreaterThan(1000);
    const want = goVerdicts(t, files);
    const counts: Record<string, number> = { files: files.length, agreeOk: 0, agreeError: 0, olderParserRule: 0 };
    const unexpected: string[] = [];
    const agreed: string[] = [];
    for (const f of files) {
      const rel = path.relative(src, f).split(path.sep).join('/');
      const g = want.get(f);
      const errs = syntaxErrorsOf(fs.readFileSync(f));
      if (!g || !errs) {
        unexpected.push(`${rel}: ${!g ? 'no verdict from Go' : 'tree-sitter failed'}`);
        continue;
      }
      const mine = errs[0]?.[0] ?? null;
      if (mine === g.line) {
        counts[g.line === null ? 'agreeOk' : 'agreeError']!++;
        if (KNOWN[rel]) agreed.push(rel);
        continue;
      }
      if (g.line !== null && OLDER_PARSER_RULES.some((re) => re.test(g.msg))) {
        counts.olderParserRule!++;
        continue;
      }
      const kind: Kind | 'go-rejects-only' = g.line === null ? 'type-error-only' : mine === null ? 'go-rejects-only' : 'error-line';
      const k = KNOWN[rel];
      if (k && k.kind === kind) {
        counts[kind] = (counts[kind] ?? 0) + 1;
        continue;
      }
      unexpected.push(`${rel}: go ${g.line === null ? 'ok' : `${g.line}: ${g.msg}`}, goport ${mine === null ? 'ok' : `line ${mine}`}`);
    }
    console.log(`syntax-corpus ${t.version}: ${JSON.stringify(counts)}`);
    // A listed file that now agrees must leave the list.
    expect({ unexpected, stale: agreed }).toEqual({ unexpected: [], stale: [] });
  }, 600_000);
});
