package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// describe names an instruction for messages: keyword, line, stage when
// it matters, and its arguments.
func describeInstruction(f *dockerfile.File, in *dockerfile.Instruction) string {
	kw := strings.ToUpper(in.Keyword)
	if in.OnBuild {
		kw = "ONBUILD " + kw
	}
	s := fmt.Sprintf("%s at line %d", kw, f.InputLine(in.Start))
	if in.Stage != nil && in.Stage.Name != "" {
		s += " (stage " + dockerfile.StageName(in.Stage) + ")"
	}
	var arg string
	if in.JSON() {
		arg, _ = dockerfile.JSONArray(in.Args())
	} else {
		arg = strings.Join(in.Args(), " ")
	}
	return s + " `" + clip.Text(arg) + "`"
}

// argvText shows an exec-form argv for messages.
func argvText(argv []string) string {
	j, _ := dockerfile.JSONArray(argv)
	return "`" + clip.N(j, 60) + "`"
}

// describe names an instruction for a message: its keyword, and for a
// HEALTHCHECK whether it is NONE.
func describe(in *dockerfile.Instruction) string {
	kw := strings.ToUpper(in.Keyword)
	if args := in.Args(); in.Keyword == "healthcheck" && len(args) > 0 && strings.EqualFold(args[0], "none") {
		return kw + " NONE"
	}
	return kw
}

// shownBase names the base image whose ENTRYPOINT is in effect, for
// messages.
func shownBase(ep dockerfile.EntrypointInEffect) string {
	s := "`" + clip.N(ep.Base, 60) + "`"
	switch {
	case ep.ByDefault != "" && ep.Resolved:
		s += " (`" + clip.N(ep.ByDefault, 60) + "` as resolved)"
	case ep.ByDefault != "":
		s += " (`" + clip.N(ep.ByDefault, 60) + "` by default)"
	}
	return s
}
