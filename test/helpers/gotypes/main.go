// Command gotypes prints go/types' type of every identifier use and selector operand of Go
// packages, for test/types-gotypes.test.ts: one line per expression,
//
//	IMPORTPATH/FILE:START:END<TAB>TYPE
//
// with byte offsets and types.TypeString qualified by package path. Only value expressions
// (variables, constants, functions, values) are printed. Imports are type-checked from source
// (GOROOT, or a -path directory) for the GOOS/GOARCH given, with cgo off, each package once: the
// packages asked for are checked with their records kept, whether asked for or imported first.
// A package directory with no Go files for the GOOS/GOARCH prints nothing.
//
// Usage: gotypes -goos linux -goarch amd64 [-path IMPORTPATH=DIR]... [-paths FILE]
//
// FILE holds more IMPORTPATH=DIR lines.
package main

import (
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type pathFlags []string

func (p *pathFlags) String() string     { return strings.Join(*p, ",") }
func (p *pathFlags) Set(s string) error { *p = append(*p, s); return nil }

// loader checks packages from source, once each.
type loader struct {
	fset  *token.FileSet
	sizes types.Sizes
	// dirs: the packages asked for, import path → directory.
	dirs  map[string]string
	pkgs  map[string]*types.Package
	infos map[string]*types.Info
	files map[string][]*ast.File
	busy  map[string]bool
}

var errNoGo = errors.New("no Go files")

func (l *loader) ImportFrom(path, srcDir string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if path == "C" {
		return nil, errors.New(`import "C" with cgo off`)
	}
	if _, ok := l.dirs[path]; ok {
		return l.load(path, l.dirs[path])
	}
	bp, err := build.Default.Import(path, srcDir, build.FindOnly)
	if err != nil {
		return nil, err
	}
	return l.load(bp.ImportPath, bp.Dir)
}

func (l *loader) Import(path string) (*types.Package, error) { return l.ImportFrom(path, "", 0) }

func (l *loader) load(path, dir string) (*types.Package, error) {
	if p, ok := l.pkgs[path]; ok {
		if p == nil {
			return nil, errNoGo
		}
		return p, nil
	}
	if l.busy[path] {
		return nil, fmt.Errorf("import cycle through %s", path)
	}
	l.busy[path] = true
	defer delete(l.busy, path)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	bp, err := build.Default.ImportDir(abs, 0)
	if _, none := err.(*build.NoGoError); none {
		l.pkgs[path] = nil
		return nil, errNoGo
	}
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(l.fset, filepath.Join(abs, name), nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var info *types.Info
	if _, asked := l.dirs[path]; asked {
		info = &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	}
	conf := types.Config{Importer: l, Sizes: l.sizes, FakeImportC: true}
	p, err := conf.Check(path, l.fset, files, info)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	l.pkgs[path] = p
	if info != nil {
		l.infos[path] = info
		l.files[path] = files
	}
	return p, nil
}

func main() {
	goos := flag.String("goos", "linux", "GOOS")
	goarch := flag.String("goarch", "amd64", "GOARCH")
	var paths pathFlags
	flag.Var(&paths, "path", "IMPORTPATH=DIR of a package to check (its import path)")
	pathsFile := flag.String("paths", "", "a file of IMPORTPATH=DIR lines")
	flag.Parse()
	if *pathsFile != "" {
		b, err := os.ReadFile(*pathsFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				paths = append(paths, l)
			}
		}
	}
	build.Default.GOOS = *goos
	build.Default.GOARCH = *goarch
	build.Default.CgoEnabled = false
	// go/build's tool tags are the toolchain's GOEXPERIMENT defaults for the host (regabi,
	// greenteagc, jsonv2…); goport's build context sets no goexperiment tag, so neither does this:
	// both sides compile the same files.
	var tags []string
	for _, t := range build.Default.ToolTags {
		if !strings.HasPrefix(t, "goexperiment.") {
			tags = append(tags, t)
		}
	}
	build.Default.ToolTags = tags
	l := &loader{
		fset: token.NewFileSet(), sizes: types.SizesFor("gc", *goarch), dirs: map[string]string{},
		pkgs: map[string]*types.Package{}, infos: map[string]*types.Info{}, files: map[string][]*ast.File{}, busy: map[string]bool{},
	}
	var order []string
	for _, pd := range paths {
		i := strings.IndexByte(pd, '=')
		l.dirs[pd[:i]] = pd[i+1:]
		order = append(order, pd[:i])
	}
	var out []string
	for _, path := range order {
		if _, err := l.load(path, l.dirs[path]); err != nil && err != errNoGo {
			fmt.Fprintf(os.Stderr, "%s: %v\n", l.dirs[path], err)
			os.Exit(1)
		}
		if info := l.infos[path]; info != nil {
			out = append(out, lines(l.fset, path, l.files[path], info)...)
		}
	}
	sort.Strings(out)
	fmt.Println(strings.Join(out, "\n"))
}

func lines(fset *token.FileSet, path string, files []*ast.File, info *types.Info) []string {
	qual := func(p *types.Package) string { return p.Path() }
	isValue := func(tv types.TypeAndValue) bool {
		return tv.IsValue() && !tv.IsType() && !tv.IsBuiltin() && tv.Type != nil
	}
	var lines []string
	emit := func(e ast.Expr) {
		tv, ok := info.Types[e]
		if !ok || !isValue(tv) {
			return
		}
		p := fset.Position(e.Pos())
		q := fset.Position(e.End())
		rel := filepath.Base(p.Filename)
		lines = append(lines, fmt.Sprintf("%s/%s:%d:%d\t%s", path, rel, p.Offset, q.Offset, types.TypeString(tv.Type, qual)))
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				emit(n)
			case *ast.SelectorExpr:
				if _, isIdent := n.X.(*ast.Ident); !isIdent {
					emit(n.X)
				}
			}
			return true
		})
	}
	return lines
}
