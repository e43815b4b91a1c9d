package dockerfile

import "testing"

func TestWindowsHints(t *testing.T) {
	for s, want := range map[string]bool{
		"RUN echo %PATH%":              true,
		"RUN dir C:\\":                 true,
		"SHELL [\"PowerShell\"]":       true,
		"RUN Foo.EXE":                  true,
		"RUN cmd /S /C x":              true,
		"RUN date +%Y%m%d":             false,
		"RUN printf '%s%s' a b":        false,
		"RUN apt-get install -y curl":  false,
		"RUN echo 100% done":           false,
		"RUN echo %1% %A_1%":           true,
		"RUN sed -e 's/%//' C:/x.conf": false,
	} {
		if got := WindowsHints([]byte(s)); got != want {
			t.Errorf("WindowsHints(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestExpandArgDefaultsAsBuildKit checks the forms BuildKit's lexer reads:
// defaults through modifiers, quotes, and unknown names.
func TestExpandArgDefaultsAsBuildKit(t *testing.T) {
	src := "ARG IMG\nARG TAG=1.27\nARG REPO=\"nginx\"\nARG P=${TAG}-alpine\nARG Q=${NONE}/x\nFROM a\n"
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{
		"${IMG:-nginx:1.27}":   "nginx:1.27",
		"${IMG-nginx:1.27}":    "nginx:1.27",
		"${IMG:+x}":            "",
		"$REPO:$TAG":           "nginx:1.27",
		"${REPO}:${P}":         "nginx:1.27-alpine",
		"$IMG":                 "$",
		"${IMG}":               "$",
		"$Q":                   "$/x",
		"${TAG:-2}":            "1.27",
		"registry/${REPO}@sha": "registry/nginx@sha",
	} {
		if got := f.ExpandArgDefaults(ref); got != want {
			t.Errorf("ExpandArgDefaults(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestExpandArgDefaults(t *testing.T) {
	src := "ARG A=mcr.microsoft.com/windows\nARG B=\"${A}/servercore\"\nARG C\nFROM ${B}:ltsc2022\nARG D=x\nFROM $D\n"
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{
		"${B}:ltsc2022": "mcr.microsoft.com/windows/servercore:ltsc2022",
		"$C":            "$",
		"$D":            "$", // D is not a global ARG
		"alpine":        "alpine",
	} {
		if got := f.ExpandArgDefaults(ref); got != want {
			t.Errorf("ExpandArgDefaults(%q) = %q, want %q", ref, got, want)
		}
	}
	if !f.Stages[0].Windows {
		t.Errorf("stage FROM ${B} not seen as Windows")
	}
}
