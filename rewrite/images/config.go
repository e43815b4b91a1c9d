package images

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// Config is what an image's registry says about it, in the terms the rules
// use: the part of the image config that decides what a stage built FROM
// it runs. A nil Entrypoint or Cmd means the image sets none.
type Config struct {
	// Ref is the reference that was resolved (ARGs expanded).
	Ref        string
	OS         string // "linux", "windows"
	Entrypoint []string
	Cmd        []string
	Shell      []string
	WorkingDir string
	Env        []string // "NAME=value"
}

// Windows reports a Windows image.
func (c Config) Windows() bool { return strings.EqualFold(c.OS, "windows") }

// Resolver reads base image configs from their registry. ref is the image
// as a build would pull it (ARGs expanded); platform is the FROM's
// --platform value as written ("" for the default). Implementations cache
// and bound their work; an error means the config is not known, and the
// caller falls back to the table.
type Resolver interface {
	Resolve(ctx context.Context, ref, platform string) (Config, error)
}

// Classify turns a resolved config into the Info the table would give:
// no ENTRYPOINT is known to be none; an ENTRYPOINT the table row for ref
// names too keeps the table's class (the table was read from the
// script); any other ENTRYPOINT may inspect its arguments, the table's own
// rule for the unsure.
func Classify(ref string, c Config) Info {
	info := Info{Cmd: c.Cmd}
	if len(c.Entrypoint) == 0 {
		return info
	}
	text, _ := json.Marshal(c.Entrypoint)
	info.EntrypointText = string(text)
	info.Entrypoint = InspectsArgs
	if row, ok := Lookup(ref); ok && row.Entrypoint != NoEntrypoint {
		var ep []string
		if json.Unmarshal([]byte(row.EntrypointText), &ep) == nil && slices.Equal(ep, c.Entrypoint) {
			info.Entrypoint = row.Entrypoint
		}
	}
	return info
}
