package rewrite

import (
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

func TestCmdfixPragma(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"cmdfix ignore=exec-form", []string{"exec-form"}},
		{"cmdfix ignore=exec-form,redundant-instruction", []string{"exec-form", "redundant-instruction"}},
		{"cmdfix ignore = exec-form , redundant-instruction -- we need $PORT", []string{"exec-form", "redundant-instruction"}},
		{"cmdfix ignore=all", []string{"all"}},
		{"cmdfix\tignore=json-array because", []string{"json-array"}},
		{"cmdfix ignore=", nil},
		{"cmdfix ignore exec-form", nil},
		{"cmdfixignore=exec-form", nil},
		{"not cmdfix ignore=exec-form", nil},
		{"cmdfix: ignore=exec-form", nil},
	} {
		got, ok := cmdfixPragma(tc.text)
		if !slices.Equal(got, tc.want) || ok != (tc.want != nil) {
			t.Errorf("cmdfixPragma(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}

func TestHadolintPragma(t *testing.T) {
	for _, tc := range []struct {
		text   string
		want   []string
		global bool
	}{
		{"hadolint ignore=DL3025", []string{"DL3025"}, false},
		{"hadolint ignore=DL3025,DL4003", []string{"DL3025", "DL4003"}, false},
		{"hadolint ignore = DL3025 , DL4003 # why", []string{"DL3025", "DL4003"}, false},
		{"hadolint ignore=DL3025, SC2086", []string{"DL3025", "SC2086"}, false},
		{"hadolint global ignore=DL4003", []string{"DL4003"}, true},
		{"hadolint shell=bash", nil, false},
		{"hadolint", nil, false},
		{"hadolintignore=DL3025", nil, false},
	} {
		got, global := hadolintPragma(tc.text)
		if !slices.Equal(got, tc.want) || global != tc.global {
			t.Errorf("hadolintPragma(%q) = %q, %v; want %q, %v", tc.text, got, global, tc.want, tc.global)
		}
	}
}

// TestIgnoredAt checks which rules the comments above the last instruction
// of each snippet silence there.
func TestIgnoredAt(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"cmdfix", "FROM a\n# cmdfix ignore=redundant-instruction\nCMD x\n", []string{"redundant-instruction"}},
		{"cmdfix case", "FROM a\n# cmdfix ignore=Redundant-Instruction\nCMD x\n", []string{"redundant-instruction"}},
		{"cmdfix all", "FROM a\n# cmdfix ignore=all\nCMD x\n", ruleNames(rules.All)},
		{"cmdfix unknown", "FROM a\n# cmdfix ignore=no-such-rule\nCMD x\n", nil},
		{"cmdfix higher in the run", "FROM a\n# cmdfix ignore=entrypoint-cmd\n# why: see the ticket\nCMD x\n", []string{"entrypoint-cmd"}},
		{"cmdfix across empty #", "FROM a\n# cmdfix ignore=entrypoint-cmd\n#\nCMD x\n", []string{"entrypoint-cmd"}},
		{"cmdfix after blank line", "FROM a\n# cmdfix ignore=entrypoint-cmd\n\nCMD x\n", nil},
		{"cmdfix inside previous instruction", "FROM a\nRUN a \\\n  # cmdfix ignore=entrypoint-cmd\n  b\nCMD x\n", nil},
		{"hadolint", "FROM a\n# hadolint ignore=DL4003\nCMD x\n", []string{"redundant-instruction"}},
		{"hadolint DL3012", "FROM a\n# hadolint ignore=DL3012\nHEALTHCHECK NONE\n", []string{"redundant-instruction"}},
		{"hadolint other code", "FROM a\n# hadolint ignore=DL3008\nCMD x\n", nil},
		{"hadolint global is not per instruction", "FROM a\n# hadolint global ignore=DL4003\nCMD x\n", nil},
		{"check", "FROM a\n# check=skip=MultipleInstructionsDisallowed\nCMD x\n", []string{"redundant-instruction"}},
		{"check case and spaces", "FROM a\n# Check = skip=multipleinstructionsdisallowed\nCMD x\n", []string{"redundant-instruction"}},
		{"check among rules", "FROM a\n# check=skip=StageNameCasing,MultipleInstructionsDisallowed;error=true\nCMD x\n", []string{"redundant-instruction", "stage-name-case"}},
		{"check StageNameCasing", "FROM a\n# check=skip=StageNameCasing\nFROM a AS B\n", []string{"stage-name-case"}},
		{"check FromAsCasing", "FROM a\n# check=skip=FromAsCasing\nfrom a as b\n", []string{"keyword-case"}},
		{"check ConsistentInstructionCasing", "FROM a\n# check=skip=ConsistentInstructionCasing\nrun x\n", []string{"keyword-case"}},
		{"check LegacyKeyValueFormat", "FROM a\n# check=skip=LegacyKeyValueFormat\nENV A b\n", []string{"legacy-key-value"}},
		{"check NoEmptyContinuation", "FROM a\n# check=skip=NoEmptyContinuation\nRUN a\n", []string{"empty-continuation"}},
		{"check Expose", "FROM a\n# check=skip=ExposeProtoCasing,ExposeInvalidFormat\nEXPOSE 80\n", []string{"expose-format", "expose-proto-case"}},
		{"check RedundantTargetPlatform", "FROM a\n# check=skip=RedundantTargetPlatform\nFROM a\n", []string{"redundant-target-platform"}},
		{"check InvalidDefinitionDescription", "FROM a\n# check=skip=InvalidDefinitionDescription\nARG A\n", []string{"definition-description"}},
		{"hadolint DL4000", "FROM a\n# hadolint ignore=DL4000\nMAINTAINER x\n", []string{"maintainer"}},
		{"hadolint DL3000", "FROM a\n# hadolint ignore=DL3000\nWORKDIR x\n", []string{"workdir-relative"}},
		{"hadolint DL3025", "FROM a\n# hadolint ignore=DL3025\nCMD x\n", []string{"exec-form", "explicit-shell", "json-array"}},
		{"check MaintainerDeprecated and WorkdirRelativePath", "FROM a\n# check=skip=MaintainerDeprecated,WorkdirRelativePath\nMAINTAINER x\n", []string{"maintainer", "workdir-relative"}},
		{"check all", "FROM a\n# check=skip=all\nCMD x\n", buildKitMapped()},
		{"check after blank line", "FROM a\n# check=skip=MultipleInstructionsDisallowed\n\n\nCMD x\n", []string{"redundant-instruction"}},
		{"check above empty #", "FROM a\n# check=skip=MultipleInstructionsDisallowed\n#\nCMD x\n", nil},
		{"check rejected value", "FROM a\n# check=skip=MultipleInstructionsDisallowed;bogus=1\nCMD x\n", nil},
		{"check value up to space", "FROM a\n# check=skip=MultipleInstructionsDisallowed because\nCMD x\n", []string{"redundant-instruction"}},
		{"check above previous instruction", "FROM a\n# check=skip=MultipleInstructionsDisallowed\nRUN true\nCMD x\n", nil},
		{"three forms", "FROM a\n# hadolint ignore=DL4003\n# check=skip=MultipleInstructionsDisallowed\n# cmdfix ignore=entrypoint-cmd\nCMD x\n", []string{"entrypoint-cmd", "redundant-instruction"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := dockerfile.Parse("Dockerfile", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(maps.Keys(ignoredAt(f, dockerfile.Last(f.Instructions), rules.All)))
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("silenced %q, want %q", got, want)
			}
		})
	}
}

func TestFileSkips(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"directive", "# check=skip=MultipleInstructionsDisallowed\nFROM a\n", []string{"redundant-instruction"}},
		{"after syntax", "# syntax=docker/dockerfile:1\n# check=skip=MultipleInstructionsDisallowed\nFROM a\n", []string{"redundant-instruction"}},
		{"all", "# check=skip=all\nFROM a\n", buildKitMapped()},
		{"not a directive after a comment", "# hello\n# check=skip=MultipleInstructionsDisallowed\nFROM a\n", nil},
		{"hadolint global", "FROM a\nRUN x\n# hadolint global ignore=DL3008,DL4004\nCMD x\n", []string{"redundant-instruction"}},
		{"nothing", "FROM a\n# hadolint ignore=DL4003\nCMD x\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := dockerfile.Parse("Dockerfile", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(maps.Keys(fileSkips(f, rules.All)))
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("skipped %q, want %q", got, want)
			}
		})
	}
}

