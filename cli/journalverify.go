package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/journal"
)

func (a *app) journalVerifyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Check that no line of the journal was changed, removed or inserted",
		Long: `Check the journal's chain: every line carries its number and the hash of
the line before it, across the files it moved to, so a line changed, removed
or inserted after it was written breaks the chain where it stands. The first
break is named, by file and line, and the command exits 1; 0 when the chain
holds. Practice's own journal (journal-demo.jsonl), when it is kept apart, is
checked too.

What a chain cannot show: the last line is sealed only by the next one, so
a change to it, or lines cut off the end, are not seen; nor are the oldest
files, removed after journal_keep_days days (the report says where the
journal now begins). Lines written before the journal was chained are
counted, and only the last of them is protected.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			var reports []verified
			for i, path := range journalsFor(cfg, true) {
				if _, err := os.Stat(path); i > 0 && errors.Is(err, os.ErrNotExist) {
					continue
				}
				v, err := journal.Verify(path)
				if err != nil {
					return &Error{Code: ExitUsage, What: err.Error(), Err: err}
				}
				reports = append(reports, verified{path, v})
			}
			if a.jsonOutput {
				if err := a.printJSON(map[string]any{"journals": verifiedJSON(reports)}); err != nil {
					return err
				}
			} else {
				for _, r := range reports {
					writeVerified(a.env.Stdout, r)
				}
			}
			for _, r := range reports {
				if b := r.v.Break; b != nil {
					return &Error{Code: ExitNeedsChecking, What: fmt.Sprintf("%s line %d: %s", printable(b.File), b.Number, printable(b.What)),
						Todo: "the journal was altered after it was written: keep a copy of its files as they are, and compare them with a backup"}
				}
			}
			return nil
		},
	}
}

type verified struct {
	path string
	v    *journal.Verification
}

func writeVerified(w io.Writer, r verified) {
	v := r.v
	files := ""
	if n := len(v.Files); n > 1 {
		files = fmt.Sprintf(" (%d files)", n)
	}
	fmt.Fprintf(w, "Journal %s%s: %d lines read.\n", printable(r.path), files, v.Lines)
	switch {
	case v.Break != nil:
		fmt.Fprintf(w, "  The chain breaks at %s line %d: %s.\n", printable(filepath.Base(v.Break.File)), v.Break.Number, printable(v.Break.What))
	case v.Chained == 0:
		fmt.Fprintln(w, "  No line is chained yet.")
	default:
		fmt.Fprintf(w, "  The chain holds: lines %d to %d follow each other, each with the hash of the one before.\n", v.FirstSeq, v.FirstSeq+uint64(v.Chained)-1)
	}
	if v.FirstSeq > 1 && v.Legacy == 0 {
		fmt.Fprintf(w, "  It begins at line number %d: the files before were removed as older than journal_keep_days.\n", v.FirstSeq)
	}
	if v.Legacy > 0 {
		fmt.Fprintf(w, "  %d lines were written before the journal was chained: only the last of them is protected.\n", v.Legacy)
	}
	for _, t := range v.Torn {
		fmt.Fprintf(w, "  %s line %d: %s.\n", printable(filepath.Base(t.File)), t.Number, t.Problem)
	}
	if u := v.Unfinished; u != nil {
		fmt.Fprintf(w, "  %s line %d: %s.\n", printable(filepath.Base(u.File)), u.Number, u.Problem)
	}
}

func verifiedJSON(reports []verified) []map[string]any {
	out := make([]map[string]any, 0, len(reports))
	for _, r := range reports {
		v := r.v
		j := map[string]any{"journal": r.path, "files": v.Files, "lines": v.Lines, "chained": v.Chained,
			"beforeTheChain": v.Legacy, "firstSeq": v.FirstSeq, "torn": unreadableJSON(v.Torn), "holds": v.Break == nil, "break": nil}
		if b := v.Break; b != nil {
			j["break"] = map[string]any{"file": b.File, "line": b.Number, "what": b.What}
		}
		out = append(out, j)
	}
	return out
}
