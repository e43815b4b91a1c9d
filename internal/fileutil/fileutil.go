// Package fileutil decides which file names are Dockerfiles.
package fileutil

import (
	"path/filepath"
	"strings"
)

// notDockerfile lists suffixes of files that share a Dockerfile's name but
// are something else: ignore files, docs, scripts, templates, backups.
var notDockerfile = []string{
	".dockerignore", ".md", ".txt", ".sh", ".ps1", ".py", ".json", ".yaml", ".yml",
	".tmpl", ".template", ".tpl", ".j2", ".jinja", ".jinja2", ".erb", ".mustache",
	".orig", ".rej", ".bak", ".swp", ".patch", ".diff", "~",
}

// IsDockerfile reports whether a file found while walking a directory is a
// Dockerfile by its name: Dockerfile, Containerfile, Dockerfile.*,
// Containerfile.*, *.Dockerfile, *.dockerfile or *.containerfile (any case),
// but not names that end like templates, scripts, docs or backups.
func IsDockerfile(path string) bool {
	name := strings.ToLower(filepath.Base(path))
	for _, s := range notDockerfile {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	switch {
	case name == "dockerfile", name == "containerfile":
		return true
	case strings.HasPrefix(name, "dockerfile."), strings.HasPrefix(name, "containerfile."):
		return true
	case strings.HasSuffix(name, ".dockerfile"), strings.HasSuffix(name, ".containerfile"):
		return name != ".dockerfile" && name != ".containerfile"
	}
	return false
}
