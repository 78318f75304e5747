// syntax-verdict prints go/parser's verdict on each Go file named on stdin (one path a line):
// "ok" or the first error's line and message, tab-separated, in input order. It parses as gofmt -e
// does (comments, all errors, no object resolution), so only syntax errors count: type errors and
// build constraints are not its business. Used by test/syntax-corpus.test.ts.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		path := in.Text()
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(out, "%s\tread\t%v\n", path, err)
			continue
		}
		fset := token.NewFileSet()
		_, err = parser.ParseFile(fset, path, src, parser.ParseComments|parser.AllErrors|parser.SkipObjectResolution)
		if err == nil {
			fmt.Fprintf(out, "%s\tok\n", path)
			continue
		}
		var list scanner.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			e := list[0]
			fmt.Fprintf(out, "%s\t%d\t%s\n", path, e.Pos.Line, strings.ReplaceAll(e.Msg, "\t", " "))
			continue
		}
		fmt.Fprintf(out, "%s\terror\t%v\n", path, err)
	}
}
