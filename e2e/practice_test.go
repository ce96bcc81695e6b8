package e2e

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"
)

// A counter whose server is on this machine but is not boxoffice mock (as
// boxoffice proxy in front of a tenant is) journals a tenant's work: its
// lines name the server by its origin, not as practice.
func TestACounterThroughALocalServerJournalsATenant(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(hideMock{mock.New(mock.DefaultData(), mock.Options{})})
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

// hideMock answers as the mock does, without the header by which the mock
// names itself: a tenant's server, as far as the counter can tell.
type hideMock struct{ next http.Handler }

func (h hideMock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.next.ServeHTTP(headerless{w}, r)
}

type headerless struct{ http.ResponseWriter }

func (h headerless) WriteHeader(code int) {
	h.Header().Del(mock.MockHeader)
	h.ResponseWriter.WriteHeader(code)
}

func (h headerless) Write(b []byte) (int, error) {
	h.Header().Del(mock.MockHeader)
	return h.ResponseWriter.Write(b)
}
