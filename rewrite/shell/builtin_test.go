package shell

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

func TestExecEquivalent(t *testing.T) {
	cases := []struct {
		argv   []string
		ok     bool
		reason string // the whole reason when ok is false
	}{
		{[]string{"python", "app.py"}, true, ""},
		{[]string{"/usr/bin/umask"}, true, ""},
		{nil, false, "there is no command"},
		{[]string{"umask", "022"}, false, "`umask` is a shell builtin (dash, busybox ash, bash): there is no `umask` program in Debian or Alpine images, so the container would fail to start (executable file not found in $PATH)"},
		{[]string{"ulimit", "-n", "1024"}, false, "`ulimit` is a shell builtin (dash, busybox ash, bash): there is no `ulimit` program in Debian or Alpine images, so the container would fail to start (executable file not found in $PATH)"},
		{[]string{"source", "env.sh"}, false, "`source` is a shell builtin (busybox ash, bash): there is no `source` program in Debian or Alpine images, so the container would fail to start (executable file not found in $PATH)"},
		{[]string{"chdir", "/"}, false, "`chdir` is a shell builtin (dash, busybox ash): there is no `chdir` program in Debian or Alpine images, so the container would fail to start (executable file not found in $PATH)"},
		{[]string{"time", "app"}, false, "`time` is a bash keyword (bash times the command itself); exec form runs a program named `time`, which Debian images do not have"},
		{[]string{"if", "true"}, false, "`if` is a reserved word of the shell, not a command; exec form would look for a program named `if`"},
		{[]string{"[[", "-f", "x", "]]"}, false, "`[[` is a bash keyword and a busybox ash builtin (dash has neither); exec form runs a program named `[[`, which only busybox images have"},
		{[]string{"kill", "-l"}, false, "`kill` is a shell builtin: Debian images have no `kill` program unless procps is installed, and procps' `kill` lists signals (`kill -l`) and reports errors differently from dash's and bash's builtins"},
		{[]string{"echo", "hello"}, true, ""},
		{[]string{"echo", "-n", "hello"}, true, ""},
		{[]string{"echo", "--", "x"}, true, ""},
		{[]string{"echo", `a\nb`}, false, "`echo` with a backslash in `a\\nb`: dash's builtin interprets backslash escapes, /bin/echo (coreutils, busybox) prints them"},
		{[]string{"echo", "-e", "x"}, false, "`echo -e` is an option to /bin/echo (coreutils, busybox) but printed by dash's builtin, which reads only a first -n"},
		{[]string{"echo", "-n", "-n"}, false, "`echo -n` is an option to /bin/echo (coreutils, busybox) but printed by dash's builtin, which reads only a first -n"},
		{[]string{"printf", "%s\n", "x"}, true, ""},
		{[]string{"printf", "%q", "x"}, false, "`printf` format `%q`: conversions other than %s differ between dash's builtin (no %q, other errors for bad numbers) and the printf programs"},
		{[]string{"printf", `\u00e9`}, false, "`printf` format `\\u00e9`: escapes other than \\n, \\t and \\\\ differ between dash's builtin (no \\u, no \\x) and the printf programs"},
		{[]string{"printf", "%d\n", "1"}, false, "`printf` format `\"%d\\n\"`: conversions other than %s differ between dash's builtin (no %q, other errors for bad numbers) and the printf programs"},
		{[]string{"printf", "hi", "x"}, false, "`printf hi` with arguments but no `%s`: coreutils' printf warns about the ignored arguments on standard error, the builtins do not"},
		{[]string{"printf"}, false, "`printf` without a format: the builtin and the program print different usage errors"},
		{[]string{"true"}, true, ""},
		{[]string{"true", "--help"}, false, "`true --help`: the builtin ignores its arguments, but coreutils' `true` prints its help or version for --help and --version"},
		{[]string{"pwd"}, true, ""},
		{[]string{"pwd", "--help"}, false, "`pwd --help`: the builtin and /bin/pwd read this argument differently"},
		{[]string{"test", "-f", "/x"}, true, ""},
		{[]string{"[", "x,", "]"}, true, ""},
		{[]string{"[", "x"}, false, "`[` without a closing `]`: the builtin and the program report the error differently"},
		{[]string{"test", "a", "==", "a"}, false, "`test a == a`: not a binary test that every test implements alike"},
		{[]string{"test", "x", "-eq", "1"}, false, "`test x -eq 1`: a numeric comparison of operands that are not plain integers: the error messages differ"},
		{[]string{"[", "a", "-a", "b", "-o", "c", "]"}, false, "`[ a -a b -o c`: expressions of four or more operands are parsed differently by the builtins and the programs"},
	}
	for _, c := range cases {
		ok, reason := ExecEquivalent(c.argv)
		if ok != c.ok || reason != c.reason {
			t.Errorf("ExecEquivalent(%q) = %v, %q\nwant %v, %q", c.argv, ok, reason, c.ok, c.reason)
		}
	}
}

