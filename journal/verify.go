package journal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
)

// Break is the first place where the journal's chain does not hold: a line
// changed, removed or inserted after it was written.
type Break struct {
	// File and Number are the line changed or inserted, or the line after
	// those removed.
	File   string
	Number int
	// What says what the break means, in words that name the lines.
	What string
}

// Verification is what Verify found.
type Verification struct {
	// Files are the files read, oldest first.
	Files []string
	// Lines is how many lines were read; Chained how many of them carry a
	// number and the hash of the line before.
	Lines, Chained int
	// Legacy are the lines before the chain began (written before the
	// journal was chained): nothing protects them but the first chained
	// line's hash of the last of them.
	Legacy int
	// FirstSeq is the number of the first chained line read: more than 1
	// when the oldest files were removed as too old (journal_keep_days).
	FirstSeq uint64
	// Torn are lines cut short by a crash while they were written: the
	// chain passes through them, so they are where they were written.
	Torn []Unreadable
	// Unfinished is a last line without its newline: being written now,
	// or cut short by a crash with nothing written after it.
	Unfinished *Unreadable
	// Break is the first break in the chain; nil when it holds.
	Break *Break
}

// Verify reads the journal at path and its rotated files, oldest first, and
// checks the chain: each line's number follows the one before, and each
// line carries the hash of the line before it. It stops at the first break.
//
// What a chain cannot show: the last line is sealed only by the next one,
// so a change to it, or lines cut off the end, are not seen; nor are the
// oldest files removed, which retention does too (FirstSeq says where the
// journal now begins).
func Verify(path string) (*Verification, error) {
	files, err := walkFiles(path, false, "", "fix the file's permissions, or name the journal with --journal")
	if err != nil {
		return nil, err
	}
	defer files.close()
	v := &Verification{}
	c := &checker{v: v}
	r := bufio.NewReaderSize(nil, 64<<10)
	var long []byte
	for files.next() && v.Break == nil {
		f := files.current()
		name := f.Name()
		v.Files = append(v.Files, name)
		r.Reset(f)
		for n := 1; v.Break == nil; n++ {
			line, tooLong, err := readLine(r, &long)
			atEnd := errors.Is(err, io.EOF)
			if err != nil && !atEnd {
				return nil, files.readErr(name, err)
			}
			if atEnd && len(line) == 0 {
				break
			}
			if atEnd && !files.more() {
				// The journal's very end, without its newline.
				v.Unfinished = &Unreadable{File: name, Number: n, Problem: "unfinished: being written, or cut short by a crash"}
				break
			}
			if tooLong {
				c.tooLong(name, n)
			} else {
				c.line(name, n, bytes.TrimSuffix(line, []byte{'\n'}))
			}
			if atEnd {
				break
			}
		}
	}
	if files.err != nil {
		return nil, files.err
	}
	c.end()
	return v, nil
}

// checker follows the chain line by line.
type checker struct {
	v *Verification
	// prev is the line before (its bytes and where it is); lastSeq the
	// number of the last chained line, and where that line is.
	prev          []byte
	prevFile      string
	prevNumber    int
	prevReadable  bool
	lastSeq       uint64
	started       bool
	pendingTorn   *Unreadable
	lastSeqFile   string
	lastSeqNumber int
	// line0 is the line being checked; doubt a break that the next line
	// is to place.
	line0 []byte
	doubt *doubt
}

// tooLong takes a line over 1 MiB: damage, whose bytes are not kept, so
// the line after it cannot be chained through it.
func (c *checker) tooLong(file string, n int) {
	c.v.Lines++
	if !c.started {
		c.v.Legacy++
	}
	c.prev, c.prevFile, c.prevNumber, c.prevReadable = []byte{}, file, n, false
}

func (c *checker) line(file string, n int, line []byte) {
	if len(bytes.TrimSpace(line)) == 0 {
		return // a blank line holds nothing
	}
	c.v.Lines++
	e, readable := decodeEntry(line)
	if c.doubt != nil {
		next := &e
		if !readable {
			next = nil
		}
		c.settle(next)
		return
	}
	c.line0 = line
	switch {
	case !c.started && (!readable || e.Seq == 0):
		c.v.Legacy++
	case !readable:
		// Torn by a crash, if the next line chains through it.
		c.pendingTorn = &Unreadable{File: file, Number: n, Problem: "cut short by a crash while it was written; the chain passes through it"}
	case e.Seq == 0:
		c.fail(file, n, "line %d of %s carries no sequence number or hash although the chain began before it: it was inserted, or its chain removed", n, base(file))
		return
	case !c.started:
		c.start(file, n, e, line)
	default:
		c.follows(file, n, e)
	}
	if c.v.Break != nil || c.doubt != nil {
		return
	}
	if readable && e.Seq > 0 {
		if c.pendingTorn != nil {
			c.v.Torn = append(c.v.Torn, *c.pendingTorn)
			c.pendingTorn = nil
		}
		c.v.Chained++
		c.lastSeq, c.lastSeqFile, c.lastSeqNumber = e.Seq, file, n
	}
	c.prev, c.prevFile, c.prevNumber, c.prevReadable = bytes.Clone(line), file, n, readable
}

