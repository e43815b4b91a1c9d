//go:build !linux

package cache

import (
	"io"
	"os"
	"time"
)

// readEntry reads an entry file and returns its modification time.
func readEntry(file string) ([]byte, time.Time, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxEntry {
		return nil, time.Time{}, errForeign
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, time.Time{}, err
	}
	return data, fi.ModTime(), nil
}
