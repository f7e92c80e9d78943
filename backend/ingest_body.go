package backend

import (
	"bytes"
	"io"
	"net/http"
	"sync"
)

// ingestBody is a metric post's body: read whole into a pooled buffer when
// it announces at most ingestBufferLimit bytes (an agent's post), so that
// it is read before the post waits for its turn and parsed in one pass
// (parseBodyFast); otherwise, or when reading it failed or it was longer
// than announced, what was read is replayed in front of the rest, and
// the streaming decoder sees exactly the bytes and the error it would
// have seen.
type ingestBody struct {
	r     *http.Request
	buf   *[]byte
	data  []byte
	whole bool      // data is the whole body
	tail  io.Reader // what follows data when !whole: the error, or the rest
}

var ingestBuffers = sync.Pool{New: func() any { return new([]byte) }}

func readIngestBody(r *http.Request) *ingestBody {
	b := &ingestBody{r: r}
	n := r.ContentLength
	if n <= 0 || n > ingestBufferLimit || r.Body == nil {
		return b
	}
	b.buf = ingestBuffers.Get().(*[]byte)
	buf := (*b.buf)[:0]
	if cap(buf) < int(n)+1 {
		buf = make([]byte, 0, n+1) // +1: to notice a body longer than announced
	}
	for {
		if len(buf) == cap(buf) {
			b.tail = r.Body // longer than announced: stream the rest
			break
		}
		m, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			b.whole = true
			break
		}
		if err != nil {
			b.tail = errorReader{err}
			break
		}
	}
	*b.buf, b.data = buf, buf
	return b
}

// reader is the body for the streaming decoder.
func (b *ingestBody) reader() io.Reader {
	switch {
	case b.buf == nil:
		return b.r.Body
	case b.whole:
		return bytes.NewReader(b.data)
	default:
		return io.MultiReader(bytes.NewReader(b.data), b.tail)
	}
}

// release gives the buffer back. Nothing may use data after it: the
// spool copied what it keeps.
func (b *ingestBody) release() {
	if b.buf != nil && cap(*b.buf) <= ingestBufferLimit+1 {
		ingestBuffers.Put(b.buf)
	}
	b.buf, b.data = nil, nil
}

// errorReader returns its error on every read.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }
