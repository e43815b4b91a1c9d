package format

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/internal/safety"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// TestFormatCorpus formats every corpus file BuildKit parses (with the
// default indent and with --indent 2) and checks the formatter's promises
// independently of the safety net: the result parses; it is a fixed point;
// parser directives are the same; every comment line's text survives, in
// order, and BuildKit reads the same comments above each instruction;
// heredoc bodies and terminators are byte-identical; and every
// instruction has the same keyword, flags and arguments, shell text being
// compared as mvdan.cc/sh syntax trees; and the safety net accepts it. It
// reports how many files the formatter changes and how many it leaves
// partly alone. Every
// known instruction must be read as BuildKit reads it (see misread).
func TestFormatCorpus(t *testing.T) {
	var mu sync.Mutex
	var files, changed, verbatimFiles, unreadFiles, verbatim, unread int
	corpus.ForEach(t, func(name string, src []byte) {
		body, _ := bytes.CutPrefix(src, []byte("\xef\xbb\xbf"))
		f, err := dockerfile.Parse(name, body)
		if err != nil {
			return // rejected by BuildKit, or only comments: never formatted
		}
		for _, line := range misread(f) {
			t.Errorf("%s:%d: instruction read differently from BuildKit", name, line)
		}
		for _, indent := range []int{4, 2} {
			out, stats, _ := formatFile(f, indent)
			if err := checkFormatted(f, out, indent); err != nil {
				t.Errorf("%s (indent %d): %v\n%s", name, indent, err, udiff.Unified("in", "out", body, out))
				return
			}
			if indent != 4 {
				continue
			}
			mu.Lock()
			files++
			if !bytes.Equal(out, body) {
				changed++
			}
			if stats.verbatim > 0 {
				verbatimFiles++
				verbatim += stats.verbatim
			}
			if stats.unread > 0 {
				unreadFiles++
				unread += stats.unread
			}
			mu.Unlock()
		}
	})
	t.Logf("format: %d files, %d changed, %d unchanged", files, changed, files-changed)
	t.Logf("format: left alone: %d instructions kept verbatim in %d files; %d instructions with unread shell text (continuation lines kept) in %d files",
		verbatim, verbatimFiles, unread, unreadFiles)
}

// checkFormatted checks out, the formatted text of f, against f.
func checkFormatted(f *dockerfile.File, out []byte, indent int) error {
	g, err := dockerfile.Parse("formatted", out)
	if err != nil {
		return fmt.Errorf("the result does not parse: %v", err)
	}
	if again, _, _ := formatFile(g, indent); !bytes.Equal(again, out) {
		return fmt.Errorf("not idempotent:\n%s", udiff.Unified("first", "second", out, again))
	}
	if f.Escape != g.Escape || !maps.Equal(f.Directives, g.Directives) {
		return fmt.Errorf("directives changed: %v %q became %v %q", f.Directives, f.Escape, g.Directives, g.Escape)
	}
	if a, b := commentLines(f), commentLines(g); !slices.Equal(a, b) {
		return fmt.Errorf("comment lines differ:\n%q\n%q", a, b)
	}
	if len(f.Instructions) != len(g.Instructions) {
		return fmt.Errorf("%d instructions became %d", len(f.Instructions), len(g.Instructions))
	}
	for i, a := range f.Instructions {
		b := g.Instructions[i]
		if !slices.Equal(a.Node.PrevComment, b.Node.PrevComment) {
			return fmt.Errorf("comments above line %d read as %q became %q", a.Start, a.Node.PrevComment, b.Node.PrevComment)
		}
		if err := sameInstruction(a.Node, b.Node); err != nil {
			return fmt.Errorf("instruction at line %d: %v", a.Start, err)
		}
		x, y := f.Text(a.TextEnd+1, a.End), g.Text(b.TextEnd+1, b.End)
		if a.End == f.NumLines() {
			// The last line gains the final line ending.
			x, y = strings.TrimRight(x, "\r\n"), strings.TrimRight(y, "\r\n")
		}
		if x != y {
			return fmt.Errorf("heredoc bodies at line %d changed: %q became %q", a.Start, x, y)
		}
	}
	if !bytes.HasSuffix(out, []byte("\n")) || bytes.HasSuffix(out, []byte("\n\n")) || bytes.HasSuffix(out, []byte("\n\r\n")) {
		return errors.New("the result does not end in exactly one line ending")
	}
	// The safety net must agree (it is stricter on shell text that is not
	// run by a POSIX shell).
	if err := safety.VerifyFormat(safety.Of(f), safety.Of(g)); err != nil {
		return fmt.Errorf("the safety net rejects the result: %v", err)
	}
	return nil
}

