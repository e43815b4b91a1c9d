package rewrite

import "github.com/cmdfix/cmdfix/rewrite/rule"

// EngineTestRules are the test-only rules of engine_test.go, for the
// golden cases in golden/engine.
var EngineTestRules = engineTestRules

// process is Process running exactly run (no rule when nil).
func process(name string, src []byte, opts Options, run []*rule.Rule) (*Result, error) {
	if run == nil {
		run = []*rule.Rule{}
	}
	opts.Rules = run
	return Process(name, src, opts)
}
