package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"github.com/boxoffice/boxoffice/journal"
)

// WaitTimeout is how long a wait for the screen lasts before the test fails.
// It is generous on purpose: a loaded CI machine may take seconds for what
// takes milliseconds on a desk.
const WaitTimeout = 30 * time.Second

// exitTimeout bounds how long Close waits for the app to quit after ctrl+c.
const exitTimeout = 15 * time.Second

// pollInterval is how often a wait looks at the screen again.
const pollInterval = 15 * time.Millisecond

// binary is the boxoffice executable TestMain built for this run, from the
// module in moduleDir.
var binary, moduleDir string

// sourcesNoted is done once the module's folders have been read for go
// test's cache (see noteSources).
var sourcesNoted sync.Once

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "boxoffice-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: cannot make a folder for the binary:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	moduleDir = root
	binary = filepath.Join(dir, "boxoffice")
	build := exec.Command(goCommand(), "build", "-o", binary, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build failed: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// noteSources reads every folder of the module. go test keeps a package's
// result until a file or folder the test opened changes, and the binary is
// built by another process, whose reads go test does not see: without this,
// a change to the app would leave a stale e2e result in the cache. Reading a
// folder is enough, as go test then notes the name, size and time of each
// file in it. It must run inside a test: go test only hears of what is
// opened once m.Run has started.
func noteSources(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			if err := noteSources(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// moduleRoot is the folder of go.mod, asked of the go command so that the
// answer holds however the tests are started.
func moduleRoot() (string, error) {
	out, err := exec.Command(goCommand(), "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("go env GOMOD: not inside a module")
	}
	return filepath.Dir(gomod), nil
}

// goCommand is the go command that runs these tests: go test puts its own
// GOROOT/bin first on PATH.
func goCommand() string {
	if goroot := os.Getenv("GOROOT"); goroot != "" {
		p := filepath.Join(goroot, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// Options describe one run of the app.
type Options struct {
	// Args are the command-line arguments. --journal, --log and
	// --log-level debug come first, so Args may override them.
	Args []string
	// Cols and Rows are the terminal size; zero means 80x24.
	Cols, Rows int
	// Env adds KEY=VALUE pairs to the app's environment, which otherwise
	// holds only TERM, LANG, HOME and the XDG folders, all temporary.
	Env []string
	// NoColor sets NO_COLOR=1.
	NoColor bool
}

// Terminal is the app running in a pseudo-terminal, its output fed to a
// terminal emulator. The emulator's answers to terminal queries (cursor
// position, background colour, device attributes) go back to the app as a
// real terminal's would.
type Terminal struct {
	tb testing.TB

	// Dir is the run's temporary folder: HOME and the XDG folders are in it.
	Dir string
	// JournalPath and LogPath are the files given as --journal and --log.
	JournalPath, LogPath string

	cmd *exec.Cmd
	pty *os.File
	// started is when the process was started, after the terminal and its
	// emulator were set up: what a benchmark of the app's start counts from.
	started time.Time

	mu  sync.Mutex
	emu *vt.Emulator
	raw bytes.Buffer // every byte the app wrote
	// arrived is when the app's last output was read from the terminal.
	arrived time.Time
	// wrote holds a token once output has come since a timed wait last
	// looked.
	wrote chan struct{}

	writeMu sync.Mutex // keeps the test's writes and the emulator's answers whole

	outputDone chan struct{} // the copy of the app's output has ended
	exited     chan struct{} // the process has exited; exitErr is set
	exitErr    error
	closeOnce  sync.Once
	exitCode   int
}

// Start runs the built binary in a new pseudo-terminal. The process is
// stopped when the test ends if Close was not called.
func Start(tb testing.TB, opts Options) *Terminal {
	tb.Helper()
	if binary == "" {
		tb.Fatal("e2e: the binary was not built; run the tests through go test")
	}
	sourcesNoted.Do(func() {
		if err := noteSources(moduleDir); err != nil {
			tb.Fatalf("e2e: read the module's folders: %v", err)
		}
	})
	cols, rows := opts.Cols, opts.Rows
	if cols == 0 {
		cols = 80
	}
	if rows == 0 {
		rows = 24
	}
	dir := tb.TempDir()
	term := &Terminal{
		tb:          tb,
		Dir:         dir,
		JournalPath: filepath.Join(dir, "state", "journal.jsonl"),
		LogPath:     filepath.Join(dir, "boxoffice.log"),
		emu:         vt.NewEmulator(cols, rows),
		outputDone:  make(chan struct{}),
		exited:      make(chan struct{}),
		wrote:       make(chan struct{}, 1),
	}
	args := append([]string{"--journal", term.JournalPath, "--log", term.LogPath, "--log-level", "debug"}, opts.Args...)
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
	}
	if opts.NoColor {
		cmd.Env = append(cmd.Env, "NO_COLOR=1")
	}
	cmd.Env = append(cmd.Env, opts.Env...)
	term.started = time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		tb.Fatalf("e2e: start %s in a pseudo-terminal: %v", binary, err)
	}
	term.cmd, term.pty = cmd, f

	go term.copyOutput()
	go term.answerQueries()
	go func() {
		term.exitErr = cmd.Wait()
		close(term.exited)
	}()
	tb.Cleanup(term.stop)
	return term
}

// copyOutput feeds everything the app writes to the emulator.
func (term *Terminal) copyOutput() {
	defer close(term.outputDone)
	buf := make([]byte, 32*1024)
	for {
		n, err := term.pty.Read(buf)
		if n > 0 {
			now := time.Now()
			term.mu.Lock()
			term.raw.Write(buf[:n])
			_, _ = term.emu.Write(buf[:n])
			term.arrived = now
			term.mu.Unlock()
			select {
			case term.wrote <- struct{}{}:
			default:
			}
		}
		if err != nil {
			// EIO once the app has exited and closed its side.
			return
		}
	}
}

// answerQueries sends the emulator's replies to terminal queries back to
// the app. It must keep reading: the emulator blocks on a reply nobody
// reads, and with it the copy of the app's output. The replies are written
// by another goroutine so that a test's long write cannot hold them up.
func (term *Terminal) answerQueries() {
	replies := make(chan []byte, 256)
	go func() {
		for b := range replies {
			term.writeMu.Lock()
			_, _ = term.pty.Write(b)
			term.writeMu.Unlock()
		}
	}()
	defer close(replies)
	buf := make([]byte, 1024)
	for {
		n, err := term.emu.Read(buf)
		if n > 0 {
			replies <- bytes.Clone(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// Write types p as one write to the terminal, the way a scanner sends a
// whole barcode at once.
func (term *Terminal) Write(p []byte) {
	term.tb.Helper()
	term.writeMu.Lock()
	defer term.writeMu.Unlock()
	if _, err := term.pty.Write(p); err != nil {
		term.tb.Fatalf("e2e: write to the terminal: %v", err)
	}
}

// WriteString is Write for a string.
func (term *Terminal) WriteString(s string) {
	term.tb.Helper()
	term.Write([]byte(s))
}

// Paste sends text as a bracketed paste, as a terminal does when the app
// has asked for bracketed paste (Bubble Tea does by default).
func (term *Terminal) Paste(text string) {
	term.tb.Helper()
	term.WriteString(ansi.BracketedPasteStart + text + ansi.BracketedPasteEnd)
}

// Screen is the text the terminal shows now: one line per row, trailing
// spaces trimmed, rows joined by "\n".
func (term *Terminal) Screen() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return screenText(term.emu)
}

func screenText(emu *vt.Emulator) string {
	w, h := emu.Width(), emu.Height()
	rows := make([]string, h)
	var line strings.Builder
	for y := range h {
		line.Reset()
		for x := 0; x < w; x++ {
			c := emu.CellAt(x, y)
			switch {
			case c == nil:
				line.WriteByte(' ')
			case c.Content == "" && c.Width == 0:
				// The right half of a wide character.
			case c.Content == "":
				line.WriteByte(' ')
			default:
				line.WriteString(c.Content)
			}
		}
		rows[y] = strings.TrimRight(line.String(), " ")
	}
	return strings.Join(rows, "\n")
}

// Size is the terminal's size in columns and rows.
func (term *Terminal) Size() (cols, rows int) {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.emu.Width(), term.emu.Height()
}

// WaitForText waits until the screen shows text and returns the screen. It
// fails the test, showing the screen, when timeout passes first.
func (term *Terminal) WaitForText(text string, timeout time.Duration) string {
	term.tb.Helper()
	return term.WaitFor(fmt.Sprintf("the screen to show %q", text), timeout, func(screen string) bool {
		return strings.Contains(screen, text)
	})
}

// WaitFor waits until ok holds for the screen and returns that screen. It
// fails the test, naming what it waited for and showing the last screen,
// when timeout passes or the app exits first.
func (term *Terminal) WaitFor(what string, timeout time.Duration, ok func(screen string) bool) string {
	term.tb.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		screen := term.Screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			term.tb.Fatalf("e2e: waited %s for %s; the screen shows:\n%s\nthe log ends:\n%s", timeout, what, frame(screen), term.logTail())
		}
		select {
		case <-tick.C:
		case <-term.exited:
			// The last output may still be on its way to the emulator.
			<-term.outputDone
			if screen := term.Screen(); ok(screen) {
				return screen
			}
			term.tb.Fatalf("e2e: the app exited (%v) while waiting for %s; the screen shows:\n%s\nthe log ends:\n%s",
				term.exitErr, what, frame(term.Screen()), term.logTail())
		}
	}
}

// Resize changes the terminal's size, as a window manager does: the
// emulator first, then the pseudo-terminal, which signals the app.
func (term *Terminal) Resize(cols, rows int) {
	term.tb.Helper()
	term.mu.Lock()
	term.emu.Resize(cols, rows)
	term.mu.Unlock()
	if err := pty.Setsize(term.pty, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		term.tb.Fatalf("e2e: resize the terminal to %dx%d: %v", cols, rows, err)
	}
}

// Output is every byte the app has written to the terminal so far.
func (term *Terminal) Output() []byte {
	term.mu.Lock()
	defer term.mu.Unlock()
	return bytes.Clone(term.raw.Bytes())
}

// OutputText is Output without escape sequences: all text ever drawn,
// including what has since been drawn over.
func (term *Terminal) OutputText() string {
	return ansi.Strip(string(term.Output()))
}

// AltScreen reports whether the terminal shows the alternate screen.
func (term *Terminal) AltScreen() bool {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.emu.IsAltScreen()
}

// CursorHidden reports whether the app has hidden the cursor.
func (term *Terminal) CursorHidden() bool {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.emu.CursorHidden()
}

// Close quits the app with ctrl+c, waits for it to exit and returns its
// exit code. The app asks before leaving an order in progress or scans on
// their way; Close answers with ctrl+c again, as an operator who means it
// does. It fails the test when the app does not exit in time. Calling it
// again returns the first call's exit code.
func (term *Terminal) Close() int {
	term.tb.Helper()
	term.closeOnce.Do(func() {
		ctrlC := func() {
			term.writeMu.Lock()
			_, _ = term.pty.Write([]byte{0x03})
			term.writeMu.Unlock()
		}
		select {
		case <-term.exited:
		default:
			ctrlC()
		}
		if !term.waitExit(exitTimeout, ctrlC) {
			_ = term.cmd.Process.Kill()
			<-term.exited
			term.tb.Errorf("e2e: the app did not exit within %s of ctrl+c; the screen shows:\n%s", exitTimeout, frame(term.Screen()))
		}
		term.finish()
	})
	return term.exitCode
}

// waitExit waits up to timeout for the app to exit, calling again when the
// screen asks for ctrl+c a second time, and again when no question shows
// a while after a press: an outcome that came in meanwhile takes the
// question's place, as it does for an operator, who presses once more.
func (term *Terminal) waitExit(timeout time.Duration, again func()) bool {
	deadline := time.After(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	asked, pressed := false, time.Now()
	for {
		select {
		case <-term.exited:
			return true
		case <-deadline:
			return false
		case <-tick.C:
			// The question wraps over lines wherever the width puts it.
			screen := strings.Join(strings.Fields(term.Screen()), " ")
			asking := strings.Contains(screen, "Press ctrl+c again")
			if asking && !asked || time.Since(pressed) > 3*time.Second {
				asked, pressed = asking, time.Now()
				again()
			}
		}
	}
}

// stop ends a run the test left running.
func (term *Terminal) stop() {
	term.closeOnce.Do(func() {
		select {
		case <-term.exited:
		default:
			_ = term.cmd.Process.Kill()
			<-term.exited
		}
		term.finish()
	})
}

// finish collects the rest of the output once the process has exited.
func (term *Terminal) finish() {
	select {
	case <-term.outputDone:
	case <-time.After(exitTimeout):
		// A child holding the terminal open; closing our side ends the copy.
		term.tb.Errorf("e2e: the terminal stayed open after the app exited")
	}
	term.pty.Close()
	<-term.outputDone
	// Closing the emulator's reply pipe ends answerQueries. Emulator.Close
	// would do it too, but it flags the emulator closed without a lock
	// that its Read, running in answerQueries, could share.
	if pipe, ok := term.emu.InputPipe().(io.Closer); ok {
		_ = pipe.Close()
	}
	term.exitCode = term.cmd.ProcessState.ExitCode()
}

// serverLine finds the demo server's address in the log line the app
// writes when the counter starts.
var serverLine = regexp.MustCompile(`counter starting.*\bserver=(http://\S+)`)

// ServerURL is the base URL of the app's embedded demo server, read from
// its log. It waits for the line, which is written before the screen starts.
func (term *Terminal) ServerURL() string {
	term.tb.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		if m := serverLine.FindStringSubmatch(term.readFile(term.LogPath)); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			term.tb.Fatalf("e2e: no demo server address in the log %s:\n%s", term.LogPath, term.readFile(term.LogPath))
		}
		time.Sleep(pollInterval)
	}
}

// JournalEntries reads the journal as it is on disk now.
func (term *Terminal) JournalEntries() []journal.Entry {
	term.tb.Helper()
	f, err := os.Open(term.JournalPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		term.tb.Fatalf("e2e: open the journal: %v", err)
	}
	defer f.Close()
	var entries []journal.Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e journal.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			term.tb.Fatalf("e2e: journal line %q: %v", line, err)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		term.tb.Fatalf("e2e: read the journal: %v", err)
	}
	return entries
}

// readFile is the text of a file the app writes, "" when it does not exist.
func (term *Terminal) readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		term.tb.Fatalf("e2e: read %s: %v", path, err)
	}
	return string(b)
}

// Log is the app's log file as it is now.
func (term *Terminal) Log() string { return term.readFile(term.LogPath) }

// logTail is the end of the log, to show with a failure.
func (term *Terminal) logTail() string {
	lines := strings.Split(strings.TrimRight(term.Log(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// Journal is the journal file's text as it is now.
func (term *Terminal) Journal() string { return term.readFile(term.JournalPath) }

// frame draws a box around a screen so that its edges show in a failure.
func frame(screen string) string {
	lines := strings.Split(screen, "\n")
	var b strings.Builder
	for i, l := range lines {
		fmt.Fprintf(&b, "%2d|%s\n", i, l)
	}
	return b.String()
}
