package rewrite

import (
	"errors"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// lyingRule returns a test-only rule whose single fix applies the edits
// edits(f) returns, once (it stays quiet when the file contains "fixed").
func lyingRule(name string, edits func(f *dockerfile.File) []dockerfile.Edit) *rule.Rule {
	return &rule.Rule{
		Name: name,
		Run: func(p *rule.Pass) {
			if strings.Contains(string(p.File.Src()), "fixed") {
				return
			}
			p.Report(p.File.Instructions[0], rule.Warning, "bad", &rule.Fix{Message: "lie", Safety: rule.Safe, Edits: edits(p.File)})
		},
	}
}

// instructionAt returns the instruction starting at line n.
func instructionAt(f *dockerfile.File, n int) *dockerfile.Instruction {
	for _, in := range f.Instructions {
		if in.Start == n {
			return in
		}
	}
	panic("no instruction at that line")
}

func wantInternalError(t *testing.T, err error, rule, msg string) {
	t.Helper()
	var ie *InternalError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an internal error in %s", err, rule)
	}
	if ie.Rule != rule || !strings.Contains(ie.Err.Error(), msg) {
		t.Fatalf("err = %v\nwant an internal error in %s saying %q", err, rule, msg)
	}
	if !strings.HasPrefix(err.Error(), "Dockerfile: internal error in "+rule+": ") {
		t.Errorf("message %q does not name the file and rule", err)
	}
}

