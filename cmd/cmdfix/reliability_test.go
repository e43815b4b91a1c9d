//go:build unix

package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
	"github.com/rogpeppe/go-internal/testscript"
)

// Test support for the bad-input and write scripts
// (testdata/script/badinput_*.txtar, write_*.txtar).

// reliabilityPrograms are commands the scripts can exec besides cmdfix.
// cmdfix-testrules is cmdfix with three test-only rules added, so scripts
// can see files change, and see the safety net refuse a lying fix, without
// depending on what the real rules do:
//
//   - test-mark rewrites MARK to MARKED in shell-form RUN instructions;
//   - test-lie turns a RUN containing LIE into "RUN LIED \", which swallows
//     the next line, a change it does not declare;
//   - test-panic panics on a RUN containing PANIC.
var reliabilityPrograms = map[string]func(){
	"cmdfix-testrules": func() {
		ruleSet = append(slices.Clip(rules.All), testRules...)
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	},
}

var testRules = []*rule.Rule{{
	Name: "test-mark",
	Run: func(p *rule.Pass) {
		for _, in := range shellRuns(p.File, "MARK") {
			if strings.Contains(in.Args()[0], "MARKED") {
				continue
			}
			if e, ok := p.File.ReplaceInstruction(in, in.Node.Value+" "+strings.ReplaceAll(in.Args()[0], "MARK", "MARKED")); ok {
				p.Report(in, rule.Warning, "MARK found", &rule.Fix{Message: "mark", Safety: rule.Safe, Edits: []dockerfile.Edit{e}})
			}
		}
	},
}, {
	Name: "test-lie",
	Run: func(p *rule.Pass) {
		for _, in := range shellRuns(p.File, "LIE") {
			if e, ok := p.File.ReplaceInstruction(in, "RUN LIED \\"); ok {
				p.Report(in, rule.Warning, "LIE found", &rule.Fix{Message: "lie", Safety: rule.Safe, Edits: []dockerfile.Edit{e}})
			}
		}
	},
}, {
	Name: "test-panic",
	Run: func(p *rule.Pass) {
		if len(shellRuns(p.File, "PANIC")) > 0 {
			panic("test-panic was asked to")
		}
	},
}}

// shellRuns returns the shell-form RUN instructions whose text contains
// word.
func shellRuns(f *dockerfile.File, word string) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range f.Instructions {
		if in.Keyword == "run" && !in.JSON() && len(in.Args()) == 1 && strings.Contains(in.Args()[0], word) {
			out = append(out, in)
		}
	}
	return out
}

// reliabilityCmds are script commands:
//
//	write FILE TEXT                 write TEXT, a Go string literal without quotes
//	genfile FILE PREFIX WORD N END  write PREFIX, N times WORD, then END (Go literals)
//	sparse FILE MIB                 make a file of MIB mebibytes without writing them
//	mkfifo FILE                     make a named pipe
//	chown UID:GID FILE              change a file's owner
//	setmode MODE FILE               chmod, setuid, setgid and sticky bits included (octal)
//	checkmode MODE FILE             fail unless the file has mode MODE (octal, as setmode)
//	checkowner UID:GID FILE         fail unless the file has that owner
//	islink FILE                     fail unless FILE is a symbolic link
//	notemps DIR                     fail if any cmdfix temporary file is in DIR
var reliabilityCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"write": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: write FILE TEXT")
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(unquote(ts, args[1])), 0o644))
	},
	"genfile": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 5 {
			ts.Fatalf("usage: genfile FILE PREFIX WORD N END")
		}
		n, err := strconv.Atoi(args[3])
		ts.Check(err)
		text := unquote(ts, args[1]) + strings.Repeat(unquote(ts, args[2]), n) + unquote(ts, args[4])
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(text), 0o644))
	},
	"sparse": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: sparse FILE MIB")
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		f, err := os.Create(ts.MkAbs(args[0]))
		ts.Check(err)
		ts.Check(f.Truncate(int64(n) << 20))
		ts.Check(f.Close())
	},
	"mkfifo": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: mkfifo FILE")
		}
		ts.Check(syscall.Mkfifo(ts.MkAbs(args[0]), 0o644))
	},
	"chown": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: chown UID:GID FILE")
		}
		uid, gid := ids(ts, args[0])
		ts.Check(os.Lchown(ts.MkAbs(args[1]), uid, gid))
	},
	"setmode": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: setmode MODE FILE")
		}
		ts.Check(os.Chmod(ts.MkAbs(args[1]), fileMode(ts, args[0])))
	},
	"checkmode": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: checkmode MODE FILE")
		}
		info, err := os.Stat(ts.MkAbs(args[1]))
		ts.Check(err)
		got := info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
		if (got == fileMode(ts, args[0])) == neg {
			ts.Fatalf("%s has mode %v", args[1], got)
		}
	},
	"checkowner": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: checkowner UID:GID FILE")
		}
		uid, gid := ids(ts, args[0])
		info, err := os.Stat(ts.MkAbs(args[1]))
		ts.Check(err)
		st := info.Sys().(*syscall.Stat_t)
		if (int(st.Uid) == uid && int(st.Gid) == gid) == neg {
			ts.Fatalf("%s is owned by %d:%d", args[1], st.Uid, st.Gid)
		}
	},
	"islink": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: islink FILE")
		}
		info, err := os.Lstat(ts.MkAbs(args[0]))
		ts.Check(err)
		if (info.Mode()&fs.ModeSymlink != 0) == neg {
			ts.Fatalf("%s: mode %v", args[0], info.Mode())
		}
	},
	"notemps": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: notemps DIR")
		}
		left := tempFilesIn(ts.MkAbs(args[0]))
		if (len(left) == 0) == neg {
			ts.Fatalf("temporary files: %v", left)
		}
	},
}

// reliabilityCondition answers [root]: whether the scripts run as root,
// who can read any file.
func reliabilityCondition(cond string) (bool, error) {
	if cond == "root" {
		return os.Geteuid() == 0, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// fileMode reads an octal mode such as 0644 or 04755.
func fileMode(ts *testscript.TestScript, s string) fs.FileMode {
	n, err := strconv.ParseUint(s, 8, 32)
	ts.Check(err)
	m := fs.FileMode(n) & fs.ModePerm
	for bit, mode := range map[uint64]fs.FileMode{0o4000: fs.ModeSetuid, 0o2000: fs.ModeSetgid, 0o1000: fs.ModeSticky} {
		if n&bit != 0 {
			m |= mode
		}
	}
	return m
}

// unquote reads s as the inside of a Go string literal in which a double
// quote needs no backslash.
func unquote(ts *testscript.TestScript, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i++
		case s[i] == '"':
			b.WriteString(`\"`)
		default:
			b.WriteByte(s[i])
		}
	}
	u, err := strconv.Unquote(`"` + b.String() + `"`)
	ts.Check(err)
	return u
}

func ids(ts *testscript.TestScript, s string) (uid, gid int) {
	u, g, ok := strings.Cut(s, ":")
	if !ok {
		ts.Fatalf("want UID:GID, got %q", s)
	}
	uid, err := strconv.Atoi(u)
	ts.Check(err)
	gid, err = strconv.Atoi(g)
	ts.Check(err)
	return uid, gid
}

// tempFilesIn returns the cmdfix temporary files under dir.
func tempFilesIn(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".cmdfix-") {
			out = append(out, path)
		}
		return nil
	})
	return out
}
