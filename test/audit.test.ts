/**
 * goport audit: golden files for its four formats (one fixed AuditResult, as test/report-golden.test.ts
 * does for the reporters), the matrix of a generated vendored module and of a module-cache setup,
 * and the HTML page opened in headless Chromium. Update goldens with `npx vitest run test/audit -u`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../src/audit/audit.js';
import { renderAuditHtml } from '../src/audit/html.js';
import { renderAuditJson, renderAuditMarkdown, renderAuditText } from '../src/audit/render.js';
import { main } from '../src/cli/main.js';
import type { Finding } from '../src/engine/types.js';

const PLATFORMS = ['linux/amd64', 'linux/arm64', 'darwin/arm64', 'windows/amd64', 'windows/386'];

function finding(f: Partial<Finding> & Pick<Finding, 'rule' | 'file' | 'line' | 'message' | 'platforms'>): Finding {
  return { severity: 'error', column: 2, endLine: f.line, endColumn: 10, messageId: 'm', ...f };
}

const cells = (...cs: AuditResult['modules'][number]['cells'][string][]) => Object.fromEntries(PLATFORMS.map((p, i) => [p, cs[i]!]));

/** One fixed audit: every cell kind, a replaced module, findings of two severities, a missing package, an error. */
export const FIXED: AuditResult = {
  tool: { name: 'goport', version: '0.1.0' },
  root: '.',
  module: 'example.com/app',
  source: 'vendor/modules.txt',
  platforms: PLATFORMS,
  modules: [
    {
      path: 'example.com/clean',
      version: 'v1.0.0',
      packages: 2,
      files: 5,
      cells: cells('ok', 'ok', 'ok', 'ok', 'ok'),
      findings: 0,
      byRule: {},
      bySeverity: { error: 0, warning: 0, info: 0 },
      worst: [],
      noFiles: [],
    },
    {
      path: 'example.com/gated',
      version: 'v0.3.1',
      packages: 1,
      files: 3,
      cells: cells('ok', 'ok', 'fail', 'fail', 'fail'),
      findings: 4,
      byRule: { 'gated-symbol': 3, 'hardcoded-platform': 1 },
      bySeverity: { error: 3, warning: 1, info: 0 },
      worst: [
        finding({ rule: 'gated-symbol', file: 'vendor/example.com/gated/gated.go', line: 7, message: 'undefined: helper (declared only in helper_linux.go)', platforms: ['darwin/arm64', 'windows/amd64', 'windows/386'] }),
        finding({ rule: 'gated-symbol', file: 'vendor/example.com/gated/more.go', line: 12, message: 'undefined: Pipe2 <with> | pipes & `ticks`', platforms: ['windows/amd64', 'windows/386'] }),
        finding({ rule: 'gated-symbol', file: 'vendor/example.com/gated/more.go', line: 20, message: 'undefined: Ioctl', platforms: ['darwin/arm64'] }),
      ],
      noFiles: [],
    },
    {
      path: 'example.com/nofiles',
      version: 'v1.2.0',
      packages: 1,
      files: 1,
      cells: cells('ok', 'ok', 'fail', 'fail', 'fail'),
      findings: 0,
      byRule: {},
      bySeverity: { error: 0, warning: 0, info: 0 },
      worst: [],
      noFiles: [{ package: 'example.com/nofiles/sub', platforms: ['darwin/arm64', 'windows/amd64', 'windows/386'], importedBy: 'main.go' }],
    },
    {
      path: 'example.com/old',
      version: 'v0.1.0',
      replacement: 'example.com/new v0.2.0',
      packages: 1,
      files: 1,
      cells: cells('ok', 'ok', 'ok', 'ok', 'ok'),
      findings: 0,
      byRule: {},
      bySeverity: { error: 0, warning: 0, info: 0 },
      worst: [],
      noFiles: [],
    },
    {
      path: 'example.com/warn',
      version: 'v2.0.0',
      packages: 1,
      files: 2,
      cells: cells('warn', 'warn', 'ok', 'ok', 'ok'),
      findings: 1,
      byRule: { 'build-constraint': 1 },
      bySeverity: { error: 0, warning: 1, info: 0 },
      worst: [
        finding({ rule: 'build-constraint', severity: 'warning', file: 'vendor/example.com/warn/proc_maps.go', line: 1, column: 1, message: 'file name suffix "_maps" is not a GOOS or GOARCH', platforms: ['linux/amd64', 'linux/arm64'] }),
      ],
      noFiles: [],
    },
    {
      path: 'example.com/winonly',
      version: 'v0.0.0-20240101000000-abcdefabcdef',
      packages: 1,
      files: 2,
      cells: cells('unused', 'unused', 'unused', 'ok', 'ok'),
      findings: 0,
      byRule: {},
      bySeverity: { error: 0, warning: 0, info: 0 },
      worst: [],
      noFiles: [],
    },
  ],
  summary: {
    modules: 6,
    packages: 7,
    files: 14,
    findings: 5,
    byRule: { 'build-constraint': 1, 'gated-symbol': 3, 'hardcoded-platform': 1 },
    cells: { ok: 20, warn: 2, fail: 6, unused: 3, missing: 0 },
  },
  errors: [{ file: 'vendor/example.com/clean/x.go', message: 'file contains NUL bytes (binary file?)' }],
};

