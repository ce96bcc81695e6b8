package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestReadmeExitCodes keeps the README's exit-code table the same as the
// exit codes the code gives and 'boxoffice help exit-codes' tells.
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

	topic := exitCodesHelp(t)
	for _, e := range exitCodeMeanings {
		if line := fmt.Sprintf("  %d  %s\n", e.code, e.meaning); !strings.Contains(topic, line) {
			t.Errorf("'boxoffice help exit-codes' lacks the README's row %d; it should read %q:\n%s", e.code, line, topic)
		}
	}
	if !strings.Contains(string(raw), "boxoffice help exit-codes") {
		t.Error("README.md does not point to 'boxoffice help exit-codes'")
	}
}
