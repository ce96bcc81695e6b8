package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// The journal is a chain: each line carries its number (seq) and the hash
// of the line before it (prev), across the rotated files, across restarts
// and across the processes that append to it (the counter and the
// scripting commands). A line changed, removed or inserted afterwards
// breaks the chain where it stands; Verify finds the first break.
//
// Lines are appended by several processes, so the head of the chain (the
// last line's number and hash) is the file's, not the process's: each
// write takes the file's lock, and reads the head from the file's end
// whenever the file has grown by lines this process did not write.

// chainHash is the hash a line's successor carries as prev: the first 16
// bytes of the SHA-256 of the line's bytes (without its newline), in hex.
// Sixteen bytes leave no hope of making another line with the same hash.
func chainHash(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:16])
}

// chainLen is how many bytes the chain's fields add to a line numbered seq.
func chainLen(seq uint64) int {
	return len(`,"seq":`) + len(strconv.FormatUint(seq, 10)) + len(`,"prev":""`) + 32 + 1
}

// chain ends an encoded entry (body, without Seq and Prev) with the next
// number and the head's hash, as json.Marshal writes them, and a newline;
// after a torn line it begins with one too, so that the line does not glue
// itself onto the fragment.
func (j *Journal) chain(body []byte) []byte {
	line := make([]byte, 0, len(body)+chainLen(j.seq+1)+1)
	if j.startOnNewLine {
		line = append(line, '\n')
	}
	line = append(line, body[:len(body)-1]...)
	line = append(line, `,"seq":`...)
	line = strconv.AppendUint(line, j.seq+1, 10)
	if j.head != "" {
		line = append(line, `,"prev":"`...)
		line = append(line, j.head...)
		line = append(line, '"')
	}
	line = append(line, '}', '\n')
	start := 0
	if j.startOnNewLine {
		start = 1
	}
	j.seq++
	j.head = chainHash(line[start : len(line)-1])
	j.startOnNewLine = false
	return line
}

// take readies the current file for a line of e: it takes the file's lock
// (released by release), checks that the file is still the journal's, and
// reads the chain's head when another process has appended since this one
// last did. j.mu is held.
func (j *Journal) take(e Entry) (err error) {
	if err := j.lock(j.f); err != nil {
		if _, serr := j.f.Stat(); serr != nil {
			err = serr // a descriptor closed under it says so
		}
		return j.fail(e.Action, e.Outcome, e.OrderID, "lock", err)
	}
	if j.info == nil {
		// A journal built without Open (a test's) learns its file now.
		if j.info, err = j.f.Stat(); err != nil {
			j.release()
			return j.fail(e.Action, e.Outcome, e.OrderID, "check", err)
		}
	}
	if err := j.atPath(e); err != nil {
		j.release()
		return err
	}
	return nil
}

// atPath makes sure, the lock held, that the open file is the one at the
// journal's path, following other processes' rotations, and reads the
// chain's head when the file has lines this process did not write. One
// call to the path checks both (its size is the file's, other processes'
// lines included), as each call costs the write path as much as the write.
// A file followed to may itself be moved aside by another rotation while
// its lock is waited for: the path is asked again each time. j.mu is held.
func (j *Journal) atPath(e Entry) (err error) {
	var info os.FileInfo
	for moves := 0; ; moves++ {
		info, err = os.Stat(j.path)
		if err == nil && os.SameFile(j.info, info) {
			break
		}
		if moves == maxMoves {
			err = fmt.Errorf("the journal file kept moving: %d rotations while one line waited", maxMoves)
		} else {
			_, err = j.follow()
		}
		if err != nil {
			return j.fail(e.Action, e.Outcome, e.OrderID, "write", err)
		}
	}
	if j.rot != nil {
		j.rot.size = info.Size()
	}
	if info.Size() != j.end {
		if err := j.readHead(j.f, info.Size()); err != nil {
			return j.fail(e.Action, e.Outcome, e.OrderID, "read the end of", err)
		}
	}
	return nil
}

// maxMoves bounds how many rotations one line follows before it gives up:
// each takes a day or 64 MiB of lines, so more than a few is a loop.
const maxMoves = 8

