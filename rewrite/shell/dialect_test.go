package shell

import (
	"strings"
	"testing"
)

// TestDialectOf is the one table of which programs read a command text as
// shell syntax. It merges five lists that disagreed (the safety net's, the
// formatter's, and three rules'); the cases marked "decided" are where
// they did.
func TestDialectOf(t *testing.T) {
	for _, c := range []struct {
		argv string
		want Dialect
	}{
		{"/bin/sh -c", POSIX},
		{"sh -c", POSIX},
		{"/bin/dash -c", POSIX},
		{"/bin/ash -eo pipefail -c", POSIX},
		{"/bin/bash -o pipefail -c", Bash},
		{"/bin/bash -exc", Bash},
		{"/bin/bash --login -c -o pipefail", Bash},
		{"/bin/bash -c -l", Bash}, // decided: -c anywhere (entrypoint-cmd wanted it last)
		{"/bin/mksh -c", Korn},
		{"ksh -c", Korn},
		{"zsh -c", Zsh},
		{"/bin/busybox sh -c", POSIX}, // decided: busybox runs ash (the net and formatter said unknown)
		{"busybox ash -c", POSIX},
		{"busybox -c", Unknown},
		{"/bin/sh", Unknown},      // no -c: the text would be a script's name
		{"/bin/bash -l", Unknown}, // decided: json-array took any bash
		{"BASH -c", Unknown},      // Linux names are case-sensitive
		{"bash.exe -c", Unknown},  // not a Linux name either
		{"python -c", Unknown},
		{"/usr/bin/python3 -c", Unknown},
		{"cmd /S /C", Cmd},
		{"cmd /s /c", Cmd},
		{`C:\Windows\System32\cmd.exe /S /C`, Cmd},
		{"cmd", Unknown},
		{"powershell -Command", PowerShell},
		{"pwsh -c", PowerShell},
		{"pwsh -NoProfile -Com", PowerShell},
		{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -command`, PowerShell},
		{"powershell -File", Unknown},
		{"", Unknown},
	} {
		if got := DialectOf(strings.Fields(c.argv)); got != c.want {
			t.Errorf("DialectOf(%q) = %v, want %v", c.argv, got, c.want)
		}
	}
}

func TestSplitsWords(t *testing.T) {
	for d, want := range map[Dialect]bool{Unknown: false, POSIX: true, Bash: true, Korn: true, Zsh: true, Cmd: false, PowerShell: false} {
		if d.SplitsWords() != want {
			t.Errorf("%v.SplitsWords() = %v", d, !want)
		}
	}
}

func TestSameText(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    Dialect
		want bool
	}{
		{"a  b", "a b", POSIX, true},
		{"a 'x  y'", "a 'x y'", POSIX, false},
		{"a && \\\n  b", "a && \\\n    b", Bash, true},
		{"a  b", "a b", Cmd, false},
		{"a  b", "a b", PowerShell, false},
		{"a  b", "a b", Unknown, false},
		{"a  b", "a b", Zsh, true},
		{"a b", "a b", Cmd, false}, // nothing may even be compared
	} {
		if got := SameText(c.a, c.b, c.d); got != c.want {
			t.Errorf("SameText(%q, %q, %v) = %v, want %v", c.a, c.b, c.d, got, c.want)
		}
	}
}
