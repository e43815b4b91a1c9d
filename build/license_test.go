package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

// detectLicense names the license of a LICENSE text, for the few kinds
// cmdfix's dependencies use.
func detectLicense(text string) string {
	switch {
	case strings.Contains(text, "Apache License") && strings.Contains(text, "Version 2.0"):
		return "Apache-2.0"
	case strings.Contains(text, "Permission is hereby granted, free of charge"):
		return "MIT"
	case strings.Contains(text, "Redistribution and use in source and binary forms"):
		if strings.Contains(text, "Neither the name") || strings.Contains(text, "names of its contributors") {
			return "BSD-3-Clause"
		}
		return "BSD-2-Clause"
	}
	return "unknown"
}

// TestLicenses checks the README's License table against the modules the
// cmdfix binary is built from: each one is listed, at its version, with
// the license its LICENSE file in the module cache has, and the table
// lists nothing else.
func TestLicenses(t *testing.T) {
	root := sourcetree.Root(t)
	out, code := run(t, root, nil, goTool(), "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}", "./cmd/cmdfix")
	if code != 0 {
		t.Fatalf("go list: exit %d\n%s", code, out)
	}
	type module struct{ version, dir string }
	modules := map[string]module{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("go list line %q", line)
		}
		modules[f[0]] = module{f[1], f[2]}
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)[strings.Index(string(readme), "\n## License\n"):]
	rows := regexp.MustCompile(`(?m)^\| (\S+) \| (\S+) \| (\S+) \|$`).FindAllStringSubmatch(section, -1)
	listed := map[string]bool{}
	for _, row := range rows {
		path, version, license := row[1], row[2], row[3]
		if path == "module" || strings.HasPrefix(path, "---") {
			continue
		}
		listed[path] = true
		m, ok := modules[path]
		if !ok {
			t.Errorf("README lists %s, which the binary is not built from", path)
			continue
		}
		if version != m.version {
			t.Errorf("README lists %s at %s; go.mod has %s", path, version, m.version)
		}
		var text []byte
		for _, name := range []string{"LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING"} {
			if text, err = os.ReadFile(filepath.Join(m.dir, name)); err == nil {
				break
			}
		}
		if err != nil {
			t.Errorf("%s: no LICENSE file in %s", path, m.dir)
			continue
		}
		if got := detectLicense(string(text)); got != license {
			t.Errorf("README says %s is %s; its LICENSE reads as %s", path, license, got)
		}
	}
	for path := range modules {
		if !listed[path] {
			t.Errorf("the binary is built from %s %s, which README's License section does not list", path, modules[path].version)
		}
	}
}
