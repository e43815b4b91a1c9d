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
// The parts, each a package below this one, are used in one direction:
//
//	rewrite             Process, the driver, pragmas
//	rules               the rules and their order (rules.All)
//	rule                Rule, Pass, Finding, Fix
//	internal/format     the formatter
//	internal/safety     the safety net (it imports neither rules nor format)
//	dockerfile          the model: File, Instruction, Stage, edits, the platform
//	shell, images       shell text and dialects; base images known offline
package rewrite