// TestSafetyNetCatchesBuggyFixes feeds the driver fixes that change more
// than they declare, or change what no fix may change.
func TestSafetyNetCatchesBuggyFixes(t *testing.T) {
	tests := []struct {
		name, src string
		edits     func(f *dockerfile.File) []dockerfile.Edit
		rule, msg string
	}{{
		name: "continuation swallows the next instruction",
		src:  "FROM a\nCMD a\nRUN b\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CMD fixed \\\n"}}
		},
		msg: "line 2 of the result is CMD fixed RUN b, expected CMD fixed",
	}, {
		name: "missing line ending joins the next line",
		src:  "FROM a\nCMD a\nRUN b\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CMD fixed"}}
		},
		msg: "line 2 of the result is CMD fixedRUN b, expected CMD fixed",
	}, {
		name: "heredoc opener without a body",
		src:  "FROM a\nCMD a\nRUN b\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "RUN <<EOF fixed\n"}}
		},
		msg: "the fixed file does not parse: Dockerfile:2: unterminated heredoc",
	}, {
		name: "escape directive inserted",
		src:  "FROM a\nRUN a\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{f.InsertBefore(f.Instructions[0], "# escape=`\n# fixed")}
		},
		msg: "parser directives changed: escape '\\\\' became escape '`', escape=`",
	}, {
		name: "syntax directive changed",
		src:  "# syntax=docker/dockerfile:1\nFROM a\nCMD a\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 1, End: 1, Text: "# syntax=example.com/evil\n# fixed\n"}}
		},
		msg: `frontend syntax "docker/dockerfile:1" became escape '\\', syntax=example.com/evil, frontend syntax "example.com/evil"`,
	}, {
		name: "syntax directive after a shebang changed",
		src:  "#!/usr/bin/env buildctl\n# syntax=docker/dockerfile:1\nFROM a\nCMD a\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "# syntax=example.com/evil\n# fixed\n"}}
		},
		msg: `frontend syntax "example.com/evil"`,
	}, {
		name: "comment deleted",
		src:  "FROM a\n# keep me\nRUN a\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 3, Text: "RUN fixed\n"}}
		},
		msg: `comment "# keep me" at line 2 was lost`,
	}, {
		name: "comment inside continuation lines dropped",
		src:  "FROM a\nRUN a \\\n  # keep me\n  b\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 4, Text: "RUN fixed\n"}}
		},
		msg: `comment "# keep me" at line 3 was lost`,
	}, {
		name: "CMD changed by a safe fix",
		src:  "FROM a\nCMD python app.py\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CMD [\"python\", \"fixed.py\"]\n"}}
		},
		msg: `stage 0 (FROM a) would run ["python" "fixed.py"] instead of ["python" "app.py"]`,
	}, {
		name: "CMD converted where an ENTRYPOINT in a stage named through an ARG receives it",
		src:  "ARG P=base\nFROM a AS base\nENTRYPOINT [\"/e\"]\nFROM $P\nCMD run it\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 5, End: 5, Text: "CMD [\"run\", \"it\", \"fixed\"]\n"}}
		},
		msg: `stage 1 (FROM $P) would run`,
	}, {
		name: "health check converted under a child's final SHELL",
		src:  "FROM a AS p\nHEALTHCHECK CMD check it\nFROM p\nSHELL [\"/bin/bash\", \"-c\"]\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "HEALTHCHECK CMD [\"check\", \"it\"]\n"}}
		},
		msg: `the health check of stage 1 (FROM p) would be [" CMD" "check" "it"] instead of [" CMD-SHELL" "check it"]`,
	}, {
		name: "CMD converted in a .NET Framework (Windows) stage",
		src:  "FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1\nCMD C:\\build\\tool.exe\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CMD [\"C:buildtool.exe\"]\n"}}
		},
		msg: `would run ["C:buildtool.exe"] instead of ["cmd" "/S" "/C" "C:\\build\\tool.exe"]`,
	}, {
		name: "CMD converted under the parent's ONBUILD SHELL",
		src:  "FROM a AS base\nONBUILD SHELL [\"/bin/bash\", \"-c\"]\nFROM base\nCMD run it\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 4, End: 4, Text: "CMD [\"run\", \"it\"]\n"}}
		},
		msg: `stage 1 (FROM base) would run ["run" "it"] instead of ["/bin/bash" "-c" "run it"]`,
	}, {
		name: "builtin with no program converted",
		src:  "FROM a\nCMD umask 022\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CMD [\"umask\", \"022\"]\n"}}
		},
		msg: `would run ["umask" "022"] instead of ["/bin/sh" "-c" "umask 022"]`,
	}, {
		name: "the test command [ repaired as an array",
		src:  "FROM a\nCMD [ 'x', ]\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CMD [\"x\"]\n"}}
		},
		msg: `would run ["x"] instead of ["/bin/sh" "-c" "[ 'x', ]"]`,
	}, {
		name: "final SHELL changed",
		src:  "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "SHELL [\"/bin/sh\", \"-c\", \"fixed\"]\n"}}
		},
		msg: `would end with SHELL`,
	}, {
		name: "stage renamed",
		src:  "FROM a AS build\nCMD a\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 1, End: 2, Text: "FROM a AS fixed\nCMD a\n"}}
		},
		msg: "stage 1 changed: FROM a AS build became FROM a AS fixed",
	}, {
		name: "stage dropped",
		src:  "FROM a AS build\nCMD a\nFROM b\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 3, End: 3, Text: "CMD fixed\n"}}
		},
		msg: "2 build stages became 1",
	}, {
		name: "edit ends inside a heredoc",
		src:  "FROM a\nRUN <<EOF\nbody\nEOF\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 3, Text: "CMD fixed\n"}}
		},
		msg: "edit ends inside an instruction at line 3",
	}, {
		name: "unknown instruction written",
		src:  "FROM a\nCMD a\n",
		edits: func(f *dockerfile.File) []dockerfile.Edit {
			return []dockerfile.Edit{{Start: 2, End: 2, Text: "CDM fixed\n"}}
		},
		msg: `replacement for lines 2-2 writes "CDM", which is not a Dockerfile instruction`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			liar := lyingRule("liar", tt.edits)
			_, err := process("Dockerfile", []byte(tt.src), Options{NoFormat: true}, []*rule.Rule{liar})
			wantInternalError(t, err, "liar", tt.msg)
		})
	}
}

// TestSafetyNetBlamesTheRightRule: with two fixes in one round, the one
// whose edit went wrong is named.
func TestSafetyNetBlamesTheRightRule(t *testing.T) {
	good := lyingRule("good", func(f *dockerfile.File) []dockerfile.Edit {
		e, _ := f.ReplaceInstruction(instructionAt(f, 2), "CMD fixed")
		return []dockerfile.Edit{e}
	})
	bad := lyingRule("bad", func(f *dockerfile.File) []dockerfile.Edit {
		return []dockerfile.Edit{{Start: 4, End: 4, Text: "ENTRYPOINT fixed \\\n"}}
	})
	src := "FROM a\nCMD a\nRUN b\nENTRYPOINT c\nUSER d\n"
	_, err := process("Dockerfile", []byte(src), Options{NoFormat: true}, []*rule.Rule{good, bad})
	wantInternalError(t, err, "bad", "line 4 of the result is ENTRYPOINT fixed USER d, expected ENTRYPOINT fixed")
}

