package backend

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"

	"github.com/mkr-dev/mkr/backend/store"
)

// spool holds a request's decoded, validated points until the store writes
// them: 20 bytes a point (series index, time, value), in memory up to
// spoolMemBytes and in a temporary file past that, so a 64 MiB body costs
// the same memory as a 1 MiB one. It is the store.PointStream the store
// reads, chunk by chunk, inside its transaction — after the whole body has
// arrived, so a slow client never holds the writer while its body trickles.
type spool struct {
	keys  []store.SeriesKey
	index map[string]uint32 // owner + "\x00" + name → position in keys
	kind  string            // "host" or "service"
	owner string            // the service, for service metrics

	n    int
	buf  []byte   // records not yet in file
	file *os.File // nil until buf first outgrows spoolMemBytes
	err  error    // a failed spill: the request fails with a 500
}

const (
	spoolRecord = 20 // uint32 series, int64 time, float64 value
	// spoolMemBytes: 52,428 points in memory (a throw batch is 5,000, an
	// agent's post ~100), the rest on disk.
	spoolMemBytes = 1 << 20
	// spoolChunk is how many points Each hands the store at a time.
	spoolChunk = 4096
)

func newSpool(kind, owner string) *spool {
	return &spool{index: map[string]uint32{}, kind: kind, owner: owner}
}

// series returns the index of (owner, name), interning it; key is owner +
// "\x00" + name in a scratch buffer (looked up without allocating).
func (s *spool) series(key []byte, owner, name func() string) uint32 {
	if i, ok := s.index[string(key)]; ok {
		return i
	}
	i := uint32(len(s.keys))
	s.index[string(key)] = i
	s.keys = append(s.keys, store.SeriesKey{Kind: s.kind, Owner: owner(), Name: name()})
	return i
}

// add appends one point.
func (s *spool) add(series uint32, t int64, v float64) {
	s.buf = binary.LittleEndian.AppendUint32(s.buf, series)
	s.buf = binary.LittleEndian.AppendUint64(s.buf, uint64(t))
	s.buf = binary.LittleEndian.AppendUint64(s.buf, math.Float64bits(v))
	s.n++
	if len(s.buf) >= spoolMemBytes {
		s.spill()
	}
}

// spill moves the buffered records to the temporary file.
func (s *spool) spill() {
	if s.err != nil || len(s.buf) == 0 {
		s.buf = s.buf[:0]
		return
	}
	if s.file == nil {
		if s.file, s.err = os.CreateTemp("", "mkr-ingest-*.spool"); s.err != nil {
			return
		}
		// Unlinked at once: the file lives as long as the open handle, and
		// a crash leaves nothing behind.
		os.Remove(s.file.Name())
	}
	_, s.err = s.file.Write(s.buf)
	s.buf = s.buf[:0]
}

// finish makes the spool ready to read: what a file-backed spool still
// buffers goes to the file.
func (s *spool) finish() error {
	if s.file != nil {
		s.spill()
	}
	return s.err
}

// close releases the temporary file.
func (s *spool) close() {
	if s.file != nil {
		s.file.Close()
	}
}

// Series implements store.PointStream.
func (s *spool) Series() []store.SeriesKey { return s.keys }

// Len implements store.PointStream.
func (s *spool) Len() int { return s.n }

// Each implements store.PointStream: from memory, or reading the file from
// its start (it may be called again).
func (s *spool) Each(fn func([]store.StreamPoint) error) error {
	// No bigger than the spool: an agent's post is ~100 points, and a
	// full chunk (96 KiB) per post was garbage at every request.
	chunk := make([]store.StreamPoint, 0, min(s.n, spoolChunk))
	if s.file == nil {
		return eachRecord(s.buf, chunk, fn)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(s.file, spoolChunk*spoolRecord)
	raw := make([]byte, spoolChunk*spoolRecord)
	for left := s.n; left > 0; {
		n := min(left, spoolChunk)
		if _, err := io.ReadFull(r, raw[:n*spoolRecord]); err != nil {
			return errors.Join(errors.New("reading the ingest spool"), err)
		}
		if err := eachRecord(raw[:n*spoolRecord], chunk, fn); err != nil {
			return err
		}
		left -= n
	}
	return nil
}

// eachRecord decodes records into chunk-sized slices for fn.
func eachRecord(raw []byte, chunk []store.StreamPoint, fn func([]store.StreamPoint) error) error {
	for len(raw) > 0 {
		chunk = chunk[:0]
		for len(raw) > 0 && len(chunk) < cap(chunk) {
			chunk = append(chunk, store.StreamPoint{
				Series: binary.LittleEndian.Uint32(raw),
				Time:   int64(binary.LittleEndian.Uint64(raw[4:])),
				Value:  math.Float64frombits(binary.LittleEndian.Uint64(raw[12:])),
			})
			raw = raw[spoolRecord:]
		}
		if err := fn(chunk); err != nil {
			return err
		}
	}
	return nil
}

var _ store.PointStream = (*spool)(nil)