// TestSkipAllSpeaksForBuildKitOnly: BuildKit's skip=all covers the rules
// that have a BuildKit counterpart, and no others.
func TestSkipAllSpeaksForBuildKitOnly(t *testing.T) {
	mapped := buildKitMapped()
	if !slices.Contains(mapped, "redundant-instruction") || slices.Contains(mapped, "entrypoint-cmd") {
		t.Fatalf("rules with BuildKit names: %q", mapped)
	}
}

func ruleNames(rules []*rule.Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Name)
	}
	return out
}

func buildKitMapped() []string {
	var out []string
	for _, r := range rules.All {
		if len(r.BuildKit) > 0 {
			out = append(out, r.Name)
		}
	}
	return out
}

// TestREADMEPragmaTable keeps the README's mapping of hadolint and BuildKit
// names to cmdfix rules in step with the rules' own metadata.
func TestREADMEPragmaTable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Ignoring a finding")
	section, _, _ = strings.Cut(section, "\n## ")
	_, table, ok := strings.Cut(section, "| cmdfix rule | hadolint | BuildKit |")
	if !ok {
		t.Fatal("README: no mapping table in \"Ignoring a finding\"")
	}
	rows := map[string][2][]string{}
	names := [2]*regexp.Regexp{regexp.MustCompile("`(DL[0-9]{4})`"), regexp.MustCompile("`([A-Z][A-Za-z]+)`")}
	for _, l := range strings.Split(table, "\n") {
		cells := strings.Split(l, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		var row [2][]string
		for i, cell := range cells[2:4] {
			for _, m := range names[i].FindAllStringSubmatch(cell, -1) {
				row[i] = append(row[i], m[1])
			}
		}
		rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = row
	}
	for _, r := range rules.All {
		row, ok := rows[r.Name]
		if !ok {
			t.Errorf("README mapping table has no row for %s", r.Name)
			continue
		}
		if !slices.Equal(row[0], r.Hadolint) || !slices.Equal(row[1], r.BuildKit) {
			t.Errorf("README row for %s says hadolint %q, BuildKit %q; the rule says %q, %q", r.Name, row[0], row[1], r.Hadolint, r.BuildKit)
		}
	}
}