func TestSafetyNetCatchesPanics(t *testing.T) {
	panicky := &rule.Rule{Name: "panicky", Run: func(p *rule.Pass) {
		_ = p.File.Instructions[len(p.File.Instructions)]
	}}
	_, err := process("Dockerfile", []byte("FROM a\n"), Options{}, []*rule.Rule{panicky})
	wantInternalError(t, err, "panicky", "panic: runtime error: index out of range [1] with length 1 (at safety_test.go:")

	defer swapFormatter(func(f *dockerfile.File, indent int) []byte { panic("formatter bug") })()
	_, err = process("Dockerfile", []byte("FROM a\n"), Options{}, nil)
	wantInternalError(t, err, "format", "panic: formatter bug (at safety_test.go:")
}

// TestSafetyNetAcceptsHonestFixes: the checks must not fire on what the
// edit helpers produce, comments hoisted and instructions removed included
// (on RUN instructions, which leave what the image runs alone).
func TestSafetyNetAcceptsHonestFixes(t *testing.T) {
	honest := lyingRule("honest", func(f *dockerfile.File) []dockerfile.Edit {
		e, _ := f.ReplaceInstruction(instructionAt(f, 3), "RUN [\"fixed\"]", "# note")
		return []dockerfile.Edit{
			e,
			f.RemoveInstruction(instructionAt(f, 7)),
			f.InsertBefore(instructionAt(f, 10), "LABEL fixed=1"),
		}
	})
	src := "# syntax=docker/dockerfile:1\nFROM a\nRUN a \\\n  # inner\n  b\n# above\nRUN gone \\\n  # kept\n  x\nRUN <<EOF\n\xff body\nEOF\n"
	res, err := process("Dockerfile", []byte(src), Options{NoFormat: true}, []*rule.Rule{honest})
	if err != nil {
		t.Fatal(err)
	}
	want := "# syntax=docker/dockerfile:1\nFROM a\n# note\n  # inner\nRUN [\"fixed\"]\n# above\n  # kept\nLABEL fixed=1\nRUN <<EOF\n\xff body\nEOF\n"
	if string(res.Output) != want {
		t.Fatalf("output:\n%s\nwant:\n%s", res.Output, want)
	}
}

// TestFixesMayRemoveEveryInstruction: a result with no instruction left is
// checked like any other, then neither fixed nor formatted further.
func TestFixesMayRemoveEveryInstruction(t *testing.T) {
	res, err := process("Dockerfile", []byte("# syntax=x\nRUN REMOVE \\\n  # kept\n  it\n"), Options{}, engineTestRules)
	if err != nil || string(res.Output) != "# syntax=x\n  # kept\n" {
		t.Fatalf("output %q, err %v", res.Output, err)
	}
}

// TestLoneCarriageReturn: a last line ending in "\r" without "\n" has no
// line ending (found by FuzzProcess: a comment hoisted from such a line
// swallowed the instruction written after it).
func TestLoneCarriageReturn(t *testing.T) {
	res, err := process("Dockerfile", []byte("FROM a\r\nRUN REPLACE \\\r\n#\r"), Options{NoFormat: true}, engineTestRules)
	if err != nil || string(res.Output) != "FROM a\r\n#\r\r\nRUN REPLACED" {
		t.Fatalf("output %q, err %v", res.Output, err)
	}
}

func swapFormatter(fn func(*dockerfile.File, int) []byte) (restore func()) {
	old := formatFunc
	formatFunc = func(f *dockerfile.File, indent int) ([]byte, []int) {
		return fn(f, indent), nil
	}
	return func() { formatFunc = old }
}

