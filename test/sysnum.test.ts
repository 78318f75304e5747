/** The raw system call tables: parsing zsysnum files, lookups, and byte-for-byte regeneration. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSysnumTable, generateSysnumTables, gorootVersion, parseSysnumFile, serializeSysnumTable, type SysnumTable } from '../src/sysnum/generate.js';
import { bundledSysnums } from '../src/sysnum/table.js';

const DATA = path.resolve(import.meta.dirname, '../data/sysnum');
const bundled = (f: string) => JSON.parse(fs.readFileSync(path.join(DATA, f), 'utf8')) as SysnumTable;

describe('zsysnum files', () => {
  it('reads SYS_ constants, not helpers, hex too', () => {
    const src = '// Code generated; DO NOT EDIT.\n\npackage unix\n\nconst (\n\tSYS_READ = 0 // { ssize_t read(int fd) }\n\tSYS_SYSCALL_BASE = 0\n\tSYS_WRITE  = 0x1\n\tSYS_X = SYS_READ + 1\n)\n';
    expect(parseSysnumFile(src)).toEqual({ READ: 0, WRITE: 1 });
  });

  it('names platforms by file name; a GOOS-only file is every port of it; output is sorted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goport-sysnum-'));
    fs.writeFileSync(path.join(dir, 'zsysnum_linux_arm64.go'), 'const (\n\tSYS_WRITE = 64\n\tSYS_READ = 63\n)\n');
    fs.writeFileSync(path.join(dir, 'zsysnum_plan9.go'), 'const (\n\tSYS_OPEN = 14\n)\n');
    fs.writeFileSync(path.join(dir, 'syscall_linux.go'), 'const SYS_NOT = 1\n');
    const t = buildSysnumTable(dir, 'test', 'syscall');
    expect(Object.keys(t.platforms).sort()).toEqual(['linux/arm64', 'plan9/386', 'plan9/amd64', 'plan9/arm']);
    expect(serializeSysnumTable(t).split('\n')[4]).toBe('    "linux/arm64": {"READ":63,"WRITE":64},');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('bundled tables', () => {
  const s = bundledSysnums();
  it('know the numbers of gettid on each linux architecture', () => {
    expect(s.number('linux/amd64', 'GETTID')).toBe(186);
    expect(s.number('linux/arm64', 'GETTID')).toBe(178);
    expect(s.number('linux/386', 'GETTID')).toBe(224);
    expect(s.names('linux/arm64', 186)).toEqual(['MSGGET']);
    expect(s.names('linux/amd64', 100000)).toEqual([]);
    expect(s.has('windows/amd64')).toBe(false);
    expect(s.declares('syscall', 'linux/amd64', 'GETTID')).toBe(true);
  });

  const goroot = ['/usr/lib/go-1.19', process.env.GOROOT].find((g) => g && fs.existsSync(path.join(g, 'VERSION')));
  const std = bundled('syscall.json').source;
  const sameStd = goroot !== undefined && gorootVersion(goroot) === std;
  it.skipIf(!sameStd)(`regenerates syscall.json from GOROOT (${std}) byte for byte`, () => {
    expect(generateSysnumTables(goroot!, undefined).get('syscall.json')).toBe(fs.readFileSync(path.join(DATA, 'syscall.json'), 'utf8'));
  });
  if (!sameStd) it('skips the GOROOT regeneration check', () => console.log(`no GOROOT with ${std} sources: syscall.json not regenerated`));

  const unix = bundled('unix.json').source; // golang.org/x/sys@vX
  const version = unix.slice(unix.indexOf('@') + 1);
  const cache = path.join(process.env.GOMODCACHE ?? path.join(os.homedir(), 'go/pkg/mod'), `golang.org/x/sys@${version}`);
  const xsys = process.env.GOPORT_XSYS ?? (fs.existsSync(cache) ? cache : undefined);
  it.skipIf(xsys === undefined || goroot === undefined)(`regenerates unix.json from x/sys ${version} byte for byte`, () => {
    expect(xsys!.endsWith(`@${version}`), 'GOPORT_XSYS names the bundled version').toBe(true);
    expect(generateSysnumTables(goroot!, xsys).get('unix.json')).toBe(fs.readFileSync(path.join(DATA, 'unix.json'), 'utf8'));
  });
  if (xsys === undefined) it('skips the x/sys regeneration check', () => console.log(`no x/sys ${version} source (set GOPORT_XSYS=DIR@${version}): unix.json not regenerated`));
});
