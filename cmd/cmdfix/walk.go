package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cmdfix/cmdfix/rewrite/fileutil"
)

// skipDirs are never walked into.
var skipDirs = map[string]bool{".git": true, "node_modules": true}

// collect turns the command-line paths into jobs: named files always, and
// Dockerfiles found by walking named directories. A file named twice (or
// reached twice) is processed once.
func collect(paths []string) []*job {
	var jobs []*job
	var seen []os.FileInfo
	add := func(path string, info os.FileInfo) {
		for _, s := range seen {
			if os.SameFile(s, info) {
				return
			}
		}
		seen = append(seen, info)
		jobs = append(jobs, &job{path: path, info: info})
	}
	fail := func(path string, err error) {
		jobs = append(jobs, &job{path: path, err: err})
	}
	for _, p := range paths {
		info, err := os.Stat(p) // a named symlink is followed
		if err != nil {
			fail(p, pathError(p, err))
			continue
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				fail(p, fmt.Errorf("%s: not a regular file; skipped", p))
				continue
			}
			add(p, info)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(path, pathError(path, err))
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != p && skipDirs[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			// Symlinks, FIFOs and devices found by walking are skipped:
			// a symlink's target is processed where it lives.
			if !d.Type().IsRegular() || !fileutil.IsDockerfile(path) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				fail(path, pathError(path, err))
				return nil
			}
			add(path, info)
			return nil
		})
		if err != nil {
			fail(p, pathError(p, err))
		}
	}
	return jobs
}
