package dockerfile

// Parent links always point to an earlier stage (BuildKit resolves FROM
// names against the stages before), so these walks end.
//
// Helpers that answer "what is in effect" for a stage, following BuildKit's
// dispatcher (see ../shared/notes/api-notes.md, section B): a stage built
// FROM an earlier stage starts from that stage's final image config; the
// last CMD, ENTRYPOINT and HEALTHCHECK of a stage win; an ENTRYPOINT resets
// the CMD inherited from the parent unless the stage set its own CMD
// earlier; ONBUILD triggers of an in-file parent stage run at the start of
// the child.

// Root returns the first stage of s's in-file chain: the one built from an
// external image (or from a stage name that is not in the file).
func (s *Stage) Root() *Stage {
	r := s
	for _, a := range s.Ancestors() {
		r = a
	}
	return r
}

// ExternalBase returns the external image the stage's chain starts from,
// as written (it may hold ARG references such as ${BASE}).
func (s *Stage) ExternalBase() string { return s.Root().Base }

// Triggers returns the ONBUILD triggers that run at the start of s: those
// its in-file parent registered.
func (s *Stage) Triggers() []*Instruction {
	if s.Parent == nil {
		return nil
	}
	var out []*Instruction
	for _, ob := range s.Parent.OnBuilds {
		if ob.Trigger != nil {
			out = append(out, ob.Trigger)
		}
	}
	return out
}

// OwnOrTriggered returns the last instruction of kind keyword that s
// dispatches itself: its own, else one of the parent's ONBUILD triggers.
func (s *Stage) OwnOrTriggered(keyword string) *Instruction {
	var own []*Instruction
	switch keyword {
	case "cmd":
		own = s.Cmds
	case "entrypoint":
		own = s.Entrypoints
	case "healthcheck":
		own = s.Healthchecks
	}
	if in := Last(own); in != nil {
		return in
	}
	var last *Instruction
	for _, t := range s.Triggers() {
		if t.Keyword == keyword {
			last = t
		}
	}
	return last
}

// Entrypoint returns the ENTRYPOINT in effect in s's final image config,
// from s or an in-file ancestor, and nil when none in the file sets one (the
// external base image may still set one: see LookupImage).
func (s *Stage) Entrypoint() *Instruction {
	in, _ := dispatched(s, "entrypoint")
	return in
}

// Cmd returns the CMD in effect in s's final image config and whether it is
// known. known is false when the CMD would come from the external base
// image. A nil CMD with known true means the config has no CMD (an
// ENTRYPOINT reset the inherited one).
func (s *Stage) Cmd() (cmd *Instruction, known bool) {
	for st := s; st != nil; st = st.Parent {
		if in := st.OwnOrTriggered("cmd"); in != nil {
			return in, true
		}
		if st.OwnOrTriggered("entrypoint") != nil {
			return nil, true // the ENTRYPOINT reset the inherited CMD
		}
	}
	return nil, false
}

// Healthcheck returns the HEALTHCHECK in effect in s's final config from
// the file, or nil.
func (s *Stage) Healthcheck() *Instruction {
	in, _ := dispatched(s, "healthcheck")
	return in
}

// Children returns the stages in the file built FROM s.
func (f *File) Children(s *Stage) []*Stage {
	var out []*Stage
	for _, c := range f.Stages {
		if c.Parent == s {
			out = append(out, c)
		}
	}
	return out
}

// dispatched returns the last instruction of kind keyword that s's chain
// dispatches (nearest stage first), and the stage that dispatched it.
func dispatched(s *Stage, keyword string) (*Instruction, *Stage) {
	for st := s; st != nil; st = st.Parent {
		if in := st.OwnOrTriggered(keyword); in != nil {
			return in, st
		}
	}
	return nil, nil
}
