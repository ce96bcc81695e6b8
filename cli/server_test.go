package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/boxoffice/boxoffice/config"
)

// The log is private: created 0600, and an existing one others could read
// is tightened.
func TestLogFileIsPrivate(t *testing.T) {
	for _, existing := range []os.FileMode{0, 0o644, 0o600} {
		path := filepath.Join(t.TempDir(), "boxoffice.log")
		if existing != 0 {
			if err := os.WriteFile(path, []byte("earlier\n"), existing); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, existing); err != nil {
				t.Fatal(err)
			}
		}
		log, closer, err := openLog(&config.Config{LogFile: path})
		if err != nil {
			t.Fatalf("existing %o: %v", existing, err)
		}
		log.Info("counter starting")
		closer.Close()
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("existing %o: the log is %o, want 0600", existing, perm)
		}
	}
}