// follow moves to the file at the journal's path when the current one was
// moved aside by another process's rotation (it is one of the rotated
// files); anything else (the file removed, or replaced by another) is
// errNotAtPath. The lock moves to the new file. j.mu is held.
func (j *Journal) follow() (os.FileInfo, error) {
	if err := stillAt(j.f, j.path); err != nil {
		return nil, err
	}
	f, _, err := openForAppend(j.path)
	if err != nil {
		return nil, err
	}
	if err := j.lock(f); err != nil {
		f.Close()
		return nil, err
	}
	old := j.f
	unlockFile(old)
	j.retired = append(j.retired, old)
	j.f, j.locked = f, f
	j.end = -1
	// Locked now: what it holds is what was written before this line.
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	j.info = info
	// The file is the day the other process began it in.
	if j.rot != nil {
		j.rot.started(info, j.now())
	}
	return info, nil
}

// lock takes the journal's lock on f; a file system that has no locks
// leaves the journal to this process alone, as it was before it had them.
func (j *Journal) lock(f *os.File) error {
	if err := lockFile(f); err != nil && !lockUnsupported(err) {
		return err
	}
	j.locked = f
	return nil
}

// release lets the other writers in. j.mu is held.
func (j *Journal) release() {
	if j.locked != nil {
		unlockFile(j.locked)
		j.locked = nil
	}
}

// readHead reads the chain's head from the end of f, size bytes long: the
// number of the last line that has one and the hash of the last line. A
// file that ends in a torn line (a crash mid-write) is chained through the
// fragment, which the next line starts after; an empty file continues the
// newest rotated file.
func (j *Journal) readHead(f *os.File, size int64) error {
	j.seq, j.head, j.startOnNewLine = 0, "", false
	if size == 0 {
		j.end = 0
		return j.headOfRotated()
	}
	last, fragment, seq, err := readTail(f, size)
	if err != nil {
		return err
	}
	j.seq = seq
	switch {
	case fragment != nil:
		j.head, j.startOnNewLine = chainHash(fragment), true
	case last != nil:
		j.head = chainHash(last)
	}
	j.end = size
	return nil
}

// headOfRotated takes the head from the end of the newest rotated file: a
// file just begun continues the chain of the one it replaced.
func (j *Journal) headOfRotated() error {
	files, err := listRotated(j.path)
	if err != nil || len(files) == 0 {
		return err
	}
	f, err := os.Open(files[len(files)-1].path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return err
	}
	last, fragment, seq, err := readTail(f, info.Size())
	if err != nil {
		return err
	}
	j.seq = seq
	if fragment != nil {
		// A rotated file ends whole; one that does not was cut by hand.
		last = fragment
	}
	if last != nil {
		j.head = chainHash(last)
	}
	return nil
}

// tailWindow is how much of a file's end is read for its last lines; it
// grows when a line is longer.
const tailWindow = 16 << 10

// readTail reads the end of a file of size bytes: its last whole line (nil
// when none), the torn fragment after it (nil when the file ends in a
// newline), and the number of the last line that has one (0 when none).
func readTail(f *os.File, size int64) (last, fragment []byte, seq uint64, err error) {
	window := int64(tailWindow)
	for {
		n := min(window, size)
		buf := make([]byte, n)
		if _, err := f.ReadAt(buf, size-n); err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, 0, err
		}
		whole := buf
		if i := bytes.LastIndexByte(buf, '\n'); i < len(buf)-1 {
			fragment = bytes.Clone(buf[i+1:])
			whole = buf[:i+1]
		}
		lines := bytes.Split(bytes.TrimSuffix(whole, []byte{'\n'}), []byte{'\n'})
		if n < size {
			// The first piece may be the end of a longer line.
			lines = lines[1:]
		}
		for i := len(lines) - 1; i >= 0; i-- {
			l := lines[i]
			if len(bytes.TrimSpace(l)) == 0 {
				continue
			}
			if last == nil {
				last = bytes.Clone(l)
			}
			if s, ok := decodeSeq(l); ok {
				return last, fragment, s, nil
			}
		}
		if n == size || window >= 4*maxLine {
			// No numbered line near the end: the chain begins again.
			return last, fragment, 0, nil
		}
		window *= 8
		last, fragment = nil, nil
	}
}

// decodeSeq reads a line's seq, as encoding/json would.
func decodeSeq(line []byte) (uint64, bool) {
	e, ok := decodeEntry(line)
	return e.Seq, ok && e.Seq > 0
}
