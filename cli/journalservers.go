package cli

import (
	"errors"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/config"
	"github.com/boxoffice/boxoffice/journal"
)

// serverFilter is the servers --server asks for.
type serverFilter struct {
	// kind is "" (all but practice), "all", "practice", "demo", "mock" or
	// "one" (the server in name).
	kind, name string
}

func parseServer(s string) serverFilter {
	s = strings.TrimSpace(s)
	switch k := strings.ToLower(s); k {
	case "", "all", "practice", journal.ServerDemo, journal.ServerMock:
		return serverFilter{kind: k}
	}
	if kind, _, ok := strings.Cut(s, ":"); ok && (kind == journal.ServerDemo || kind == journal.ServerMock) {
		return serverFilter{kind: "one", name: s}
	}
	return serverFilter{kind: "one", name: origin(strings.TrimRight(s, "/"))}
}

// practice reports whether the filter takes practice's lines.
func (f serverFilter) practice() bool {
	switch f.kind {
	case "all", "practice", journal.ServerDemo, journal.ServerMock:
		return true
	case "one":
		return journal.IsPractice(f.name)
	}
	return false
}

// keeps reports whether a line of server is asked for. A line that names
// no server (written before lines named one) is a tenant's.
func (f serverFilter) keeps(server string) bool {
	kind, _, _ := strings.Cut(server, ":")
	switch f.kind {
	case "":
		return !journal.IsPractice(server)
	case "all":
		return true
	case "practice":
		return journal.IsPractice(server)
	case journal.ServerDemo, journal.ServerMock:
		return kind == f.kind
	}
	// A practice server named without its start takes every run of it.
	return server == f.name || journal.IsPractice(f.name) && !strings.Contains(f.name, "@") && strings.HasPrefix(server, f.name+"@")
}

func (f serverFilter) String() string {
	switch f.kind {
	case "":
		return "tenants"
	case "one":
		return f.name
	}
	return f.kind
}

// words says which servers a report covers, for its heading.
func (f serverFilter) words() string {
	switch f.kind {
	case "":
		return "tenants' servers (practice left out)"
	case "all":
		return "every server, practice too"
	case "practice":
		return "practice (the demo and boxoffice mock)"
	case journal.ServerDemo:
		return "the built-in demo server"
	case journal.ServerMock:
		return "boxoffice mock"
	}
	return "server " + printable(f.name)
}

// journalsFor is the journals to read: the journal, and practice's own
// when the report takes practice and it is kept apart.
func journalsFor(cfg *config.Config, practice bool) []string {
	paths := []string{cfg.Journal}
	if p := cfg.PracticeJournal(); practice && p != cfg.Journal {
		paths = append(paths, p)
	}
	return paths
}

// readJournals reads each journal and merges their lines in time order. A
// practice journal that does not exist yet is an empty one.
func readJournals(paths []string, since time.Time) (*journal.Log, error) {
	merged := &journal.Log{}
	for i, p := range paths {
		if _, err := os.Stat(p); i > 0 && errors.Is(err, os.ErrNotExist) {
			continue
		}
		log, err := journal.Read(p, since)
		if err != nil {
			return nil, &Error{Code: ExitUsage, What: err.Error(), Err: err}
		}
		merged.Files = append(merged.Files, log.Files...)
		merged.Lines = append(merged.Lines, log.Lines...)
		merged.Unreadable = append(merged.Unreadable, log.Unreadable...)
	}
	if len(paths) > 1 {
		slices.SortStableFunc(merged.Lines, func(a, b journal.Line) int { return a.Time.Compare(b.Time) })
	}
	return merged, nil
}

// servers is how many servers the lines name.
func servers(lines []journal.Line) int {
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l.Server] = true
	}
	return len(seen)
}
