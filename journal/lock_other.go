//go:build !unix

package journal

import "os"

// Elsewhere than on Unix, the journal is not shared between processes
// while it rotates, and folders cannot be flushed.

func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) {}

func syncDir(string) error { return nil }

func lockUnsupported(error) bool { return true }