// commentLines returns the text of every comment line outside heredoc
// bodies, in order.
func commentLines(f *dockerfile.File) []string {
	var out []string
	for i, l := range f.Lines() {
		if f.Kind(i+1) != dockerfile.LineHeredoc && dockerfile.IsCommentLine(l) {
			out = append(out, strings.TrimSpace(string(l)))
		}
	}
	return out
}

// sameInstruction compares two parsed instructions as BuildKit builds them:
// keyword (any case), flags, form, heredocs, and arguments, where shell text
// may differ only as far as its mvdan.cc/sh syntax tree is the same and
// FROM's AS only in case.
func sameInstruction(a, b *parser.Node) error {
	ka, kb := strings.ToLower(a.Value), strings.ToLower(b.Value)
	switch {
	case ka != kb:
		return fmt.Errorf("keyword %q became %q", a.Value, b.Value)
	case !slices.Equal(a.Flags, b.Flags):
		return fmt.Errorf("flags %q became %q", a.Flags, b.Flags)
	case a.Attributes["json"] != b.Attributes["json"]:
		return errors.New("exec form changed")
	case !slices.Equal(a.Heredocs, b.Heredocs):
		return fmt.Errorf("heredocs %+v became %+v", a.Heredocs, b.Heredocs)
	}
	var argsA, argsB []string
	for x, y := a.Next, b.Next; x != nil || y != nil; {
		if x == nil || y == nil {
			return errors.New("argument count changed")
		}
		if len(x.Children) > 0 || len(y.Children) > 0 {
			if len(x.Children) != 1 || len(y.Children) != 1 {
				return errors.New("ONBUILD trigger changed")
			}
			if err := sameInstruction(x.Children[0], y.Children[0]); err != nil {
				return fmt.Errorf("ONBUILD trigger: %v", err)
			}
		} else {
			argsA, argsB = append(argsA, x.Value), append(argsB, y.Value)
		}
		x, y = x.Next, y.Next
	}
	for i := range argsA {
		x, y := argsA[i], argsB[i]
		switch {
		case x == y:
		case ka == "from" && i == 1 && strings.EqualFold(x, "as") && strings.EqualFold(y, "as"):
		case ka == "healthcheck" && i == 0 && strings.EqualFold(x, y): // BuildKit upper-cases the type
		case !a.Attributes["json"] && isShellText(ka, i, argsA):
			px, okx := shell.Print(x, syntax.LangBash)
			py, oky := shell.Print(y, syntax.LangBash)
			if !okx || !oky || px != py {
				return fmt.Errorf("shell text %q became %q", x, y)
			}
		default:
			return fmt.Errorf("argument %q became %q", x, y)
		}
	}
	return nil
}

// isShellText reports whether argument i of an instruction is a shell
// command line (the single argument of a shell-form RUN, CMD, ENTRYPOINT,
// or of HEALTHCHECK CMD).
func isShellText(keyword string, i int, args []string) bool {
	switch keyword {
	case "run", "cmd", "entrypoint":
		return i == 0
	case "healthcheck":
		return i == 1 && strings.EqualFold(args[0], "cmd")
	}
	return false
}

func TestMain(m *testing.M) { corpus.Main(m) }
