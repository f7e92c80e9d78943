package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// NewInProcessTransport returns a RoundTripper that serves every request by
// calling h directly: no socket, but the same JSON on the "wire", so local
// mode exercises exactly the code paths a remote server does.
//
// A small answer is returned complete, with its Content-Length. A larger
// one (a host listing of a big organization) is streamed: the handler runs
// beside the caller and each write waits until the caller reads it, so
// neither side ever holds the whole answer.
func NewInProcessTransport(h http.Handler) http.RoundTripper {
	return inProcessTransport{h: h}
}

type inProcessTransport struct{ h http.Handler }

// inProcessBuffer is how much of an answer is gathered before the
// response is handed over as a stream.
const inProcessBuffer = 64 << 10

func (t inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper must close the request body, even on errors.
	if req.Body != nil {
		defer req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "in-process"
	if r.Body == nil {
		r.Body = http.NoBody
	}
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	w := newStreamRecorder(req.Context())
	go w.serve(t.h, r)
	<-w.ready
	if w.panicked != nil {
		// Before any answer: the caller's goroutine panics, as it did when
		// the handler ran on it.
		panic(w.panicked)
	}
	return &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          w.body,
		ContentLength: w.length,
		Request:       req,
	}, nil
}

// streamRecorder is an http.ResponseWriter that buffers the first
// inProcessBuffer bytes of an answer and streams the rest through a pipe.
// ready is closed when the response can be handed over: when the handler
// has returned, or when its answer outgrew the buffer.
type streamRecorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
	pw     *io.PipeWriter // set once streaming

	ready    chan struct{}
	ctx      context.Context
	sent     http.Header // the header as of the hand-over
	body     io.ReadCloser
	length   int64 // -1 when streamed
	panicked any   // a panic of the handler before the hand-over
}

func newStreamRecorder(ctx context.Context) *streamRecorder {
	return &streamRecorder{header: make(http.Header), ready: make(chan struct{}), ctx: ctx}
}

// serve runs the handler and completes the answer when it returns.
func (w *streamRecorder) serve(h http.Handler, r *http.Request) {
	defer func() {
		p := recover()
		if w.pw == nil {
			if p != nil {
				w.panicked = p
			}
			w.handOver(false)
			return
		}
		if p != nil {
			w.pw.CloseWithError(fmt.Errorf("in-process handler failed mid-answer: %v", p))
			return
		}
		w.pw.Close()
	}()
	h.ServeHTTP(w, r)
}

// handOver fixes the response's status and header; streaming hands over
// a body that continues through a pipe.
func (w *streamRecorder) handOver(streaming bool) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.sent = w.header.Clone()
	head := bytes.NewReader(w.buf.Bytes())
	if !streaming {
		w.body, w.length = io.NopCloser(head), int64(head.Len())
		close(w.ready)
		return
	}
	pr, pw := io.Pipe()
	w.pw = pw
	// The caller ending its context ends the stream, as it would end a
	// connection: the handler's next write fails and it stops.
	stop := context.AfterFunc(w.ctx, func() { pw.CloseWithError(w.ctx.Err()) })
	w.body = &streamedBody{Reader: io.MultiReader(head, pr), pipe: pr, stop: stop}
	w.length = -1
	close(w.ready)
}

func (w *streamRecorder) Header() http.Header { return w.header }

func (w *streamRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *streamRecorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.pw != nil {
		return w.pw.Write(p)
	}
	if w.buf.Len()+len(p) <= inProcessBuffer {
		return w.buf.Write(p)
	}
	w.handOver(true)
	return w.pw.Write(p)
}

// streamedBody is a response body continued through a pipe; closing it
// tells the handler that nobody reads any more.
type streamedBody struct {
	io.Reader
	pipe *io.PipeReader
	stop func() bool
}

var errBodyClosed = errors.New("in-process response body closed")

func (b *streamedBody) Close() error {
	b.stop()
	return b.pipe.CloseWithError(errBodyClosed)
}
