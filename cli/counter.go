package cli

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui"
)

// demoListen is where the built-in demo server listens: this machine only,
// on a port the system picks.
const demoListen = "127.0.0.1:0"

// counterFPS is the renderer's frame rate: a frame every 8 ms instead of
// Bubble Tea's 16, so the operator sees a scan's outcome sooner; the renderer
// still writes only the lines that changed.
const counterFPS = 120

// firstFlightWait bounds how long the start waits for the warm-up's first
// packets to leave: a slow name lookup or TCP handshake is a round trip the
// start can use instead, and the first frame never shows more than this
// much later for it.
const firstFlightWait = 20 * time.Millisecond

// runCounter runs the counter screen, against the configured server or the
// built-in demo server when there is none. Mistakes in the settings and the
// demo data are reported before the terminal is asked for.
func (a *app) runCounter(cmd *cobra.Command, _ []string) error {
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return err
	}
	log, logFile, err := openLog(cfg)
	if err != nil {
		return err
	}
	defer logFile.Close()

	demo := cfg.APIURL == ""
	var demoServer *mock.Server
	if demo {
		if demoServer, err = prepareDemo(cfg, demoRequestLog(cmd.Context(), log)); err != nil {
			return err
		}
	}
	if err := a.needTerminal(); err != nil {
		return err
	}

	serverURL, orderID := cfg.APIURL, cfg.Order
	var running *runningDemo
	if demo {
		if running, err = startDemo(cfg, demoServer); err != nil {
			return err
		}
		defer running.close()
		serverURL = running.running.URL
		if orderID == "" {
			orderID = demoServer.FirstOrderID()
		}
	}
	client, err := a.newClient(cfg, serverURL, running, log)
	if err != nil {
		return err
	}
	// The end-to-end tests learn the demo server's address from this line.
	log.Info("counter starting", "version", version(), "server", serverURL, "demo", demo, "order", orderID)
	if running != nil && running.certFile != "" {
		log.Info("demo server certificate", "pem", running.certFile)
	}
	jrnl, err := openCounterJournal(cmd.Context(), cfg, demo, client, serverURL)
	if err != nil {
		return err
	}
	defer jrnl.Close()

	unfinished := unfinishedScans(jrnl.Path(), log)
	backend := ui.NewLive(cmd.Context(), desk.New(client, jrnl), unfinished, cfg.KeepAlive)
	model := ui.New(counterOptions(cfg, backend, orderID, demo, serverURL))
	return a.runScreen(cmd.Context(), model, jrnl.Path(), log)
}

// needTerminal refuses to start the screen unless it reads from and draws
// on a terminal.
func (a *app) needTerminal() error {
	_, inTerm := terminal(a.env.Stdin)
	_, outTerm := terminal(a.env.Stdout)
	if !inTerm || !outTerm {
		return &Error{Code: ExitUsage, What: "the counter screen needs a terminal",
			Todo: "run boxoffice in a terminal; scripts can use 'boxoffice order' and 'boxoffice voucher'"}
	}
	return nil
}

// unfinishedScans starts reading what the last run left unfinished in the
// journal at path, to be settled against each order as it loads, and
// returns its result, waiting for it if need be. Reading a busy day's
// journal takes tens of milliseconds, so it goes on beside the start; the
// lines this run writes meanwhile are told apart by their time. A journal
// that cannot be read back only loses that report: attaching still needs it
// writable.
func unfinishedScans(path string, log *slog.Logger) func() []journal.Line {
	started := time.Now()
	unfinished := sync.OnceValue(func() []journal.Line {
		lines, err := journal.Unfinished(path, started)
		if err != nil {
			log.Warn("the journal's unfinished scans cannot be read", "err", err)
		}
		return lines
	})
	go unfinished()
	return unfinished
}

func counterOptions(cfg *config.Config, backend ui.Backend, orderID string, demo bool, serverURL string) ui.Options {
	return ui.Options{
		Backend:         backend,
		OrderID:         orderID,
		SiteID:          cfg.Site,
		Demo:            demo,
		ServerURL:       serverURL,
		VoucherType:     cfg.VoucherType,
		VoucherPrefixes: cfg.VoucherPrefixes,
		PinPrompt:       ui.PinPrompt(cfg.PinPrompt),
		Bell:            ui.BellMode(cfg.Bell),
		ScanIdleGap:     cfg.ScanIdleGap,
		Version:         version(),
		KeepAlive:       cfg.KeepAlive,
	}
}

// runScreen runs the counter screen until the operator leaves it.
func (a *app) runScreen(ctx context.Context, model tea.Model, journalPath string, log *slog.Logger) error {
	program := tea.NewProgram(model,
		tea.WithAltScreen(),
		tea.WithFPS(counterFPS),
		tea.WithContext(ctx),
		tea.WithInput(a.env.Stdin),
		tea.WithOutput(a.env.Stdout),
	)
	if _, err := program.Run(); err != nil {
		log.Error("counter screen stopped", "err", err)
		return &Error{Code: ExitRejected, What: fmt.Sprintf("the counter screen stopped: %v", err),
			Todo: "start boxoffice again; the journal (" + journalPath + ") keeps what was attached", Err: err}
	}
	return nil
}

// openCounterJournal warms the connection and opens the counter's journal:
// practice's own for the demo and for boxoffice mock on this machine, whose
// lines name the server.
func openCounterJournal(ctx context.Context, cfg *config.Config, demo bool, client *api.Client, serverURL string) (*journal.Journal, error) {
	practice := demo
	if !demo && onThisMachine(serverURL) {
		// A server on this machine answers at once, and is asked what it
		// is before the journal opens: boxoffice mock names itself, and is
		// practice; anything else (boxoffice proxy in front of a tenant, a
		// tunnel) carries a tenant's work. Through a proxy this costs the
		// round trip to the tenant behind it, once.
		_ = client.Warm(ctx)
		_, practice = client.MockData()
	} else {
		// The first call needs a TCP and TLS handshake, two round trips or
		// more to a distant tenant: started now, it happens while the
		// journal opens and the terminal is set up rather than after. A
		// failure only costs the order read the same dial again. A distant
		// server is not waited for: its lines name it once it has answered.
		// Only its first packets are: the rest of the start would share the
		// processor with building them and hold up the round trip.
		select {
		case <-client.StartWarm(ctx):
		case <-time.After(firstFlightWait):
		}
	}
	jrnl, err := journal.OpenWith(cfg.JournalFor(practice), journal.Options{KeepDays: cfg.JournalKeepDays,
		Stamp: journalStamp(cfg), Server: serverName(cfg, demo, client, serverURL)})
	if err != nil {
		return nil, &Error{Code: ExitUsage, What: err.Error(), Err: err}
	}
	return jrnl, nil
}
