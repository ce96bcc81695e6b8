package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestReadmeExitCodes keeps the README's exit-code table the same as the one
// --help prints.
func TestReadmeExitCodes(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatalf("reading the README: %v", err)
	}
	var want strings.Builder
	want.WriteString("| exit code | meaning |\n|---|---|\n")
	for _, e := range exitCodeMeanings {
		fmt.Fprintf(&want, "| %d | %s |\n", e.code, e.meaning)
	}
	if !strings.Contains(string(raw), want.String()) {
		t.Errorf("README.md lacks the exit-code table; it should read:\n%s", want.String())
	}
}
