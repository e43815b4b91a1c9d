//go:build !unix

package main

import (
	"os"
	"path/filepath"
)

// fileID identifies a file by its absolute path with symlinks resolved,
// so a file reached twice is processed once.
func fileID(path string, info os.FileInfo) any {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return absPath(real)
	}
	return absPath(path)
}
