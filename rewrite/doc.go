// Package rewrite fixes and formats Dockerfiles without changing what they
// build. It is the library's entry point: Process.
//
// Process parses with BuildKit's own parser (package dockerfile), runs
// small independent rules (package rule; cmdfix's own are rules.All) that
// report Findings, some with a Fix made of whole-line replacements,
// applies the fixes Options allow, re-parses, repeats until nothing
// changes, formats the result, and checks every step with a safety net
// before returning it: every instruction no fix targeted must be
// unchanged, and every byte outside replaced lines is kept.
//
// Two facts come from outside the Dockerfile when the caller gives them:
// Options.Context, the build context, which rules read through
// rule.Pass.Context (the scripts COPY and ADD take from it), and
// Options.Images, a resolver of base image configs, which Process asks
// once per external base image before the rules run; the File then
// answers with those configs (File.SetImages) where it would use the
// built-in table.
//
// The parts, each a package below this one, are used in one direction:
//
//	rewrite             Process, the driver, pragmas
//	rules               the rules and their order (rules.All)
//	rule                Rule, Pass, Finding, Fix
//	internal/format     the formatter
//	internal/safety     the safety net (it imports neither rules nor format)
//	dockerfile          the model: File, Instruction, Stage, edits, the platform
//	buildcontext        the build context: which file COPY and ADD put at a path
//	shell, images       shell text and dialects; base images known offline
//	images/resolve      base image configs from their registries (the command's)
package rewrite
