package cli

import (
	"fmt"
	"time"

	"github.com/boxoffice/boxoffice/api"
)

// Clock thresholds. The counter counts an order's expiry (the server's
// expiresAt) on this machine's clock and warns two minutes before it, and it
// shows PIN-block ends the same way. A clock kept by NTP is within a second;
// past 5s, more than the Date header's whole seconds and a slow answer
// explain, this machine's clock is simply not being kept. Past a minute the
// two-minute warning has lost half its time, or an order the server has
// released still looks open.
const (
	clockWarnSkew = 5 * time.Second
	clockFailSkew = time.Minute
)

func clockCheck(reads []*probe) check {
	c := check{Name: "clock"}
	var best *api.ProbeResult
	anyAnswer := false
	for _, p := range reads {
		if !p.answered() {
			continue
		}
		anyAnswer = true
		if p.res.Date.IsZero() {
			continue
		}
		// The quickest answer pins the server's clock down best.
		if best == nil || p.res.ReceivedAt.Sub(p.res.SentAt) < best.ReceivedAt.Sub(best.SentAt) {
			best = p.res
		}
	}
	switch {
	case !anyAnswer:
		c.Status, c.Found = checkSkip, "the server did not answer, so its clock could not be read"
		return c
	case best == nil:
		c.Status = checkWarn
		c.Found = "the server's answers carry no Date header, so its clock cannot be compared with ours"
		c.Todo = "keep this machine's clock synchronised (NTP): order expiry is counted on it"
		return c
	}
	estimate, least := clockSkew(best.Date, best.SentAt, best.ReceivedAt)
	side := "ahead of"
	if estimate < 0 {
		side = "behind"
	}
	abs := estimate.Abs().Round(time.Second)
	switch {
	case least > clockFailSkew:
		c.Status = checkFail
		c.Found = fmt.Sprintf("the server's clock is about %s %s this machine's (Date header)", abs, side)
		c.Todo = "set this machine's clock right (turn on NTP): order expiry and PIN blocks are counted on it"
	case least > clockWarnSkew:
		c.Status = checkWarn
		c.Found = fmt.Sprintf("the server's clock is about %s %s this machine's (Date header)", abs, side)
		c.Todo = "synchronise this machine's clock (NTP) before it drifts further"
	default:
		c.Status = checkOK
		c.Found = "the server's clock agrees with this machine's within " + clockWarnSkew.String() + " (Date header)"
	}
	return c
}

// clockSkew reads how far the server's clock is from ours. The server wrote
// Date, truncated to the second, somewhere between sent and received, so
// its offset lies in [date-received, date+1s-sent]; estimate is the middle
// and least the smallest offset the observation allows, which is what the
// thresholds judge so that a slow answer cannot raise a false alarm.
func clockSkew(date, sent, received time.Time) (estimate, least time.Duration) {
	lo := date.Sub(received)
	hi := date.Add(time.Second).Sub(sent)
	estimate = lo + (hi-lo)/2
	switch {
	case lo > 0:
		least = lo
	case hi < 0:
		least = -hi
	}
	return estimate, least
}