// start takes the first chained line: the journal's beginning, or the
// first line after those written before the journal was chained, whose
// last it must carry the hash of.
func (c *checker) start(file string, n int, e Entry, line []byte) {
	c.started = true
	c.v.FirstSeq = e.Seq
	if c.prev == nil {
		return
	}
	switch {
	case e.Prev != chainHash(c.prev):
		c.fail(c.prevFile, c.prevNumber, "line %d of %s does not carry the hash of line %d of %s before it: that line was changed, or lines removed between them",
			n, base(file), c.prevNumber, base(c.prevFile))
	case e.Seq != 1:
		c.fail(file, n, "line %d of %s is number %d, but the chain begins there: the lines numbered 1 to %d were removed",
			n, base(file), e.Seq, e.Seq-1)
	}
}

// follows checks a chained line against the line before it.
func (c *checker) follows(file string, n int, e Entry) {
	if e.Prev == chainHash(c.prev) {
		if e.Seq != c.lastSeq+1 {
			c.fail(file, n, "line %d of %s is number %d where %d follows line %d of %s: it was changed",
				n, base(file), e.Seq, c.lastSeq+1, c.lastSeqNumber, base(c.lastSeqFile))
		}
		return
	}
	before := fmt.Sprintf("line %d of %s", c.prevNumber, base(c.prevFile))
	switch {
	case bytes.Equal(c.line0, c.prev):
		c.fail(file, n, "line %d of %s is a copy of %s: it was inserted", n, base(file), before)
	case !c.prevReadable:
		c.fail(c.prevFile, c.prevNumber, "%s cannot be read and is not in the chain: it was inserted or damaged", before)
	case e.Seq == c.lastSeq+1:
		c.fail(c.prevFile, c.prevNumber, "%s was changed (or a line cut short by a crash after it was removed): line %d of %s does not carry its hash",
			before, n, base(file))
	case e.Seq > c.lastSeq+1:
		c.fail(file, n, "%s removed before line %d of %s (numbers %d to %d are missing)",
			plural(int(e.Seq-c.lastSeq-1), "line was", "lines were"), n, base(file), c.lastSeq+1, e.Seq-1)
	default:
		// Two lines claim the same place: the one the next line chains
		// from is the journal's, the other was inserted (insertedAt).
		c.doubt = &doubt{file: file, n: n, seq: e.Seq, hash: chainHash(c.line0), before: before,
			beforeFile: c.prevFile, beforeN: c.prevNumber}
	}
}

// doubt is a line whose number does not move on from the line before: it,
// or the line before, was inserted, and the next line says which.
type doubt struct {
	file         string
	n            int
	seq          uint64
	hash, before string
	beforeFile   string
	beforeN      int
}

// settle decides a doubt with the line after it (nil at the end).
func (c *checker) settle(next *Entry) {
	d := c.doubt
	c.doubt = nil
	if next != nil && next.Prev == d.hash {
		c.fail(d.beforeFile, d.beforeN, "%s was inserted: line %d of %s, number %d, and the lines after it follow the line before it",
			d.before, d.n, base(d.file), d.seq)
		return
	}
	c.fail(d.file, d.n, "line %d of %s was inserted: it is number %d, which came before", d.n, base(d.file), d.seq)
}

func (c *checker) fail(file string, n int, format string, args ...any) {
	c.v.Break = &Break{File: file, Number: n, What: fmt.Sprintf(format, args...)}
}

// end settles a torn line at the very end of the read.
func (c *checker) end() {
	if c.doubt != nil {
		c.settle(nil)
	}
	if c.v.Break == nil && c.pendingTorn != nil {
		c.v.Torn = append(c.v.Torn, *c.pendingTorn)
	}
}

func base(path string) string { return filepath.Base(path) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
