//go:build unix

package journal

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes the rotation lock on f, waiting for another process's
// rotation to end. It is advisory: writers do not take it, only rotations.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

func unlockFile(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// syncDir flushes a folder's entries (a rename, a new file) to disk. A
// file system that cannot flush a folder says so with EINVAL; there is
// nothing more to be done on it, so that is not a failure.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}
