package safety

import (
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// TestEquivalences checks each rule's equivalence from both sides: the
// change the rule makes is accepted, and a broken rule that changes
// something more (or something else) is refused with the rule to blame.
func TestEquivalences(t *testing.T) {
	const refused = "which BuildKit does not build the same way"
	for _, c := range []struct {
		name, rule, src string
		start, end      int
		text, err       string
	}{
		{"keyword case", "keyword-case", "from a as b\nrun x\n", 1, 2, "FROM a AS b\nRUN x\n", ""},
		{"keyword case changes an argument", "keyword-case", "FROM a\nrun x\n", 2, 2, "RUN X\n", refused},
		{"keyword case renames the stage", "keyword-case", "FROM a as B\n", 1, 1, "FROM a AS b\n", refused},
		{"empty continuation", "empty-continuation", "FROM a\nRUN x \\\n\n  y\n", 2, 4, "RUN x \\\n  y\n", ""},
		{"empty continuation joins differently", "empty-continuation", "FROM a\nRUN x \\\n\n  y\n", 2, 4, "RUN x \\\n  z\n", refused},
		{"empty continuation drops a comment", "empty-continuation", "FROM a\nRUN x \\\n  # c\n\n  y\n", 2, 5, "RUN x \\\n  y\n", `comment "# c" was lost`},
		{"stage name and references", "stage-name-case", "FROM a AS B\nFROM B\nCOPY --from=B /a /b\nRUN --mount=from=B,target=/x true\n", 1, 4,
			"FROM a AS b\nFROM b\nCOPY --from=b /a /b\nRUN --mount=from=b,target=/x true\n", ""},
		{"stage name: reference to no stage", "stage-name-case", "FROM a AS B\nCOPY --from=Other /a /b\n", 2, 2, "COPY --from=other /a /b\n", refused},
		{"stage name: image reference", "stage-name-case", "FROM Alpine\n", 1, 1, "FROM alpine\n", refused},
		{"stage name: upper-cased", "stage-name-case", "FROM a AS b\n", 1, 1, "FROM a AS B\n", refused},
		{"stage name: inside ONBUILD", "stage-name-case", "FROM a AS B\nONBUILD COPY --from=B /a /b\n", 2, 2, "ONBUILD COPY --from=b /a /b\n", refused},
		{"stage name: other mount field", "stage-name-case", "FROM a AS B\nRUN --mount=from=B,target=/X true\n", 2, 2, "RUN --mount=from=b,target=/x true\n", refused},
		{"expose protocol", "expose-proto-case", "FROM a\nEXPOSE 80/TCP 53/Udp\n", 2, 2, "EXPOSE 80/tcp 53/udp\n", ""},
		{"expose protocol changed", "expose-proto-case", "FROM a\nEXPOSE 80/TCP\n", 2, 2, "EXPOSE 80/udp\n", refused},
		{"expose port changed with it", "expose-proto-case", "FROM a\nEXPOSE 80/TCP\n", 2, 2, "EXPOSE 81/tcp\n", refused},
		{"expose format", "expose-format", "FROM a\nEXPOSE 127.0.0.1:8080:80/tcp [::1]:53:53\n", 2, 2, "EXPOSE 80/tcp 53\n", ""},
		{"expose format keeps the host port", "expose-format", "FROM a\nEXPOSE 8080:80\n", 2, 2, "EXPOSE 8080\n", refused},
		{"expose format drops a bad address", "expose-format", "FROM a\nEXPOSE 1.2.3:80:80\n", 2, 2, "EXPOSE 80\n", refused},
		{"target platform", "redundant-target-platform", "FROM --platform=$TARGETPLATFORM a\n", 1, 1, "FROM a\n", ""},
		{"build platform", "redundant-target-platform", "FROM --platform=$BUILDPLATFORM a\n", 1, 1, "FROM a\n", refused},
		{"target platform with an ARG default", "redundant-target-platform", "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM a\n", 2, 2, "FROM a\n", refused},
		{"target platform with an ARG without default", "redundant-target-platform", "ARG TARGETPLATFORM\nFROM --platform=$TARGETPLATFORM a\n", 2, 2, "FROM a\n", ""},
		{"legacy key value", "legacy-key-value", "FROM a\nENV A b c\nLABEL x \"y z\"\n", 2, 3, "ENV A=\"b c\"\nLABEL x='y z'\n", ""},
		{"legacy key value with variables", "legacy-key-value", "FROM a\nENV P $HOME/bin:$PATH\n", 2, 2, "ENV P=$HOME/bin:$PATH\n", ""},
		{"legacy key value quotes a variable", "legacy-key-value", "FROM a\nENV P $HOME x\n", 2, 2, "ENV P='$HOME x'\n", refused},
		{"legacy key value loses a blank", "legacy-key-value", "FROM a\nENV A b  c\n", 2, 2, "ENV A=\"b c\"\n", refused},
		{"legacy key value renames the key", "legacy-key-value", "FROM a\nENV A b\n", 2, 2, "ENV B=b\n", refused},
		{"workdir in scratch", "workdir-relative", "FROM scratch\nWORKDIR app\n", 2, 2, "WORKDIR /app\n", ""},
		{"workdir in another image", "workdir-relative", "FROM alpine\nWORKDIR app\n", 2, 2, "WORKDIR /app\n", refused},
		{"workdir after a WORKDIR", "workdir-relative", "FROM scratch\nWORKDIR /x\nWORKDIR app\n", 3, 3, "WORKDIR /app\n", refused},
		{"explicit shell", "explicit-shell", "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo $A | b\n", 3, 3, "CMD [\"/bin/bash\", \"-c\", \"echo $A | b\"]\n", ""},
		{"explicit shell: another shell", "explicit-shell", "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo $A | b\n", 3, 3, "CMD [\"/bin/sh\", \"-c\", \"echo $A | b\"]\n", refused},
		{"explicit shell: healthcheck", "explicit-shell", "FROM a\nHEALTHCHECK --retries=2 CMD a || exit 1\n", 2, 2, "HEALTHCHECK --retries=2 CMD [\"/bin/sh\", \"-c\", \"a || exit 1\"]\n", ""},
		{"explicit shell: healthcheck drops exit", "explicit-shell", "FROM a\nHEALTHCHECK CMD a || exit 1\n", 2, 2, "HEALTHCHECK CMD [\"/bin/sh\", \"-c\", \"a\"]\n", refused},
		{"explicit shell: windows", "explicit-shell", "FROM mcr.microsoft.com/windows/nanoserver\nCMD echo a\n", 2, 2, "CMD [\"cmd\", \"/S\", \"/C\", \"echo a\"]\n", refused},
		{"description separated", "definition-description", "# x\nARG A=1\n", 2, 1, "#\n", ""},
		{"description: instruction changed", "definition-description", "# x\nARG A=1\n", 2, 2, "#\nARG A=2\n", refused},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, err := dockerfile.Parse("a", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			next, _ := dockerfile.ApplyEdits(before, []dockerfile.Edit{{Start: c.start, End: c.end, Text: c.text}})
			after, err := dockerfile.Parse("b", next)
			if err != nil {
				t.Fatal(err)
			}
			// explicit-shell's HEALTHCHECK fix is unsafe (the stored test
			// changes from CMD-SHELL to CMD): the net holds it to the
			// equivalence only, not to the image's health check.
			changes := strings.Contains(c.name, "explicit shell: healthcheck")
			blame, err := VerifyFixes(before, Of(before), Of(after), []Fix{{Rule: c.rule, Edits: []dockerfile.Edit{{Start: c.start, End: c.end, Text: c.text}}, Changes: changes}})
			switch {
			case c.err == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("error %v, want %q", err, c.err)
			case c.err != "" && blame != c.rule:
				t.Errorf("blamed %q, want %q", blame, c.rule)
			}
		})
	}
}

// TestVerifyOutcomeStages checks the stage changes the final check allows:
// a stage name's case, a reference to an earlier stage, a removed
// --platform=$TARGETPLATFORM; and that it still refuses other changes.
func TestVerifyOutcomeStages(t *testing.T) {
	for _, c := range []struct{ before, after, err string }{
		{"FROM a AS B\nFROM B\n", "FROM a AS b\nFROM b\n", ""},
		{"FROM --platform=$TARGETPLATFORM a\n", "FROM a\n", ""},
		{"FROM Alpine\n", "FROM alpine\n", "stage 1 changed"},
		{"FROM a AS B\n", "FROM a AS c\n", "stage 1 changed"},
		{"FROM --platform=$BUILDPLATFORM a\n", "FROM a\n", "stage 1 changed"},
	} {
		a, err := dockerfile.Parse("a", []byte(c.before))
		if err != nil {
			t.Fatal(err)
		}
		b, err := dockerfile.Parse("b", []byte(c.after))
		if err != nil {
			t.Fatal(err)
		}
		err = VerifyOutcome(Of(a), Of(b), nil)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q -> %q refused: %v", c.before, c.after, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q -> %q: error %v, want %q", c.before, c.after, err, c.err)
		}
	}
}
