package rules

import (
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

func TestBuildKitRejects(t *testing.T) {
	for text, want := range map[string]string{
		"CMD run":                        "",
		"CMD --help":                     "unknown flag --help",
		"ENTRYPOINT --x=1 run":           "unknown flag --x=1",
		"HEALTHCHECK NONE":               "",
		"HEALTHCHECK --interval=5s NONE": "", // BuildKit reads no flags for NONE
		"HEALTHCHECK NONE now":           "HEALTHCHECK NONE takes no arguments",
		"HEALTHCHECK CMD":                "missing command after HEALTHCHECK CMD",
		"HEALTHCHECK cmd true":           "",
		"HEALTHCHECK PING host":          "unknown HEALTHCHECK type PING",
		"HEALTHCHECK --interval=30s --timeout=3s --start-period=0s --start-interval=1s --retries=3 CMD true": "",
		"HEALTHCHECK --interval=1us CMD true":       "bad duration --interval=1us",
		"HEALTHCHECK --interval=0 CMD true":         "",
		"HEALTHCHECK --retries=-1 CMD true":         "bad number --retries=-1",
		"HEALTHCHECK --retries CMD true":            "missing a value on flag --retries",
		"HEALTHCHECK --retries=1 --retries=2 CMD x": "duplicate flag --retries",
		"HEALTHCHECK --color=red CMD true":          "unknown flag --color",
	} {
		f, err := dockerfile.Parse("Dockerfile", []byte("FROM a\n"+text+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := buildKitRejects(f.Instructions[1]); got != want {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
}
