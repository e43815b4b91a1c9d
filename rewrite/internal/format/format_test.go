package format

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

func formatString(t *testing.T, src string, indent int) string {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	out, _, _ := formatFile(f, indent)
	if err := checkFormatted(f, out, indent); err != nil {
		t.Fatalf("format %q: %v", src, err)
	}
	return string(out)
}

// TestFormatCases covers single points of the layout; the golden cases in
// golden/format show whole files.
func TestFormatCases(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"keyword case", "from a\nrun x\n", "FROM a\nRUN x\n"},
		{"stage name keeps its case", "FROM a as Build\n", "FROM a AS Build\n"},
		{"as as an image name", "FROM as\n", "FROM as\n"},
		{"as on the next line", "FROM a \\\n  as b\n", "FROM a \\\n    AS b\n"},
		{"unknown instruction verbatim", "FROM a\n  foo   bar  \n", "FROM a\n  foo   bar  \n"},
		{"tab after keyword", "FROM a\nRUN\tx\n", "FROM a\nRUN x\n"},
		{"vertical tab after keyword kept", "FROM a\nRUN\v x\n", "FROM a\nRUN\v x\n"},
		{"keyword then continuation", "FROM a\nRUN \\\n  x\n", "FROM a\nRUN \\\n    x\n"},
		{"keyword glued to continuation", "FROM a\nRU\\\nN x\n", "FROM a\nRU\\\nN x\n"},
		{"lone escape first line", "FROM a\n\\\nRUN x\n", "FROM a\n\\\nRUN x\n"},
		{"glued break kept", "FROM a\nRUN echo a\\\nb\n", "FROM a\nRUN echo a\\\nb\n"},
		{"break after blank re-indented", "FROM a\nRUN echo a \\\nb\n", "FROM a\nRUN echo a \\\n    b\n"},
		{"break in double quotes kept", "FROM a\nRUN echo \"a \\\n  b\"\n", "FROM a\nRUN echo \"a \\\n  b\"\n"},
		{"break in single quotes kept", "FROM a\nRUN echo 'a \\\n  b'\n", "FROM a\nRUN echo 'a \\\n  b'\n"},
		{"break in ANSI-C quotes kept", "FROM a\nRUN echo $'a \\\n  b'\n", "FROM a\nRUN echo $'a \\\n  b'\n"},
		{"break in a shell comment kept", "FROM a\nRUN x # c \\\n  d\n", "FROM a\nRUN x # c \\\n  d\n"},
		{"break in command substitution", "FROM a\nRUN x=$(a \\\n  b)\n", "FROM a\nRUN x=$(a \\\n    b)\n"},
		{"break in backquotes", "FROM a\nRUN x=`a \\\n  b`\n", "FROM a\nRUN x=`a \\\n    b`\n"},
		{"break in parameter expansion kept", "FROM a\nRUN echo ${x:-a \\\n  b}\n", "FROM a\nRUN echo ${x:-a \\\n  b}\n"},
		{"escaped blank at break kept", "FROM a\nRUN echo a\\ \\\n  b\n", "FROM a\nRUN echo a\\ \\\n  b\n"},
		{"shell that does not parse", "FROM a\nRUN echo ( \\\n  b\n", "FROM a\nRUN echo ( \\\n  b\n"},
		{"heredoc shell kept", "FROM a\nRUN cat <<EOF \\\n  > /x\nhi\nEOF\n", "FROM a\nRUN cat <<EOF \\\n  > /x\nhi\nEOF\n"},
		{"heredoc flags re-indented", "FROM a\nRUN --network=none \\\n  <<EOF\nhi\nEOF\n", "FROM a\nRUN --network=none \\\n    <<EOF\nhi\nEOF\n"},
		{"quoted flag blanks kept", "FROM a\nRUN --mount=\"a  b\"   x\n", "FROM a\nRUN --mount=\"a  b\" x\n"},
		{"escaped flag blank kept", "FROM a\nRUN --mount=a\\  x\n", "FROM a\nRUN --mount=a\\  x\n"},
		{"flag in quotes across lines kept", "FROM a\nRUN --mount=\"a \\\n  b\" x\n", "FROM a\nRUN --mount=\"a \\\n  b\" x\n"},
		{"env quoted across lines kept", "FROM a\nENV A=\"x \\\n  y\" \\\n  B=1\n", "FROM a\nENV A=\"x \\\n  y\" \\\n    B=1\n"},
		{"env escaped quote", "FROM a\nENV A=\\\"x \\\n  B=\\\"\n", "FROM a\nENV A=\\\"x \\\n    B=\\\"\n"},
		{"legacy env value kept", "FROM a\nENV A   x  \\\n  y\n", "FROM a\nENV A   x  \\\n  y\n"},
		{"legacy env one line", "FROM a\nENV A   x  y\n", "FROM a\nENV A x  y\n"},
		{"legacy env escaped blank", "ENV \\  =\n", "ENV \\  =\n"},
		{"tab keeps an array invalid", "FROM a\nCOPY   [\"a\tb\"]   /c\n", "FROM a\nCOPY [\"a\tb\"]   /c\n"},
		{"invalid array across lines", "FROM a\nCMD [\"a\",\t\\\n  \"b\",]\n", "FROM a\nCMD [\"a\",\t\\\n  \"b\",]\n"},
		{"workdir blanks kept", "FROM a\nWORKDIR /a \\\n  b\n", "FROM a\nWORKDIR /a \\\n  b\n"},
		{"user blanks kept", "FROM a\nUSER  a   b\n", "FROM a\nUSER a   b\n"},
		{"expose re-indented", "FROM a\nEXPOSE 1 \\\n 2\n", "FROM a\nEXPOSE 1 \\\n    2\n"},
		{"copy quotes mean nothing", "FROM a\nCOPY \"a \\\n  b\" /c\n", "FROM a\nCOPY \"a \\\n    b\" /c\n"},
		{"json joined", "FROM a\nCMD [\"a\", \\\n  \"b\"]\n", "FROM a\nCMD [\"a\", \"b\"]\n"},
		{"json string across lines joined", "FROM a\nCMD [\"a \\\n  b\"]\n", "FROM a\nCMD [\"a   b\"]\n"},
		{"json with comment kept", "FROM a\nCMD [\"a \\\n# c\n  b\"]\n", "FROM a\nCMD [\"a \\\n# c\n  b\"]\n"},
		{"json invalid utf-8 kept", "FROM a\nCMD [ \"\xff\" ]\n", "FROM a\nCMD [ \"\xff\" ]\n"},
		{"pseudo json untouched", "FROM a\nCMD [ 'a' ]\n", "FROM a\nCMD [ 'a' ]\n"},
		{"json empty", "FROM a\nCMD [ ]\n", "FROM a\nCMD []\n"},
		{"healthcheck type upper case", "FROM a\nHEALTHCHECK cmd [ \"x\" ]\n", "FROM a\nHEALTHCHECK CMD [\"x\"]\n"},
		{"healthcheck type none", "FROM a\nHEALTHCHECK none\n", "FROM a\nHEALTHCHECK NONE\n"},
		{"healthcheck type split over lines kept", "FROM a\nHEALTHCHECK c\\\nmd x\n", "FROM a\nHEALTHCHECK c\\\nmd x\n"},
		{"onbuild onbuild", "FROM a\nonbuild onbuild run x\n", "FROM a\nONBUILD onbuild run x\n"},
		{"onbuild unknown", "FROM a\nonbuild  foo  x\n", "FROM a\nONBUILD foo  x\n"},
		{"indented directive in header", "# syntax=x\n  # escape=`\nFROM a\n", "# syntax=x\n  # escape=`\nFROM a\n"},
		{"empty continuation line dropped", "FROM a\nRUN a \\\n\n  b\n", "FROM a\nRUN a \\\n    b\n"},
		{"blank-only continuation dropped", "FROM a\nRUN a \\\n \t \n  b\n", "FROM a\nRUN a \\\n    b\n"},
		{"blank lines collapsed", "FROM a\n\n\n\nRUN b\n\n\n", "FROM a\n\nRUN b\n"},
		{"leading blank before directive kept", "\n\n# syntax=x\nFROM a\n", "\n# syntax=x\nFROM a\n"},
		{"leading blank before bad directive kept", "\n#escape=x\nFROM a\n", "\n#escape=x\nFROM a\n"},
		{"leading blank before plain comment dropped", "\n# hello=world\nFROM a\n", "# hello=world\nFROM a\n"},
		{"directive header verbatim", "  # syntax = x  \nFROM a\n", "  # syntax = x  \nFROM a\n"},
		{"comment after header", "# syntax=x\n  # hello  \nFROM a\n", "# syntax=x\n  # hello\nFROM a\n"},
		{"indented check comment keeps its place", "FROM a\n  # check=skip=JSONArgsRecommended\nCMD x\n", "FROM a\n  # check=skip=JSONArgsRecommended\nCMD x\n"},
		{"indented bare hash", "# a\n  #\nFROM a\n", "# a\n  #\nFROM a\n"},
		{"shebang is a comment", "#!/usr/bin/env docker  \nFROM a\n", "#!/usr/bin/env docker\nFROM a\n"},
		{"final newline added", "FROM a", "FROM a\n"},
		{"final newline crlf", "FROM a\r\nRUN b", "FROM a\r\nRUN b\r\n"},
		{"bare carriage return at the end", "FROM a\r", "FROM a\n"},
		{"extra carriage returns kept", "FROM a\r\r\nRUN b\r\n", "FROM a\r\r\nRUN b\r\n"},
		{"carriage return inside a comment", "# a\rb  \nFROM a\n", "# a\rb  \nFROM a\n"},
		{"non-breaking space before keyword", "\u00a0RUN x\n", "RUN x\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := formatString(t, c.in, 4); got != c.want {
				t.Errorf("Format(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// TestFormatBacktickEscape checks a backtick-escape file: the backtick
// continues lines, a backslash is an ordinary character.
func TestFormatBacktickEscape(t *testing.T) {
	in := "# escape=`\nFROM a\nrun   dir C:\\ `\n  /s\nENV A=1 `\n  B=C:\\\nworkdir C:\\app\\\n"
	want := "# escape=`\nFROM a\nRUN dir C:\\ `\n  /s\nENV A=1 `\n    B=C:\\\nWORKDIR C:\\app\\\n"
	if got := formatString(t, in, 4); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestFormatReadsWhatBuildKitReads runs the formatter's readers over every
// instruction of the golden inputs (TestFormatCorpus does the same over the
// corpus): each known instruction must be read as BuildKit reads it
// (keyword, flag count), so none is left verbatim for lack of
// understanding.
func TestFormatReadsWhatBuildKitReads(t *testing.T) {
	goldens, _ := filepath.Glob(filepath.Join(corpus.Root(), "golden", "*", "*.in.Dockerfile"))
	for _, p := range goldens {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(p, bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))
		if err != nil {
			continue
		}
		for _, line := range misread(f) {
			t.Errorf("%s:%d: instruction read differently from BuildKit", p, line)
		}
	}
}

// misread returns the first lines of f's known instructions that the
// formatter's readers do not read as BuildKit does. Instructions left
// verbatim on purpose (a carriage return inside a line, a keyword after a
// lone escape line) do not count.
func misread(f *dockerfile.File) []int {
	var out []int
	fm := &formatter{f: f, pad: []byte("    ")}
	for _, in := range f.Instructions {
		if !dockerfile.IsInstruction(in.Keyword) || carriageReturnInside(f, in) || loneEscapeFirst(f, in) {
			continue
		}
		if !fm.readLogical(in) || !fm.analyse(in) {
			out = append(out, in.Start)
		}
	}
	return out
}

func carriageReturnInside(f *dockerfile.File, in *dockerfile.Instruction) bool {
	for n := in.Start; n <= in.TextEnd; n++ {
		if bytes.IndexByte(dockerfile.LineBody(f.Line(n)), '\r') >= 0 {
			return true
		}
	}
	return false
}

func loneEscapeFirst(f *dockerfile.File, in *dockerfile.Instruction) bool {
	l := bytes.TrimSpace(f.Line(in.Start))
	return len(l) == 1 && l[0] == f.Escape
}

// FuzzFormat checks the formatter's promises (see checkFormatted) on
// arbitrary input BuildKit parses.
func FuzzFormat(f *testing.F) {
	goldens, _ := filepath.Glob(filepath.Join(corpus.Root(), "golden", "*", "*.in.Dockerfile"))
	for _, p := range goldens {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, uint8(4))
	}
	for _, s := range []string{
		"FROM a\nRUN a\\\n\\\n  b\n",
		"FROM a\nRUN --x='a\\'  b' <<EOF\nx\nEOF\n",
		"FROM a\nCMD [\"a\",\\\n\"b\"]\n",
		"\n\n#escape=`\nFROM a\nRUN a `\n  b\n",
	} {
		f.Add([]byte(s), uint8(2))
	}
	f.Fuzz(func(t *testing.T, src []byte, indent uint8) {
		if bytes.IndexByte(src, 0) >= 0 {
			return
		}
		body := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
		file, err := dockerfile.Parse("fuzz", body)
		if err != nil {
			return
		}
		n := int(indent % 9)
		out, _, _ := formatFile(file, n)
		if n == 0 {
			n = 4
		}
		if err := checkFormatted(file, out, n); err != nil {
			t.Fatalf("%v\ninput: %q\noutput: %q", err, body, out)
		}
	})
}

// corpusSources reads the corpus files BuildKit parses.
func corpusSources(b *testing.B) (names []string, srcs [][]byte, files []*dockerfile.File) {
	for _, p := range corpus.Files(b) {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := bytes.CutPrefix(src, []byte("\xef\xbb\xbf"))
		f, err := dockerfile.Parse(p, body)
		if err != nil {
			continue
		}
		names, srcs, files = append(names, p), append(srcs, src), append(files, f)
	}
	return names, srcs, files
}

// BenchmarkFormat formats every corpus file BuildKit parses (parsed
// beforehand): the formatter's own cost. Compare files/s with
// BenchmarkFormatParse, the cost of parsing the same files once.
func BenchmarkFormat(b *testing.B) {
	_, srcs, files := corpusSources(b)
	size := 0
	for _, s := range srcs {
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	cpu := corpus.CPUTime()
	for b.Loop() {
		for _, f := range files {
			Format(f, 4)
		}
	}
	reportRate(b, len(files), cpu)
}

// BenchmarkFormatFormatted formats files that are formatted already, as an
// editor's format-on-save mostly does.
func BenchmarkFormatFormatted(b *testing.B) {
	names, _, files := corpusSources(b)
	var formatted []*dockerfile.File
	for i, f := range files {
		out, _ := Format(f, 4)
		g, err := dockerfile.Parse(names[i], out)
		if err != nil {
			b.Fatal(err)
		}
		formatted = append(formatted, g)
	}
	b.ReportAllocs()
	cpu := corpus.CPUTime()
	for b.Loop() {
		for _, f := range formatted {
			Format(f, 4)
		}
	}
	reportRate(b, len(formatted), cpu)
}

// BenchmarkFormatParse parses the same files with BuildKit's parser: the
// floor any run over them pays.
func BenchmarkFormatParse(b *testing.B) {
	names, srcs, _ := corpusSources(b)
	b.ReportAllocs()
	cpu := corpus.CPUTime()
	for b.Loop() {
		for i, s := range srcs {
			body, _ := bytes.CutPrefix(s, []byte("\xef\xbb\xbf"))
			dockerfile.Parse(names[i], body)
		}
	}
	reportRate(b, len(srcs), cpu)
}

// reportRate reports files per second of wall time, and the CPU time per
// run (user and system, all threads), which a busy machine disturbs less.
func reportRate(b *testing.B, files int, cpuBefore time.Duration) {
	b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric((corpus.CPUTime()-cpuBefore).Seconds()*1e3/float64(b.N), "cpu-ms/op")
}

// TestFormatGenerated formats Dockerfiles generated from pieces chosen to
// hit the readers' edge cases (quotes, escapes, tabs, Unicode blanks,
// breaks glued or not, comments and empty lines inside continuations,
// heredocs, directives, CRLF) and checks each result with checkFormatted.
// The generator is seeded, so a failure names a reproducible case.
func TestFormatGenerated(t *testing.T) {
	keywords := []string{"RUN", "run", "Cmd", "ENTRYPOINT", "ENV", "label", "ARG", "COPY", "ADD", "FROM", "EXPOSE",
		"VOLUME", "USER", "WORKDIR", "SHELL", "HEALTHCHECK", "HEALTHCHECK CMD", "ONBUILD RUN", "onbuild copy",
		"STOPSIGNAL", "MAINTAINER", "bogus"}
	words := []string{"a", `"a b"`, `'c  d'`, "x=1", `y="p  q"`, `\ `, `\\`, "$x", "${x:-a  b}", "&&", ";", "|",
		"#c", "[", "]", `["a", "b"]`, `[ "x" ]`, "--f", "--mount=type=cache", `--x="q r"`, "<<EOF", "<<-'E'", "=",
		"\t", "\u00a0", "`", "é", "AS", "as", "--", "$(a  b)", "`a  b`", `"x`, `y"`, "'", "\"\t\"", "C:\\"}
	seps := []string{" ", "  ", "\t", " \\\n", "\\\n", " \\\n    ", "\\\n  ", " \\\n# c\n  ", " \\\n\n  ",
		" \\ \n", " `\n  ", "\\\n\\\n  ", " \\\n \t\n\t"}
	heads := []string{"", "# escape=`\n", "# syntax=x\n", "\n# escape=`\n", "\n\n", "  # c\n"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	parsed := 0
	for i := range 4000 {
		var b strings.Builder
		b.WriteString(pick(heads))
		for range 1 + rng.IntN(4) {
			b.WriteString(pick(keywords))
			heredoc := false
			for range rng.IntN(7) {
				w := pick(words)
				heredoc = heredoc || strings.HasPrefix(w, "<<")
				b.WriteString(pick(seps) + w)
			}
			b.WriteString(pick([]string{"\n", "  \n", "\n\n", "\n# end\n"}))
			if heredoc {
				b.WriteString("body  \n\tE\nEOF\nE\n")
			}
		}
		src := b.String()
		if rng.IntN(4) == 0 {
			src = strings.ReplaceAll(src, "\n", "\r\n")
		}
		if rng.IntN(4) == 0 {
			src = strings.TrimRight(src, "\r\n")
		}
		f, err := dockerfile.Parse("Dockerfile", []byte(src))
		if err != nil {
			continue
		}
		parsed++
		for _, indent := range []int{4, 2} {
			out, _, _ := formatFile(f, indent)
			if err := checkFormatted(f, out, indent); err != nil {
				t.Fatalf("case %d (indent %d): %v\ninput:  %q\noutput: %q", i, indent, err, src, out)
			}
		}
	}
	if parsed < 1000 {
		t.Fatalf("only %d of the generated files parse", parsed)
	}
}

// TestLongArrayKeepsItsLines formats a COPY of thousands of files written
// as a multi-line exec-form array: joined, its line would be over the
// 65,535 bytes BuildKit reads, so it must keep its lines and parse.
func TestLongArrayKeepsItsLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM a\nCOPY [")
	for i := range 6000 {
		fmt.Fprintf(&b, "\"src/generated/file-%05d.txt\", \\\n     ", i)
	}
	b.WriteString("\"/app/\"]\n")
	f, err := dockerfile.Parse("Dockerfile", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := Format(f, 4)
	if _, err := dockerfile.Parse("formatted", out); err != nil {
		t.Fatalf("the formatted file does not parse: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if len(l) >= maxLine {
			t.Fatalf("a line of %d bytes", len(l))
		}
	}
}
