package rewrite

import (
	"errors"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// engineTestRules drive the golden cases in golden/engine, which test the
// driver rather than any real rule. The test-edit rule edits shell-form
// RUN, CMD and ENTRYPOINT instructions by marker words in their text:
// REPLACE is rewritten to REPLACED, REMOVE deletes the instruction, INSERT
// adds "LABEL inserted=1" above it, and TWICE is rewritten to ONCE and then
// (in the next round) to DONE, to exercise the fix-reparse loop.
var engineTestRules = []*rule.Rule{testEditRule}

var testEditRule = &rule.Rule{
	Name:   "test-edit",
	Doc:    "test-only edits by marker words",
	Safety: rule.Safe,
	Run: func(p *rule.Pass) {
		for _, in := range p.File.Instructions {
			switch in.Keyword {
			case "run", "cmd", "entrypoint":
			default:
				continue
			}
			if in.JSON() || len(in.Args()) != 1 {
				continue
			}
			text := in.Args()[0]
			replaceWith := func(old, new string) {
				e, ok := p.File.ReplaceInstruction(in, in.Node.Value+" "+strings.ReplaceAll(text, old, new))
				if !ok {
					p.Report(in, rule.Info, "has heredocs; not replaced", nil)
					return
				}
				p.Report(in, rule.Warning, old+" found", &rule.Fix{Message: "replace " + old, Safety: rule.Safe, Edits: []dockerfile.Edit{e}})
			}
			switch {
			case strings.Contains(text, "REPLACE") && !strings.Contains(text, "REPLACED"):
				replaceWith("REPLACE", "REPLACED")
			case strings.Contains(text, "TWICE"):
				replaceWith("TWICE", "ONCE")
			case strings.Contains(text, "ONCE"):
				replaceWith("ONCE", "DONE")
			case strings.Contains(text, "REMOVE"):
				p.Report(in, rule.Warning, "REMOVE found", &rule.Fix{Message: "remove", Safety: rule.Safe, Edits: []dockerfile.Edit{p.File.RemoveInstruction(in)}})
			case strings.Contains(text, "INSERT") && !insertedAbove(p.File, in):
				p.Report(in, rule.Warning, "INSERT found", &rule.Fix{Message: "insert", Safety: rule.Safe, Edits: []dockerfile.Edit{p.File.InsertBefore(in, "LABEL inserted=1")}})
			case strings.Contains(text, "UNSAFE"):
				e, _ := p.File.ReplaceInstruction(in, in.Node.Value+" "+strings.ReplaceAll(text, "UNSAFE", "CHANGED"))
				p.Report(in, rule.Warning, "UNSAFE found", &rule.Fix{Message: "change", Safety: rule.Unsafe, Edits: []dockerfile.Edit{e}})
			}
		}
	},
}

func insertedAbove(f *dockerfile.File, in *dockerfile.Instruction) bool {
	return in.Index > 0 && f.Instructions[in.Index-1].Keyword == "label"
}

// badRule makes a fix that lies about what it does: its edit turns an
// instruction into two. The safety net must refuse the result.
var badRule = &rule.Rule{
	Name: "bad-rule",
	Run: func(p *rule.Pass) {
		for _, in := range p.File.Instructions {
			if in.Keyword == "cmd" && !strings.Contains(in.Args()[0], "x") {
				e, _ := p.File.ReplaceInstruction(in, "CMD x \\")
				p.Report(in, rule.Warning, "bad", &rule.Fix{Safety: rule.Safe, Edits: []dockerfile.Edit{e}})
			}
		}
	},
}

// overlapRule makes an edit that starts inside an instruction.
var overlapRule = &rule.Rule{
	Name: "overlap-rule",
	Run: func(p *rule.Pass) {
		for _, in := range p.File.Instructions {
			if in.End > in.Start {
				p.Report(in, rule.Warning, "bad", &rule.Fix{Safety: rule.Safe, Edits: []dockerfile.Edit{{Start: in.Start + 1, End: in.End, Text: ""}}})
			}
		}
	},
}

func TestSafetyNetRejectsLyingFix(t *testing.T) {
	src := []byte("FROM a\nCMD run\nRUN b\n")
	_, err := process("Dockerfile", src, Options{}, []*rule.Rule{badRule})
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Rule != "bad-rule" {
		t.Fatalf("err = %v, want an internal error blaming bad-rule", err)
	}
	if !strings.Contains(err.Error(), "Dockerfile: internal error in bad-rule") {
		t.Errorf("message %q does not name the file and rule", err)
	}
}

func TestSafetyNetRejectsMisalignedEdit(t *testing.T) {
	src := []byte("FROM a\nRUN a \\\n  b\n")
	_, err := process("Dockerfile", src, Options{}, []*rule.Rule{overlapRule})
	var ie *InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "starts inside an instruction at line 3") {
		t.Fatalf("err = %v, want a misaligned-edit internal error", err)
	}
}

func TestUnsafeFixesNeedOptIn(t *testing.T) {
	src := []byte("FROM a\nCMD UNSAFE\n")
	res, err := process("Dockerfile", src, Options{}, engineTestRules)
	if err != nil || res.Changed || len(res.Findings) != 1 || res.Findings[0].Fixed {
		t.Fatalf("without Unsafe: changed=%v findings=%v err=%v", res.Changed, res.Findings, err)
	}
	res, err = process("Dockerfile", src, Options{Unsafe: true}, engineTestRules)
	if err != nil || string(res.Output) != "FROM a\nCMD CHANGED\n" || !res.Findings[0].Fixed {
		t.Fatalf("with Unsafe: output %q findings=%v err=%v", res.Output, res.Findings, err)
	}
}

func TestParseErrorNamesFileAndLine(t *testing.T) {
	_, err := Process("dir/Dockerfile", []byte("FROM a\nCMD [\"a\", 1]\n"), Options{})
	var pe *dockerfile.ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || err.Error() != "dir/Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only" {
		t.Fatalf("err = %v", err)
	}
	_, err = Process("bin", []byte("FROM a\nRUN \x00\n"), Options{})
	if err == nil || err.Error() != "bin:2: binary file: contains NUL bytes" {
		t.Fatalf("NUL: err = %v", err)
	}
}

func TestNothingToParsePassesThrough(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# only\n# comments\n", "\ufeff# bom\n"} {
		res, err := Process("Dockerfile", []byte(src), Options{})
		if err != nil || string(res.Output) != src || res.Changed {
			t.Errorf("%q: output %q changed=%v err=%v", src, res.Output, res.Changed, err)
		}
	}
}