describe('audit formats (golden files in test/golden-audit)', () => {
  it('text', async () => {
    await expect(renderAuditText(FIXED)).toMatchFileSnapshot('golden-audit/audit.txt');
  });
  it('json', async () => {
    const out = renderAuditJson(FIXED);
    expect(JSON.parse(out)).toEqual(FIXED);
    await expect(out).toMatchFileSnapshot('golden-audit/audit.json');
  });
  it('markdown', async () => {
    await expect(renderAuditMarkdown(FIXED)).toMatchFileSnapshot('golden-audit/audit.md');
  });
  it('html', async () => {
    await expect(renderAuditHtml(FIXED)).toMatchFileSnapshot('golden-audit/audit.html');
  });
  it('test/golden-audit holds only these four files', () => {
    const dir = path.join(import.meta.dirname, 'golden-audit');
    expect(fs.readdirSync(dir).sort()).toEqual(['audit.html', 'audit.json', 'audit.md', 'audit.txt']);
  });
  it('html escapes what it prints and loads nothing from outside', () => {
    const html = renderAuditHtml(FIXED);
    expect(html).toContain('undefined: Pipe2 &lt;with&gt; | pipes &amp; `ticks`');
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|@import|https?:\/\//);
  });
});

// ---------------------------------------------------------------------------------------------

let tmp: string;

function write(rel: string, text: string) {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false, env: { GOPORT_CACHE: 'off', ...env } });
  return { code, stdout, stderr };
}

const TARGETS = 'linux/amd64,linux/386,darwin/arm64,windows/amd64';

/** The dependency sources, by module path, as they are both in vendor/ and in a module cache. */
const DEPS: Record<string, Record<string, string>> = {
  'example.com/clean': { 'clean.go': 'package clean\n\nfunc Clean() int { return 1 }\n' },
  'example.com/gated': {
    'gated.go': 'package gated\n\nfunc Run() { helper() }\n',
    'helper_linux.go': 'package gated\n\nfunc helper() {}\n',
  },
  'example.com/nofiles': { 'sub/sub_linux.go': 'package sub\n\nfunc Sub() {}\n' },
  'example.com/winonly': { 'win_windows.go': 'package winonly\n\nfunc Win() {}\n' },
  'example.com/tool': { 'tool.go': 'package tool\n\nfunc Tool() {}\n' },
};

const MAIN = {
  'go.mod':
    'module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/clean v1.0.0\n\texample.com/gated v0.3.1\n\texample.com/nofiles v1.2.0\n\texample.com/tool v1.0.0\n\texample.com/winonly v0.0.0-20240101000000-abcdefabcdef\n)\n',
  'main.go':
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/clean"\n\t"example.com/gated"\n\t"example.com/nofiles/sub"\n)\n\nfunc main() {\n\tfmt.Println(clean.Clean())\n\tgated.Run()\n\tsub.Sub()\n\tplatform()\n}\n',
  'main_windows.go': 'package main\n\nimport "example.com/winonly"\n\nfunc platform() { winonly.Win() }\n',
  'main_other.go': '//go:build !windows\n\npackage main\n\nfunc platform() {}\n',
  'tools.go': '//go:build tools\n\npackage main\n\nimport _ "example.com/tool"\n',
};

