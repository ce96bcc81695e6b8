package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
)

// browserPath finds Chromium or Chrome: $BOXOFFICE_CHROMIUM, else the
// usual names on PATH.
func browserPath() string {
	if p := os.Getenv("BOXOFFICE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless browser with a fresh profile that makes no
// connection of its own, or skips the test when there is none to start.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := browserPath()
	if path == "" {
		t.Skip("no Chromium or Chrome on this machine (apt-get install chromium, or set BOXOFFICE_CHROMIUM): the live page's browser test needs one")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1600, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// The first run starts the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// step runs browser actions with a generous deadline.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// textOf reads an element's text.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

func TestLivePageInABrowser(t *testing.T) {
	srv := mock.New(mock.DefaultData(), mock.Options{Now: newClock().Now})
	running, err := mock.Start("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { running.Close(context.Background()) })
	ctx := newBrowser(t)
	order := `[data-order-id="` + firstOrder + `"]`

	// The page shows the state, and says it is live.
	step(t, ctx, "open the page", chromedp.Navigate(running.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(order)),
		chromedp.WaitVisible(chromedp.CSS(`#conn.live`)))
	if profile := textOf(t, ctx, "#profile"); profile != mock.ProfileVistaReference {
		t.Errorf("the page shows profile %q", profile)
	}

	// A client adds a voucher: the page shows it without a reload.
	post(t, running.URL+"/ocapi/v1/orders/"+firstOrder+"/vouchers", `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`, 200)
	step(t, ctx, "the added voucher shown", chromedp.WaitVisible(chromedp.CSS(order+` [data-voucher="AD......0111"]`)))
	if row := textOf(t, ctx, `#journal tbody tr:first-child`); !strings.Contains(row, "POST") || !strings.Contains(row, "200") || strings.Contains(row, "ADTMM0000111") {
		t.Errorf("the journal's newest row reads %q", row)
	}

	// The switches: the global dice, then a cue for the next add.
	step(t, ctx, "switch on 503s", chromedp.Click(chromedp.CSS(`#btn-error`)),
		chromedp.WaitVisible(chromedp.CSS(`#btn-error[aria-pressed="true"]`)))
	if f := faults(t, running.URL); f.Global.Error != 0.2 {
		t.Errorf("after the switch the global dice are %+v", f.Global)
	}
	step(t, ctx, "switch 503s off", chromedp.Click(chromedp.CSS(`#btn-error`)),
		chromedp.WaitVisible(chromedp.CSS(`#btn-error[aria-pressed="false"]`)))
	step(t, ctx, "queue a 503 for the next add", chromedp.Click(chromedp.CSS(`#btn-next-503`)))
	testkit.WaitFor(t, "the cue queued", 30*time.Second, func() bool { return len(faults(t, running.URL).Queue) == 1 })
	post(t, running.URL+"/ocapi/v1/orders/"+firstOrder+"/vouchers", `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0001001"}}`, 503)
	step(t, ctx, "the 503 shown", chromedp.WaitVisible(chromedp.CSS(`#journal tbody tr:first-child td.s5`)))
	saveScreenshot(t, ctx)

	// The clock: moved on past the order's expiry, the order goes.
	step(t, ctx, "move the clock on 40 minutes", chromedp.Click(chromedp.CSS(`#btn-clock-20m`)))
	testkit.WaitFor(t, "the clock moved once", 30*time.Second, func() bool { return clockOffset(t, running.URL) == "20m0s" })
	step(t, ctx, "move the clock on again", chromedp.Click(chromedp.CSS(`#btn-clock-20m`)),
		chromedp.WaitNotPresent(chromedp.CSS(order)))
}

func post(t *testing.T, url, body string, want int) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d, want %d", url, resp.StatusCode, want)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func faults(t *testing.T, base string) mock.FaultsView {
	var f mock.FaultsView
	getJSON(t, base+"/_admin/faults", &f)
	return f
}

func clockOffset(t *testing.T, base string) string {
	var c mock.ClockState
	getJSON(t, base+"/_admin/clock", &c)
	return c.Offset
}

// saveScreenshot writes the page as it is to $BOXOFFICE_PAGE_SCREENSHOT,
// when set: how docs/mock-page.png is made.
func saveScreenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	path := os.Getenv("BOXOFFICE_PAGE_SCREENSHOT")
	if path == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
