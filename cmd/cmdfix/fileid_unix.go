//go:build unix

package main

import (
	"os"
	"syscall"
)

// fileID identifies a file by device and inode, so a file reached twice
// (named and found by walking, through a symlink, or by a hard link) is
// processed once. It costs no system call: info is already there.
func fileID(path string, info os.FileInfo) any {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return [2]uint64{uint64(st.Dev), uint64(st.Ino)}
	}
	return absPath(path)
}
