/** The string-literals extractor behind hardcoded-platform: platform names in strings and their context. */
import { describe, expect, it } from 'vitest';
import { parseGoFile } from '../src/parser/parse.js';
import { platformTokens, stringLiterals, type PlatformStringFact } from '../src/parser/extractors/string-literals.js';

const tokens = (s: string) => platformTokens(s).map((t) => (t.os ? `${t.os}/${t.name}` : `${t.kind}:${t.name}`));

function facts(src: string) {
  const f = parseGoFile(src, 'x.go', { extractors: [stringLiterals] });
  return f.extra.platformLiterals ?? { strings: [], syscalls: [] };
}

/** The fact of the literal with this value, without its span. */
function lit(src: string, value: string): Omit<PlatformStringFact, 'span'> {
  const f = facts(src).strings.find((s) => s.value === value);
  if (!f) throw new Error(`no fact for ${value}`);
  const { span: _span, ...rest } = f;
  return rest;
}

describe('platformTokens', () => {
  it('finds GOARCH names and their aliases as whole words', () => {
    expect(tokens('amd64')).toEqual(['arch:amd64']);
    expect(tokens('k8s.gcr.io/pause-amd64:3.1')).toEqual(['arch:amd64']);
    expect(tokens('GOARCH=arm64 go build')).toEqual(['arch:arm64']);
    expect(tokens('x86_64')).toEqual(['arch:amd64']);
    expect(tokens('qemu-system-aarch64')).toEqual(['arch:arm64']);
    expect(tokens('armhf armv7l arm32v7 i686 i386 ppc64el')).toEqual(['arch:arm', 'arch:arm', 'arch:arm', 'arch:386', 'arch:386', 'arch:ppc64le']);
    expect(tokens('cri-dockerd-%s.amd64.tgz')).toEqual(['arch:amd64']);
  });

  it('folds a GOOS written before an arch into a pair', () => {
    expect(tokens('linux/amd64')).toEqual(['linux/amd64']);
    expect(tokens('bin/darwin-arm64/kubectl')).toEqual(['darwin/arm64']);
    expect(tokens('tool_windows_386.exe')).toEqual(['windows/386']);
    expect(tokens('macos-arm64')).toEqual(['darwin/arm64']);
    expect(tokens('js/wasm')).toEqual(['js/wasm']);
    expect(tokens('linux amd64')).toEqual(['os:linux', 'arch:amd64']);
    expect(tokens('x86_64-linux-gnu')).toEqual(['arch:amd64', 'os:linux']);
  });

  it('ignores look-alikes', () => {
    expect(tokens('alarm farm arm64v9 amd64x')).toEqual([]);
    expect(tokens('application/wasm')).toEqual([]);
    expect(tokens('main.js')).toEqual([]);
    expect(tokens('version 1.386 and 386.5')).toEqual([]);
    expect(tokens('AMD64')).toEqual([]);
  });
});

describe('string-literals extractor', () => {
  it('records only literals that name an architecture', () => {
    const f = facts('package p\nvar a, b, c = "linux", "amd64", "hello"\n');
    expect(f.strings.map((s) => s.value)).toEqual(['amd64']);
  });

  it('tells comparisons, case values, tags and imports apart', () => {
    const src = `package p
import "runtime"
type T struct { A string \`json:"amd64"\` }
func f(arch string) {
	if runtime.GOARCH == "arm64" {}
	if arch != ("s390x") {}
	switch arch { case "ppc64le": }
}
`;
    expect(lit(src, 'json:"amd64"').role).toBe('tag');
    expect(lit(src, 'arm64')).toMatchObject({ role: 'compare', other: 'runtime.GOARCH' });
    expect(lit(src, 's390x')).toMatchObject({ role: 'compare', other: 'arch' });
    expect(lit(src, 'ppc64le').role).toBe('case');
  });

  it('names the calls around a literal, its key, the name it initializes and the function', () => {
    const src = `package p
import ("fmt"; "errors")
type Pod struct { Image string }
const defaultArch = "amd64"
func (c *Client) Make(v string) (Pod, error) {
	img := fmt.Sprintf("registry.k8s.io/pause-arm64:%s", v)
	_ = img
	return Pod{Image: "quay.io/x-s390x"}, errors.New(fmt.Sprint("no ppc64le image"))
}
`;
    expect(lit(src, 'amd64')).toMatchObject({ role: 'value', decl: 'defaultArch' });
    expect(lit(src, 'registry.k8s.io/pause-arm64:%s')).toMatchObject({ calls: ['fmt.Sprintf'], arg: [0, 2], decl: 'img', func: 'Client.Make' });
    expect(lit(src, 'quay.io/x-s390x')).toMatchObject({ key: 'Image', func: 'Client.Make' });
    expect(lit(src, 'no ppc64le image').calls).toEqual(['fmt.Sprint', 'errors.New']);
  });

  it('marks branches that test the platform, and counts platforms per lookup table', () => {
    const src = `package p
import "runtime"
var images = map[string]string{"amd64": "pause-amd64", "arm64": "pause-arm64"}
var list = []string{"amd64"}
func uname() string {
	if runtime.GOARCH == "arm64" {
		return "aarch64"
	} else if isPPC() {
		return "ppc64le"
	}
	return "x86_64"
}
func enumerate() []string { return []string{"linux-amd64.tar.gz"}[:0:0] }
func enumerate2() (a, b string) { a = "x-amd64"; b = "x-arm64"; return }
`;
    expect(lit(src, 'aarch64').guarded).toBe(true);
    expect(lit(src, 'ppc64le').guarded).toBe(true);
    expect(lit(src, 'x86_64').guarded).toBeUndefined();
    expect(lit(src, 'x86_64').table).toBe(0); // uname reads runtime.GOARCH: it chooses, it is no table
    expect(lit(src, 'pause-amd64')).toMatchObject({ table: 2, keyedByPlatform: true });
    expect(lit(src, 'amd64').listed).toBeUndefined(); // a key, not a listed element
    const listed = facts(src).strings.filter((s) => s.value === 'amd64' && s.listed);
    expect(listed).toHaveLength(1);
    expect(lit(src, 'linux-amd64.tar.gz').table).toBe(1);
    expect(lit(src, 'x-amd64').table).toBe(2); // a function that names two architectures enumerates them
  });

  it('records integer trap numbers of raw system calls', () => {
    const src = `package p
import ("syscall"; sys "golang.org/x/sys/unix")
func f() {
	syscall.Syscall(39, 0, 0, 0)
	sys.RawSyscall6(uintptr(0xea), 0, 0, 0, 0, 0, 0)
	syscall.Syscall(syscall.SYS_GETPID, 0, 0, 0)
	other.Syscall(1, 0, 0, 0)
}
`;
    expect(facts(src).syscalls.map(({ fn, number }) => `${fn}(${number})`)).toEqual(['syscall.Syscall(39)', 'sys.RawSyscall6(0xea)']);
  });

  it('skips literals longer than the limit', () => {
    const long = `amd64 ${'x'.repeat(600)}`;
    expect(facts(`package p\nvar s = "${long}"\n`).strings).toEqual([]);
  });
});
