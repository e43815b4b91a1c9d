// Package rewrite fixes and formats Dockerfiles without changing what they
// build.
//
// It parses with BuildKit's own parser, maps the syntax tree back onto the
// source lines, and runs small independent rules (see [Rules]) that report
// [Finding]s, some with a [Fix] made of whole-line replacements. [Process]
// applies the fixes the [Options] allow, re-parses, repeats until nothing
// changes, formats the result, and checks it with a safety net before
// returning it: every instruction no fix targeted must be unchanged, and
// every byte outside replaced lines is kept.
package rewrite
