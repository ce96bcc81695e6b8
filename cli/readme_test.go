package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestReadmeExitCodes keeps docs/scripting.md's exit-code table the same as the
// exit codes the code gives and 'boxoffice help exit-codes' tells.
func TestReadmeExitCodes(t *testing.T) {
	raw, err := os.ReadFile("../docs/scripting.md")
	if err != nil {
		t.Fatalf("reading docs/scripting.md: %v", err)
	}
	var want strings.Builder
	want.WriteString("| exit code | meaning |\n|---|---|\n")
	for _, e := range exitCodeMeanings {
		fmt.Fprintf(&want, "| %d | %s |\n", e.code, e.meaning)
	}
	if !strings.Contains(string(raw), want.String()) {
		t.Errorf("docs/scripting.md lacks the exit-code table; it should read:\n%s", want.String())
	}

	topic := exitCodesHelp(t)
	for _, e := range exitCodeMeanings {
		if line := fmt.Sprintf("  %d  %s\n", e.code, e.meaning); !strings.Contains(topic, line) {
			t.Errorf("'boxoffice help exit-codes' lacks the table's row %d; it should read %q:\n%s", e.code, line, topic)
		}
	}
	if !strings.Contains(string(raw), "boxoffice help exit-codes") {
		t.Error("docs/scripting.md does not point to 'boxoffice help exit-codes'")
	}
}
