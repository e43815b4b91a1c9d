// Package rules holds cmdfix's rules, one file each, and the list Process
// runs by default. Each rule's file, its test, its golden cases under
// golden/NAME and its page docs/rules/NAME.md share the rule's name.
package rules

import "github.com/cmdfix/cmdfix/rewrite/rule"

// All is every cmdfix rule, in the order the driver prefers their fixes
// when two fixes touch the same lines: removing an overridden instruction
// first, then repairing arrays, then converting to exec form; the
// reports, then the split suggestion, last.
var All = []*rule.Rule{
	RedundantInstruction,
	JSONArray,
	ExecForm,
	ExplicitShell,
	ExecLastCommand,
	EntrypointCmd,
	EntrypointScript,
	SplitEntrypoint,
	EmptyContinuation,
	StageNameCase,
	LegacyKeyValue,
	Maintainer,
	RedundantTargetPlatform,
	ExposeFormat,
	ExposeProtoCase,
	WorkdirRelative,
	DefinitionDescription,
	KeywordCase,
}

// pageURL is where the rules' pages (docs/rules/NAME.md) are published.
const pageURL = "https://github.com/cmdfix/cmdfix/blob/main/docs/rules/"