const VERSIONS: Record<string, string> = {
  'example.com/clean': 'v1.0.0',
  'example.com/gated': 'v0.3.1',
  'example.com/nofiles': 'v1.2.0',
  'example.com/tool': 'v1.0.0',
  'example.com/winonly': 'v0.0.0-20240101000000-abcdefabcdef',
};

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goport-audit-')));
  // vendored/: a module with vendor/modules.txt.
  for (const [f, t] of Object.entries(MAIN)) write(`vendored/${f}`, t);
  let modulesTxt = '';
  for (const [mod, files] of Object.entries(DEPS)) {
    const pkgs = new Set<string>();
    for (const [f, t] of Object.entries(files)) {
      write(`vendored/vendor/${mod}/${f}`, t);
      pkgs.add(path.posix.dirname(f) === '.' ? mod : `${mod}/${path.posix.dirname(f)}`);
    }
    modulesTxt += `# ${mod} ${VERSIONS[mod]}\n## explicit; go 1.20\n${[...pkgs].join('\n')}\n`;
  }
  write('vendored/vendor/modules.txt', modulesTxt);
  // modcache/: the same module without vendor/, its dependencies in a module cache (one missing).
  for (const [f, t] of Object.entries(MAIN)) write(`modcache/${f}`, t.replace('example.com/tool v1.0.0', 'example.com/tool v1.0.0\n\texample.com/Absent v9.9.9'));
  for (const [mod, files] of Object.entries(DEPS)) {
    const dir = `gomodcache/${mod}@${VERSIONS[mod]}`;
    write(`${dir}/go.mod`, `module ${mod}\n\ngo 1.20\n`);
    for (const [f, t] of Object.entries(files)) write(`${dir}/${f}`, t);
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Json = AuditResult;
const cellsOf = (r: Json) => Object.fromEntries(r.modules.map((m) => [m.path, Object.values(m.cells).join(' ')]));

describe('goport audit on a vendored module', () => {
  it('gives the module × platform matrix', async () => {
    const r = await run(['audit', '--platforms', TARGETS, '--enable', 'gated-symbol', '--format', 'json'], path.join(tmp, 'vendored'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.source).toBe('vendor/modules.txt');
    expect(j.platforms).toEqual(TARGETS.split(','));
    expect(cellsOf(j)).toEqual({
      'example.com/clean': 'ok ok ok ok',
      'example.com/gated': 'ok ok fail fail',
      'example.com/nofiles': 'ok ok fail fail',
      'example.com/tool': 'unused unused unused unused', // imported only under the tools tag
      'example.com/winonly': 'unused unused unused ok',
    });
    const gated = j.modules.find((m) => m.path === 'example.com/gated')!;
    expect(gated).toMatchObject({ version: 'v0.3.1', findings: 1, byRule: { 'gated-symbol': 1 }, packages: 1, files: 2 });
    expect(gated.worst[0]).toMatchObject({ file: 'vendor/example.com/gated/gated.go', line: 3, platforms: ['darwin/arm64', 'windows/amd64'] });
    expect(j.modules.find((m) => m.path === 'example.com/nofiles')!.noFiles).toEqual([
      { package: 'example.com/nofiles/sub', platforms: ['darwin/arm64', 'windows/amd64'], importedBy: 'main.go' },
    ]);
  });

  it('prints text, markdown and html, and writes a format to a file', async () => {
    const cwd = path.join(tmp, 'vendored');
    const t = await run(['audit', '--platforms', TARGETS, '--enable', 'gated-symbol'], cwd);
    expect(t.stdout).toMatch(/^goport audit example\.com\/app: 5 modules from vendor\/modules\.txt, 5 packages, 6 files, 4 platforms, 1 finding\n/);
    expect(t.stdout).toMatch(/^example\.com\/gated\s+v0\.3\.1\s+✅\s+✅\s+❌\s+❌$/m);
    expect(t.stdout).toContain('package example.com/nofiles/sub: build constraints exclude all Go files on darwin/arm64, windows/amd64 (imported by main.go)');
    const md = await run(['audit', '.', '--platforms', TARGETS, '--enable', 'gated-symbol', '--format', 'markdown', '--format', 'html=audit.html'], cwd);
    expect(md.stdout).toContain('| `example.com/gated` | v0.3.1 | ✅ | ✅ | ❌ | ❌ |');
    expect(fs.readFileSync(path.join(cwd, 'audit.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('honours --fail-on and gives usage errors exit 2', async () => {
    const cwd = path.join(tmp, 'vendored');
    expect((await run(['audit', '--platforms', 'linux/amd64', '--enable', 'gated-symbol'], cwd)).code).toBe(0);
    expect((await run(['audit', '--platforms', TARGETS, '--enable', 'gated-symbol', '--fail-on', 'none'], cwd)).code).toBe(0);
    const nomod = await run(['audit', 'vendor'], cwd);
    expect(nomod).toMatchObject({ code: 2 });
    expect(nomod.stderr).toMatch(/no go\.mod/);
    const fmt = await run(['audit', '--format', 'sarif'], cwd);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/unknown format "sarif": use one of text, json, markdown, html/);
  });

  it('reads a vendor.mod where there is no go.mod (moby, docker/cli), as check does', async () => {
    const want = await run(['audit', '--platforms', TARGETS, '--enable', 'gated-symbol', '--format', 'json'], path.join(tmp, 'vendored'));
    const cwd = path.join(tmp, 'vendormod');
    fs.cpSync(path.join(tmp, 'vendored'), cwd, { recursive: true });
    fs.renameSync(path.join(cwd, 'go.mod'), path.join(cwd, 'vendor.mod'));
    const got = await run(['audit', '--platforms', TARGETS, '--enable', 'gated-symbol', '--format', 'json'], cwd);
    expect(got.stderr).toBe('');
    expect(got.code).toBe(1);
    expect(cellsOf(JSON.parse(got.stdout) as Json)).toEqual(cellsOf(JSON.parse(want.stdout) as Json));
  });
});

describe('goport audit with the module cache', () => {
  it('follows imports into the module cache and flags modules that are not downloaded', async () => {
    const r = await run(['audit', '--platforms', TARGETS, '--enable', 'gated-symbol', '--format', 'json'], path.join(tmp, 'modcache'), {
      GOMODCACHE: path.join(tmp, 'gomodcache'),
    });
    const j = JSON.parse(r.stdout) as Json;
    expect(j.source).toBe(`module cache ${path.join(tmp, 'gomodcache')}`);
    expect(cellsOf(j)).toEqual({
      'example.com/Absent': 'missing missing missing missing',
      'example.com/clean': 'ok ok ok ok',
      'example.com/gated': 'ok ok fail fail',
      'example.com/nofiles': 'ok ok fail fail',
      'example.com/tool': 'unused unused unused unused',
      'example.com/winonly': 'unused unused unused ok',
    });
    expect(j.modules.find((m) => m.path === 'example.com/gated')!.worst[0]!.file).toBe('../gomodcache/example.com/gated@v0.3.1/gated.go');
    expect(j.errors).toEqual([{ file: 'example.com/Absent@v9.9.9', message: `not in the module cache ${path.join(tmp, 'gomodcache')}; run go mod download` }]);
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(tmp, 'gomodcache', 'example.com', '!absent@v9.9.9'))).toBe(false);
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn('audit.test.ts: SKIPPED the headless-browser test: /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(!CHROMIUM)('the HTML page in headless Chromium', () => {
  function chromium(args: string[]) {
    const r = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', ...args], {
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, HOME: tmp },
    });
    return r;
  }

  it('renders the matrix, runs its script and filters modules', () => {
    const file = path.join(tmp, 'page.html');
    fs.writeFileSync(file, renderAuditHtml(FIXED));
    const url = pathToFileURL(file).href;
    const all = chromium(['--dump-dom', url]);
    expect(all.status, all.stderr).toBe(0);
    // The DOM after the page's own script ran.
    expect(all.stdout).toMatch(/<body[^>]*data-ready="true"/);
    expect(all.stdout).toMatch(/<body[^>]*data-visible-rows="6"/);
    expect((all.stdout.match(/<tr data-module=/g) ?? []).length).toBe(6);
    expect(all.stdout).toContain('<th colspan="2">linux</th>');
    const filtered = chromium(['--dump-dom', `${url}#selftest=gated`]);
    expect(filtered.stdout).toMatch(/<body[^>]*data-visible-rows="1"/);
    expect(filtered.stdout).toMatch(/<tr data-module="example\.com\/clean" data-problem="0" hidden="">/);
  }, 120_000);

  it('draws a page (screenshot)', () => {
    const file = path.join(tmp, 'page.html');
    fs.writeFileSync(file, renderAuditHtml(FIXED));
    const png = path.join(tmp, 'page.png');
    const r = chromium(['--window-size=1280,900', `--screenshot=${png}`, pathToFileURL(file).href]);
    expect(r.status, r.stderr).toBe(0);
    const buf = fs.readFileSync(png);
    expect(buf.subarray(1, 4).toString()).toBe('PNG');
    expect(buf.length).toBeGreaterThan(10_000); // a blank page is a few KB
  }, 120_000);
});
