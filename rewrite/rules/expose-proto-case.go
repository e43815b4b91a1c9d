package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// ExposeProtoCase lower-cases the protocol of an EXPOSE port. BuildKit
// stores every exposed port as "PORT/"+strings.ToLower(proto)
// (dockerfile2llb portSpecs.parsePort), so the image config is the same.
var ExposeProtoCase = &rule.Rule{
	Name: "expose-proto-case",
	Doc: `write EXPOSE protocols in lower case

BuildKit lower-cases the protocol of each exposed port (80/TCP is stored as
80/tcp) and warns (ExposeProtoCasing). The protocol is written in lower
case.`,
	URL:      pageURL + "expose-proto-case.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleExposeProtoCasing.Name},
	Run:      runExposeProtoCase,
}

func runExposeProtoCase(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		var spans []span
		var words []string
		for _, w := range exposeWords(f, in) {
			port, proto, ok := strings.Cut(w.text, "/")
			if !ok || proto == strings.ToLower(proto) || strings.ContainsAny(w.text, "$\"'\\`") {
				continue
			}
			spans = append(spans, span{w.line, w.lo + len(port) + 1, w.hi, strings.ToLower(proto)})
			words = append(words, "`"+w.text+"`")
		}
		if len(spans) == 0 {
			continue
		}
		p.Report(in, rule.Warning, fmt.Sprintf("EXPOSE %s: BuildKit stores the protocol in lower case", strings.Join(words, ", ")),
			&rule.Fix{Message: "lower-case the protocol", Safety: rule.Safe, Edits: []dockerfile.Edit{editSpans(f, in, spans)}})
	}
}

// exposeWord is one word of an EXPOSE instruction where it is written.
type exposeWord struct {
	line, lo, hi int
	text         string
}

// exposeWords returns the words of an EXPOSE (not a trigger) where they
// are written, when they are exactly BuildKit's arguments; nil otherwise.
func exposeWords(f *dockerfile.File, in *dockerfile.Instruction) []exposeWord {
	if in.Keyword != "expose" || len(in.Flags()) > 0 {
		return nil
	}
	var out []exposeWord
	for _, n := range textLines(f, in) {
		l := f.Line(n)
		fs := fields(l)
		if n == in.Start {
			fs = fs[1:]
		}
		for _, fl := range fs {
			w := string(l[fl.lo:fl.hi])
			if w == string(f.Escape) {
				continue
			}
			out = append(out, exposeWord{n, fl.lo, fl.hi, strings.TrimSuffix(w, string(f.Escape))})
			if strings.HasSuffix(w, string(f.Escape)) {
				out[len(out)-1].hi--
			}
		}
	}
	args := in.Args()
	if len(args) != len(out) {
		return nil
	}
	for i := range args {
		if args[i] != out[i].text {
			return nil
		}
	}
	return out
}
