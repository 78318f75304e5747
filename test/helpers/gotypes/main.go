// Command gotypes prints go/types' type of every identifier use and selector operand of Go
// packages, for test/types-gotypes.test.ts: one line per expression,
//
//	IMPORTPATH/FILE:START:END<TAB>TYPE
//
// with byte offsets and types.TypeString qualified by package path. Only value expressions
// (variables, constants, functions, values) are printed. Standard-library imports are type-checked
// from GOROOT source for the GOOS/GOARCH given, with cgo off.
//
// Usage: gotypes -goos linux -goarch amd64 [-path IMPORTPATH=DIR]...
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

type pathFlags []string

func (p *pathFlags) String() string     { return strings.Join(*p, ",") }
func (p *pathFlags) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	goos := flag.String("goos", "linux", "GOOS")
	goarch := flag.String("goarch", "amd64", "GOARCH")
	var paths pathFlags
	flag.Var(&paths, "path", "IMPORTPATH=DIR of a package to check (its import path)")
	flag.Parse()
	build.Default.GOOS = *goos
	build.Default.GOARCH = *goarch
	build.Default.CgoEnabled = false
	// go/build's tool tags are the host's GOEXPERIMENT defaults (regabi on amd64 and arm64);
	// another GOARCH gets the defaults of no experiment rather than the host's.
	if *goarch != runtime.GOARCH {
		var tags []string
		for _, t := range build.Default.ToolTags {
			if !strings.HasPrefix(t, "goexperiment.regabi") {
				tags = append(tags, t)
			}
		}
		build.Default.ToolTags = tags
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	var out []string
	for _, pd := range paths {
		i := strings.IndexByte(pd, '=')
		path, dir := pd[:i], pd[i+1:]
		lines, err := check(fset, imp, path, dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
			os.Exit(1)
		}
		out = append(out, lines...)
	}
	sort.Strings(out)
	fmt.Println(strings.Join(out, "\n"))
}

func check(fset *token.FileSet, imp types.Importer, path, dir string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	bp, err := build.Default.ImportDir(abs, 0)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(abs, name), nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: imp, Sizes: types.SizesFor("gc", build.Default.GOARCH), FakeImportC: true}
	if _, err := conf.Check(path, fset, files, info); err != nil {
		return nil, err
	}
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
	return lines, nil
}
