package journal

import (
	"errors"
	"fmt"
	"os"
	"slices"
)

// walk opens a journal's files one at a time: the current file and the
// rotated ones beside it.
//
// The current file is opened before the folder is listed. A rotation in
// between renames the opened file, which the listing then shows under its
// rotated name: it is read once, as the file it was when opened, and the
// file begun after it holds only lines newer than the read.
type walk struct {
	pinned     *os.File // the current file until it is handed out
	pinnedInfo os.FileInfo
	pinnedLast bool     // hand out the current file after the rotated ones
	paths      []string // rotated files still to open, in walk order
	open       *os.File
	err        error
	todo       string
}

// walkFiles walks the journal at path newest first, or oldest first with
// only the rotated files whose days are on or after fromDate (dateLayout;
// "" for all). todo ends the errors.
func walkFiles(path string, newestFirst bool, fromDate, todo string) (*walk, error) {
	w := &walk{pinnedLast: !newestFirst, todo: todo}
	f, err := os.Open(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("audit journal %s: cannot read it: %w; %s", path, err, todo)
	default:
		w.pinned = f
		if w.pinnedInfo, err = f.Stat(); err != nil {
			f.Close()
			return nil, fmt.Errorf("audit journal %s: cannot read it: %w; %s", path, err, todo)
		}
	}
	rotated, err := listRotated(path)
	if err != nil {
		w.close()
		return nil, fmt.Errorf("audit journal %s: cannot list its earlier files: %w; %s", path, err, todo)
	}
	for _, r := range rotated {
		if r.date >= fromDate {
			w.paths = append(w.paths, r.path)
		}
	}
	if newestFirst {
		slices.Reverse(w.paths)
	}
	return w, nil
}

// next opens the next file, closing the one before; false at the end or on
// an error (in w.err).
func (w *walk) next() bool {
	if w.open != nil {
		w.open.Close()
		w.open = nil
	}
	if w.pinned != nil && !w.pinnedLast {
		w.open, w.pinned = w.pinned, nil
		return true
	}
	for len(w.paths) > 0 {
		p := w.paths[0]
		w.paths = w.paths[1:]
		f, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			continue // removed as too old since the listing
		}
		if err != nil {
			w.err = fmt.Errorf("audit journal %s: cannot read it: %w; %s", p, err, w.todo)
			return false
		}
		if w.pinnedInfo != nil {
			if info, err := f.Stat(); err == nil && os.SameFile(info, w.pinnedInfo) {
				f.Close()
				continue
			}
		}
		w.open = f
		return true
	}
	if w.pinned != nil {
		w.open, w.pinned = w.pinned, nil
		return true
	}
	return false
}

func (w *walk) current() *os.File { return w.open }

// more reports whether files are left to open after the current one.
func (w *walk) more() bool { return w.pinned != nil || len(w.paths) > 0 }

func (w *walk) readErr(name string, err error) error {
	return fmt.Errorf("audit journal %s: reading failed: %w; %s", name, err, w.todo)
}

func (w *walk) close() {
	for _, f := range []*os.File{w.pinned, w.open} {
		if f != nil {
			f.Close()
		}
	}
	w.pinned, w.open = nil, nil
}
