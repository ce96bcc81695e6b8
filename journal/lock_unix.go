//go:build unix

package journal

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes the journal's lock on f, waiting for another process's
// write or rotation to end. It is advisory: every writer of the journal
// takes it, around each line and each rotation.
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

// lockUnsupported reports a file system that keeps no locks.
func lockUnsupported(err error) bool {
	return errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EINVAL)
}