func TestBuiltinLookup(t *testing.T) {
	b, ok := Builtin("export")
	if !ok || !b.Special || b.Shells != ShellDash|ShellAsh|ShellBash || b.Programs != 0 {
		t.Errorf("Builtin(export) = %+v, %v", b, ok)
	}
	b, ok = Builtin("printf")
	if !ok || b.Special || b.Programs != DebianBase|BusyboxApplet {
		t.Errorf("Builtin(printf) = %+v, %v", b, ok)
	}
	if _, ok := Builtin("python"); ok {
		t.Error("Builtin(python) found")
	}
	if got := (ShellDash | ShellBash).String(); got != "dash, bash" {
		t.Errorf("(ShellDash|ShellBash).String() = %q", got)
	}
	names := []string{}
	for _, b := range Builtins() {
		names = append(names, b.Name)
	}
	if !sort.StringsAreSorted(names) || len(names) != len(builtinTable) {
		t.Errorf("Builtins() not sorted or incomplete: %q", names)
	}
}

// TestBuiltinTableMatchesShells asks the installed shells for their
// builtins, so that the table follows a new shell version: bash's compgen
// -b, busybox's `sh -c help`, and dash's `command -V` for every name any
// shell knows (dash has no listing command).
func TestBuiltinTableMatchesShells(t *testing.T) {
	known := map[string]bool{}
	for n := range builtinTable {
		known[n] = true
	}
	check := func(shell string, sh Shells, have []string) {
		t.Helper()
		set := map[string]bool{}
		for _, n := range have {
			set[n] = true
			b, ok := builtinTable[n]
			if !ok || b.Shells&sh == 0 {
				t.Errorf("%s has the builtin %q, which the table does not give to %s", shell, n, sh)
			}
		}
		for n, b := range builtinTable {
			if b.Shells&sh != 0 && !set[n] {
				t.Errorf("the table gives %q to %s, but %s does not have it", n, sh, shell)
			}
		}
	}
	if _, err := exec.LookPath("bash"); err == nil {
		out, err := exec.Command("bash", "-c", "compgen -b").Output()
		if err != nil {
			t.Fatal(err)
		}
		names := strings.Fields(string(out))
		check("bash", ShellBash, names)
		for _, n := range names {
			known[n] = true
		}
	} else {
		t.Log("bash not found: its builtins are not checked")
	}
	if _, err := exec.LookPath("busybox"); err == nil {
		out, err := exec.Command("busybox", "sh", "-c", "help").CombinedOutput()
		if err != nil {
			t.Fatal(err)
		}
		_, list, found := strings.Cut(string(out), "------------------")
		if !found {
			t.Fatalf("busybox sh -c help: unexpected output %q", out)
		}
		names := strings.Fields(list)
		check("busybox sh", ShellAsh, names)
		for _, n := range names {
			known[n] = true
		}
	} else {
		t.Log("busybox not found: its builtins are not checked (apt-get install busybox)")
	}
	if _, err := exec.LookPath("dash"); err == nil {
		var probe []string
		for n := range known {
			probe = append(probe, n)
		}
		sort.Strings(probe)
		var script strings.Builder
		for _, n := range probe {
			script.WriteString("command -V " + quoteWordForSh(n) + " 2>/dev/null\n")
		}
		out, _ := exec.Command("dash", "-c", script.String()).Output()
		var names []string
		for _, line := range strings.Split(string(out), "\n") {
			if name, ok := strings.CutSuffix(line, " is a shell builtin"); ok {
				names = append(names, name)
			} else if name, ok := strings.CutSuffix(line, " is a special shell builtin"); ok {
				names = append(names, name)
			}
		}
		check("dash", ShellDash, names)
	} else {
		t.Log("dash not found: its builtins are not checked")
	}
}
