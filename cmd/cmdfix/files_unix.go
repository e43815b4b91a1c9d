//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// openNonBlocking keeps opening a FIFO from waiting for a writer.
const openNonBlocking = syscall.O_NONBLOCK

// keepOwner gives the temporary file f the owner and group of the file it
// will replace, when they differ from the ones it was created with.
func keepOwner(f *os.File, orig os.FileInfo) error {
	want, ok := orig.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	have, ok := info.Sys().(*syscall.Stat_t)
	if !ok || (have.Uid == want.Uid && have.Gid == want.Gid) {
		return nil
	}
	if err := f.Chown(int(want.Uid), int(want.Gid)); err != nil {
		return fmt.Errorf("owned by user %d, group %d, which cmdfix cannot give the new file", want.Uid, want.Gid)
	}
	return nil
}
