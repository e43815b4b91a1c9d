package images_test

import (
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/images"
)

// TestClassify checks how a resolved config maps onto the table's terms.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		ref   string
		cfg   images.Config
		class images.EntrypointClass
		text  string
	}{
		{"corp/base:1", images.Config{Cmd: []string{"sh"}}, images.NoEntrypoint, ""},
		{"corp/base:1", images.Config{Entrypoint: []string{}}, images.NoEntrypoint, ""},
		{"corp/base:1", images.Config{Entrypoint: []string{"/entry.sh"}}, images.InspectsArgs, `["/entry.sh"]`},
		// the table's row names the same ENTRYPOINT: its class stands
		{"node:22", images.Config{Entrypoint: []string{"docker-entrypoint.sh"}}, images.PassesCommand, `["docker-entrypoint.sh"]`},
		// the registry disagrees with the table: cmdfix cannot tell
		{"node:22", images.Config{Entrypoint: []string{"/other.sh"}}, images.InspectsArgs, `["/other.sh"]`},
	} {
		got := images.Classify(c.ref, c.cfg)
		if got.Entrypoint != c.class || got.EntrypointText != c.text {
			t.Errorf("Classify(%s, %v) = %v %s, want %v %s", c.ref, c.cfg.Entrypoint, got.Entrypoint, got.EntrypointText, c.class, c.text)
		}
	}
}
