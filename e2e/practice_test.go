package e2e

import (
	"net/http/httptest"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// A counter whose server is on this machine but is not boxoffice mock (as
// boxoffice proxy in front of a tenant is) journals a tenant's work: its
// lines name the server by its origin, not as practice.
func TestACounterThroughALocalServerJournalsATenant(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(testkit.WithoutHeader(mock.New(mock.DefaultData(), mock.Options{}), mock.MockHeader))
	t.Cleanup(srv.Close)
	term := Start(t, Options{Args: []string{"--api-url", srv.URL, "--order", demoOrderID, "--pin-prompt", "never"}})
	waitForOrder(term)
	term.WriteString("ADTMM0000444\r")
	term.WaitForText("Attached AD......0444", WaitTimeout)
	term.Close()
	var attached []journal.Entry
	for _, e := range term.JournalEntries() {
		if e.Outcome == journal.OutcomeAttached {
			attached = append(attached, e)
		}
	}
	if len(attached) != 1 || attached[0].Server != srv.URL || journal.IsPractice(attached[0].Server) {
		t.Fatalf("the attach was journalled as %+v, want one line naming %s, not practice", attached, srv.URL)
	}
}
