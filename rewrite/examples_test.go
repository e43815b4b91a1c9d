package rewrite

import (
	"os"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestExampleExercisesEveryRule keeps examples/Dockerfile, the file the
// README's main command runs on, showing every rule: each registered rule
// must report at least one finding there by default and with --split (with
// --unsafe the ENTRYPOINT problems are fixed, so only a clean run is
// required); explicit-shell, which runs only when asked for, with
// --explicit-shell; definition-description, which runs only where the file
// enables BuildKit's experimental check, is left out.
func TestExampleExercisesEveryRule(t *testing.T) {
	src, err := os.ReadFile("../examples/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := buildcontext.Open("../examples", "../examples/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{}, {Split: true}, {Unsafe: true, Split: true}, {ExplicitShell: true}} {
		opts.Context = ctx // as the command gives the Dockerfile's folder
		res, err := Process("examples/Dockerfile", src, opts)
		if err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if !res.Changed {
			t.Errorf("%+v: the example is not changed", opts)
		}
		seen := map[string]bool{}
		for _, fd := range res.Findings {
			seen[fd.Rule] = true
		}
		for _, r := range rules.All {
			if r == rules.ExplicitShell && !opts.ExplicitShell || r == rules.DefinitionDescription {
				continue // they run only when asked for (the flag, the file's check directive)
			}
			if !seen[r.Name] && !opts.Unsafe {
				t.Errorf("%+v: rule %s reports nothing on examples/Dockerfile", opts, r.Name)
			}
		}
	}
}
