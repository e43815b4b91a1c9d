package rules_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/internal/cmdline"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestSplitKeepsDefaultCommand checks split-entrypoint's promise over the
// corpus: with --split, the command Docker runs by default (ENTRYPOINT
// followed by CMD, as argv) is the same for every stage as without it, and
// as in the input wherever the input's command is in exec form. It logs
// how many suggestions the corpus gets, by ecosystem, and why stages get
// none.
func TestSplitKeepsDefaultCommand(t *testing.T) {
	var (
		mu       sync.Mutex
		nFiles   int
		fired    int
		byKind   = map[string]int{}
		byReason = map[string]int{}
		// unknownBase counts commands that would be split if their base
		// image were known to set no ENTRYPOINT, by ecosystem.
		unknownBase = map[string]int{}
	)
	corpus.ForEach(t, func(name string, src []byte) {
		base, err := rewrite.Process(name, src, rewrite.Options{})
		if err != nil {
			return // files cmdfix rejects are the engine's concern
		}
		split, err := rewrite.Process(name, src, rewrite.Options{Split: true})
		if err != nil {
			t.Errorf("%s: with --split: %v", name, err)
			return
		}
		in := parseOrReport(t, name, src)
		bf := parseOrReport(t, name, base.Output)
		sf := parseOrReport(t, name, split.Output)
		if in == nil || bf == nil || sf == nil {
			return
		}
		if len(sf.Stages) != len(bf.Stages) || len(sf.Stages) != len(in.Stages) {
			t.Errorf("%s: %d stages became %d", name, len(bf.Stages), len(sf.Stages))
			return
		}
		nFired := 0
		for _, fd := range split.Findings {
			if fd.Rule == rules.SplitEntrypoint.Name && fd.Fixed {
				nFired++
			}
		}
		splitStages := 0
		for i, s := range sf.Stages {
			if execEntrypoints(s) > execEntrypoints(bf.Stages[i]) {
				splitStages++
			}
			after, ok := defaultCommand(s)
			if before, ok2 := defaultCommand(bf.Stages[i]); ok && ok2 && !slices.Equal(before, after) {
				t.Errorf("%s: stage %d runs %q with --split, %q without", name, i, after, before)
			}
			if before, ok2 := defaultCommand(in.Stages[i]); ok && ok2 && !slices.Equal(before, after) {
				t.Errorf("%s: stage %d runs %q with --split, %q in the input", name, i, after, before)
			}
		}
		if splitStages != nFired {
			t.Errorf("%s: %d splits reported fixed, %d stages split", name, nFired, splitStages)
		}

		mu.Lock()
		defer mu.Unlock()
		nFiles++
		fired += nFired
		for _, s := range bf.Stages {
			kind, cmd, ok := rules.SplitPlan(bf, s)
			switch {
			case ok:
				byKind[kind]++
			case kind == rules.SkipUnknownBase:
				byReason[kind]++
				if id := cmdline.Of(cmd.Args()); id.N > 0 && id.N < len(cmd.Args()) {
					unknownBase[id.Kind]++
				}
			default:
				byReason[kind]++
			}
		}
	})

	total := 0
	for _, n := range byKind {
		total += n
	}
	// A split can make way for another: a stage whose child sets its own
	// CMD is left alone until the child's CMD is split too. So --split
	// may apply more than the suggestions shown without it, never fewer.
	if fired < total {
		t.Errorf("%d splits applied with --split, %d suggested without it", fired, total)
	}
	if fired == 0 {
		t.Errorf("no split applied over the corpus: the property above was not exercised")
	}
	t.Logf("%d files parsed: %d suggestions (%d applied with --split); by ecosystem: %s", nFiles, total, fired, histogram(byKind))
	t.Logf("stages without a suggestion, by reason: %s", histogram(byReason))
	t.Logf("commands that would be split if their unknown base image set no ENTRYPOINT: %s", histogram(unknownBase))
}

// defaultCommand returns the argv Docker runs by default for stage s:
// the ENTRYPOINT in effect followed by the CMD in effect, with markers for
// what comes from the base image. ok is false when either is in shell
// form.
func defaultCommand(s *dockerfile.Stage) (argv []string, ok bool) {
	ep := s.Entrypoint()
	switch {
	case ep == nil:
		if info, known := images.Lookup(s.ExternalBase()); !known || info.Entrypoint != images.NoEntrypoint {
			argv = append(argv, "<ENTRYPOINT of "+s.ExternalBase()+">")
		}
	case !ep.JSON():
		return nil, false
	default:
		argv = append(argv, ep.Args()...)
	}
	cmd, known := s.Cmd()
	switch {
	case !known:
		argv = append(argv, "<CMD of "+s.ExternalBase()+">")
	case cmd == nil:
	case !cmd.JSON():
		return nil, false
	default:
		argv = append(argv, cmd.Args()...)
	}
	return argv, true
}

// execEntrypoints counts the stage's own non-empty exec-form ENTRYPOINTs.
func execEntrypoints(s *dockerfile.Stage) int {
	n := 0
	for _, ep := range s.Entrypoints {
		if ep.JSON() && len(ep.Args()) > 0 {
			n++
		}
	}
	return n
}

func parseOrReport(t *testing.T, name string, src []byte) *dockerfile.File {
	f, err := dockerfile.Parse(name, bytes.TrimPrefix(src, bom))
	if err != nil {
		if err != dockerfile.ErrNoInstructions {
			t.Errorf("%s: %v", name, err)
		}
		return nil
	}
	return f
}

// histogram formats counts by name, largest first.
func histogram(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// TestSplitEntrypointGolden runs the cases in golden/split-entrypoint.
func TestSplitEntrypointGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "split-entrypoint"), rules.All)
}
