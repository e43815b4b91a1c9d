package dockerfile

import (
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/images"
)

// BaseImages answers what the registry says about an external base image,
// given as a stage's FROM writes it: the reference before ARG expansion
// and the --platform value ("" when none). ok is false when the config is
// not known (not resolved, or resolving failed); the table then answers.
type BaseImages func(ref, platform string) (c images.Config, ok bool)

// SetImages makes f (and the files Reparse makes from it) use the
// resolved configs of b for its external base images: a stage whose base
// config says windows is a Windows stage, and EntrypointOf describes the
// ENTRYPOINT the config sets. nil means the table alone.
func (f *File) SetImages(b BaseImages) {
	f.images = b
	if b == nil {
		return
	}
	for _, s := range f.Stages { // parents come before their children
		if !s.Windows && (f.resolvedWindows(s) || s.Parent != nil && s.Parent.Windows) {
			s.Windows = true
		}
	}
}

// Images returns the lookup SetImages gave f, nil if none.
func (f *File) Images() BaseImages { return f.images }

// carryImages gives a file made from old by Reparse old's image lookup.
func carryImages(old, f *File) {
	if old != nil && f != nil && old.images != nil {
		f.SetImages(old.images)
	}
}

// FromPlatform returns the --platform value of a FROM as written, "" if
// none.
func FromPlatform(from *Instruction) string {
	for _, fl := range from.Node.Flags {
		if v, ok := strings.CutPrefix(fl, "--platform="); ok {
			return v
		}
	}
	return ""
}

// BaseConfig returns the resolved config of the external image s's chain
// starts from, if SetImages gave one.
func (f *File) BaseConfig(s *Stage) (images.Config, bool) {
	if f.images == nil || s == nil {
		return images.Config{}, false
	}
	r := s.Root()
	if r.Parent != nil || r.From == nil {
		return images.Config{}, false
	}
	return f.images(r.Base, FromPlatform(r.From))
}

// resolvedWindows reports a stage built from an external image whose
// resolved config says windows.
func (f *File) resolvedWindows(s *Stage) bool {
	if s.Parent != nil {
		return false
	}
	c, ok := f.BaseConfig(s)
	return ok && c.Windows()
}

// resolvedEntrypoint is EntrypointOf's answer from a resolved base config.
func (f *File) resolvedEntrypoint(s *Stage) (EntrypointInEffect, bool) {
	c, ok := f.BaseConfig(s)
	if !ok {
		return EntrypointInEffect{}, false
	}
	base := s.ExternalBase()
	ref := c.Ref
	if ref == "" {
		ref = f.ExpandArgDefaults(base)
	}
	e := EntrypointInEffect{Base: base, Known: true, Resolved: true, Info: images.Classify(ref, c)}
	if ref != base {
		e.ByDefault = ref
	}
	return e, true
}
