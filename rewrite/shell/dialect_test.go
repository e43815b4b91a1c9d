package rewrite

func TestPosixShell(t *testing.T) {
	for words, want := range map[string]bool{
		"/bin/sh -c":               true,
		"/bin/bash -o pipefail -c": true,
		"/bin/busybox sh -c":       true,
		"zsh -c":                   true,
		"cmd /S /C":                false,
		"powershell -Command":      false,
		"pwsh -c":                  false,
		"/bin/bash":                false,
		"/usr/bin/python3 -c":      false,
	} {
		if got := posixShell(strings.Fields(words)); got != want {
			t.Errorf("posixShell(%q) = %v, want %v", words, got, want)
		}
	}
}

func TestShellFor(t *testing.T) {
	tests := []struct {
		shell string
		want  shellKind
	}{
		{`["/bin/sh", "-c"]`, shellPOSIX},
		{`["/bin/ash", "-eo", "pipefail", "-c"]`, shellPOSIX},
		{`["/bin/bash", "-o", "pipefail", "-c"]`, shellBash},
		{`["/bin/bash", "-exc"]`, shellBash},
		{`["/bin/bash", "--login", "-c", "-o", "pipefail"]`, shellBash},
		{`["/bin/mksh", "-c"]`, shellKorn},
		{`["zsh", "-c"]`, shellZsh},
		{`["/bin/sh"]`, shellUnknown},
		{`["python", "-c"]`, shellUnknown},
		{`["powershell", "-Command"]`, shellUnknown},
		{`["cmd", "/S", "/C"]`, shellUnknown},
		{`/bin/sh -c`, shellUnknown},
	}
	for _, tt := range tests {
		f, err := Parse("Dockerfile", []byte("FROM a\nSHELL "+tt.shell+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := shellFor(f.Instructions[1], false); got != tt.want {
			t.Errorf("SHELL %s: %d, want %d", tt.shell, got, tt.want)
		}
	}
}