// TestSafetyNetCatchesBuggyFormatter runs formatters that each break one
// thing the formatter must keep, and ones that change only what it may.
func TestSafetyNetCatchesBuggyFormatter(t *testing.T) {
	tests := []struct {
		name, src, old, new string
		msg                 string // "" when the change is allowed
	}{
		{"instructions swapped", "FROM a\nRUN a\nRUN b\n", "RUN a\nRUN b\n", "RUN b\nRUN a\n",
			"RUN a at line 2 became RUN b"},
		{"instruction duplicated", "FROM a\nRUN a\n", "RUN a\n", "RUN a\nRUN a\n",
			"RUN a was added at line 3"},
		{"instruction lost", "FROM a\nRUN a\nRUN b\n", "RUN b\n", "",
			"RUN b at line 3 was lost"},
		{"comment lost", "FROM a\n# c\nRUN a\n", "# c\n", "",
			`comment "# c" at line 2 became RUN a`},
		{"comment moved", "FROM a\n# c\nRUN a\nRUN b\n", "# c\nRUN a\n", "RUN a\n# c\n",
			`comment "# c" at line 2 became RUN a`},
		{"comment moved out of continuation lines", "FROM a\nRUN a \\\n  # c\n  b\n", "RUN a \\\n  # c\n  b\n", "# c\nRUN a \\\n  b\n",
			`RUN a   b at line 2 became comment "# c"`},
		{"comment de-indented", "FROM a\n  # check=skip=all\nRUN a\n", "  # check", "# check",
			`comment "# check=skip=all" (which BuildKit reads as "# check=skip=all") at line 2 became comment "# check=skip=all"`},
		{"comment text changed", "FROM a\n#c\nRUN a\n", "#c", "# c",
			`comment "#c" at line 2 became comment "# c"`},
		{"escape directive changed", "# escape=\\\nFROM a\nRUN a\n", "# escape=\\\n", "# escape=`\n",
			"parser directives changed: escape '\\\\', escape=\\ became escape '`', escape=`"},
		{"syntax directive no longer leading", "# syntax=docker/dockerfile:1\nFROM a\n", "# syntax", "\n# syntax",
			"parser directives changed"},
		{"check directive changed", "# check=skip=all\nFROM a\n", "skip=all", "skip=none",
			"parser directives changed"},
		{"heredoc body changed", "FROM a\nRUN <<EOF\n  x\nEOF\n", "  x", "x",
			"became RUN <<EOF <<EOF(2 bytes)"},
		{"stage renamed", "FROM a AS b\n", "AS b", "AS c",
			"FROM a AS b at line 1 became FROM a AS c"},
		{"quoted text reindented", "FROM a\nRUN echo \"a \\\n  b\"\n", "  b", "    b",
			"became RUN echo \"a     b\""},
		{"flag changed", "FROM a\nRUN --network=none a\n", "none", "host",
			"became RUN --network=host a"},
		{"exec form became shell form", "FROM a\nCMD [\"a\"]\n", `["a"]`, `a`,
			`became CMD a`},
		{"non-UTF-8 byte replaced", "FROM a\nLABEL a=\"\xff\"\n", "\xff", "\ufffd",
			"1 bytes that are not UTF-8 became 0"},
		{"non-UTF-8 byte in JSON replaced", "FROM a\nCMD [\"\xff\"]\n", "\xff", "\ufffd",
			"1 bytes that are not UTF-8 became 0"},
		{"white space in a script name changed", "FROM a\nSHELL [\"/bin/sh\"]\nRUN a \\\n  b\n", "  b", " b",
			"became RUN a  b"},
		{"white space in a cmd.exe command changed", "# escape=`\nFROM a\nRUN echo a `\n  b\n", "  b", " b",
			"became RUN echo a  b"},
		{"white space in a PowerShell command changed", "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"powershell\", \"-Command\"]\nRUN echo a \\\n  b\n", "  b", " b",
			"became RUN echo a  b"},
		{"HEALTHCHECK run by the image's last SHELL", "FROM a\nHEALTHCHECK CMD a \\\n  b\nSHELL [\"python\", \"-c\"]\n", "  b", "    b",
			"became HEALTHCHECK CMD a     b"},
		{"bash words joined", "FROM a\nSHELL [\"bash\", \"-c\"]\nRUN a \\\n  b\n", " \\\n  b", "\\\nb",
			"became RUN ab"},

		// Allowed: white space the shell ignores, keyword case, AS case,
		// blank lines, indentation, JSON layout.
		{"reindented POSIX continuation", "FROM a\nRUN a \\\n  && b\n", "  &&", "    &&", ""},
		{"reindented bash continuation", "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a \\\n  | b\n", "  |", "    |", ""},
		{"reindented mksh continuation", "FROM a\nSHELL [\"/bin/mksh\", \"-c\"]\nRUN a \\\n  | b\n", "  |", "    |", ""},
		{"keyword case", "from a as b\nrun a\nhealthcheck cmd c\n", "from a as b\nrun a\nhealthcheck cmd", "FROM a AS b\nRUN a\nHEALTHCHECK CMD", ""},
		{"blank lines and indentation", "\n\nFROM a\n\n\n  RUN a\n", "\n\nFROM a\n\n\n  RUN", "FROM a\n\nRUN", ""},
		{"comment reindented, still indented", "FROM a\n\t# x  \nRUN a\n", "\t# x  ", "    # x", ""},
		{"JSON layout", "FROM a\nCMD [ \"a\" ,\"b\" ]\n", `[ "a" ,"b" ]`, `["a", "b"]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.src, tt.old) {
				t.Fatalf("%q not in the source", tt.old)
			}
			defer swapFormatter(func(f *dockerfile.File, indent int) []byte {
				return []byte(strings.Replace(string(f.Src()), tt.old, tt.new, 1))
			})()
			res, err := process("Dockerfile", []byte(tt.src), Options{}, nil)
			if tt.msg == "" {
				if err != nil || !res.Changed {
					t.Fatalf("allowed change refused: changed=%v err=%v", res != nil && res.Changed, err)
				}
				return
			}
			wantInternalError(t, err, "format", tt.msg)
		})
	}
}

func TestUnknownInstructions(t *testing.T) {
	// A first word that is not an instruction: not a Dockerfile.
	for src, want := range map[string]string{
		"hello world\n":            `in:1: "hello" is not a Dockerfile instruction; is this a Dockerfile?`,
		"#!/bin/sh\nset -e\n":      `in:2: "set" is not a Dockerfile instruction; is this a Dockerfile?`,
		"{\"from\": \"alpine\"}\n": `in:1: "{\"from\":" is not a Dockerfile instruction; is this a Dockerfile?`,
	} {
		_, err := Process("in", []byte(src), Options{})
		var pe *dockerfile.ParseError
		if !errors.As(err, &pe) || err.Error() != want {
			t.Errorf("%q: err = %v, want %s", src, err, want)
		}
	}
	// Further down, an unknown word is kept as it is, and the safety net
	// sees its text: BuildKit's parser keeps none of it.
	src := "FROM a\nRUNN  echo   x\nONBUILD CDM y\n"
	res, err := Process("in", []byte(src), Options{NoFormat: true})
	if err != nil || string(res.Output) != src {
		t.Fatalf("output %q, err %v", res.Output, err)
	}
	defer swapFormatter(func(f *dockerfile.File, indent int) []byte {
		return []byte(strings.Replace(string(f.Src()), "echo   x", "echo x", 1))
	})()
	_, err = process("Dockerfile", []byte(src), Options{}, nil)
	wantInternalError(t, err, "format", "RUNN echo   x at line 2 became RUNN echo x")
}

// TestSafetyNetHoldsRulesToTheirEquivalence runs rules that carry the
// names of rules the net knows an equivalence for, but change more than
// that equivalence allows: the driver must refuse each, blaming it.
func TestSafetyNetHoldsRulesToTheirEquivalence(t *testing.T) {
	for _, c := range []struct {
		rule, src, text, msg string
	}{
		{"keyword-case", "FROM a\nrun x\n", "RUN y # fixed\n", "which BuildKit does not build the same way"},
		{"legacy-key-value", "FROM a\nENV A b  c\n", "ENV A='b c'\n# fixed\n", "which BuildKit does not build the same way"},
		{"stage-name-case", "FROM a AS B\nCOPY --from=Other /x /y\n", "COPY --from=other /x /y # fixed\n", "which BuildKit does not build the same way"},
		{"empty-continuation", "FROM a\nRUN x \\\n\n  y\n", "RUN x y z # fixed\n", "which BuildKit does not build the same way"},
	} {
		t.Run(c.rule, func(t *testing.T) {
			r := lyingRule(c.rule, func(f *dockerfile.File) []dockerfile.Edit {
				in := f.Instructions[len(f.Instructions)-1]
				return []dockerfile.Edit{{Start: in.Start, End: in.End, Text: c.text}}
			})
			_, err := Process("Dockerfile", []byte(c.src), Options{Rules: []*rule.Rule{r}})
			wantInternalError(t, err, c.rule, c.msg)
		})
	}
}
