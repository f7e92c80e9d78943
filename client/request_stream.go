package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ResponseTooLargeError is an answer larger than Options.MaxResponseBytes
// or, for a listing decoded as it arrives, one item of it that large. It is
// never retried: the same request would get the same answer.
type ResponseTooLargeError struct {
	Method, Path string
	Limit        int64
	// Item names what exceeded the limit in a streamed listing ("host");
	// empty when it is the whole answer.
	Item string
}

func (e *ResponseTooLargeError) Error() string {
	what := "the response"
	if e.Item != "" {
		what = "a " + e.Item + " in the response"
	}
	return fmt.Sprintf("%s %s: %s is larger than the client's limit of %s (MaxResponseBytes); not retried",
		e.Method, e.Path, what, byteSize(e.Limit))
}

// byteSize names a byte count exactly, in the largest binary unit that
// divides it ("256 MiB", "1000 bytes").
func byteSize(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// decodeError is a successful answer the client could not decode.
type decodeError struct {
	method, path string
	err          error
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("decoding %s %s response: %v", e.method, e.path, e.err)
}

func (e *decodeError) Unwrap() error { return e.err }

// retryableError reports whether an attempt that failed with err may be
// repeated: not when the answer was too large or undecodable.
func retryableError(err error) bool {
	var tooLarge *ResponseTooLargeError
	var undecodable *decodeError
	return !errors.As(err, &tooLarge) && !errors.As(err, &undecodable)
}

// stream runs r like call, but hands a successful answer's body to
// consume as it arrives instead of reading it whole. When reading the
// body fails (the connection broke), the request is retried under the
// same rules as a failed request and consume starts again from scratch;
// any other error of consume is a decoding error, returned at once.
func (c *Client) stream(ctx context.Context, r *request, consume func(*streamBody) error) error {
	_, err := c.retrying(ctx, r, func(ctx context.Context, payload []byte) (*response, *http.Response, error) {
		return c.onceStreamed(ctx, r, payload, consume)
	})
	return err
}

// onceStreamed is one attempt of stream. An error answer is read whole, as
// once does, for the retry rules and the APIError.
func (c *Client) onceStreamed(ctx context.Context, r *request, payload []byte, consume func(*streamBody) error) (*response, *http.Response, error) {
	ctx, cancel := c.attemptContext(ctx)
	defer cancel()
	httpResp, err := c.send(ctx, r, payload)
	if err != nil {
		return nil, nil, err
	}
	defer httpResp.Body.Close()
	if httpResp.StatusCode < 200 || httpResp.StatusCode > 299 {
		resp, err := c.readWhole(r, httpResp)
		if err != nil {
			return nil, nil, err
		}
		return resp, httpResp, nil
	}
	body := &streamBody{r: httpResp.Body, limit: c.maxResponse, method: r.method, path: r.path, keepHead: c.debug != nil}
	err = consume(body)
	c.dumpStreamedResponse(httpResp, body)
	if body.err != nil {
		var tooLarge *ResponseTooLargeError
		if errors.As(body.err, &tooLarge) {
			return nil, nil, tooLarge
		}
		return nil, nil, fmt.Errorf("reading response: %w", body.err)
	}
	if err != nil {
		return nil, nil, &decodeError{method: r.method, path: r.path, err: err}
	}
	return &response{status: httpResp.StatusCode, header: httpResp.Header}, httpResp, nil
}

// streamBody is a successful answer's body as a consumer reads it. It
// enforces the client's size limit on the whole body or, once the
// consumer marks where each item of a listing begins, on each item, and
// it keeps the first bytes for a debug dump.
type streamBody struct {
	r            io.Reader
	method, path string
	limit        int64
	item         string // what mark delimits, for the error
	read         int64  // bytes read so far
	base         int64  // offset where the current item begins
	err          error  // the first read error other than io.EOF
	keepHead     bool
	head         []byte
}

// dumpHeadBytes is how much of a streamed answer a debug dump shows.
const dumpHeadBytes = 4096

func (b *streamBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	if b.keepHead && len(b.head) < dumpHeadBytes {
		b.head = append(b.head, p[:min(n, dumpHeadBytes-len(b.head))]...)
	}
	b.read += int64(n)
	if b.read-b.base > b.limit {
		b.err = &ResponseTooLargeError{Method: b.method, Path: b.path, Limit: b.limit, Item: b.item}
		return n, b.err
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// mark tells the body that an item named item begins at offset off of the
// body (what json.Decoder.InputOffset says): from now on the limit bounds
// what is read from there, not the whole body. Bytes the decoder has read
// ahead count towards the item, so the bound is approximate by at most
// the decoder's buffer.
func (b *streamBody) mark(item string, off int64) {
	b.item, b.base = item, off
}

func (c *Client) dumpStreamedResponse(resp *http.Response, body *streamBody) {
	if c.debug == nil {
		return
	}
	var s strings.Builder
	fmt.Fprintf(&s, "< %s\n", resp.Status)
	writeHeaders(&s, "< ", resp.Header)
	if len(body.head) > 0 {
		fmt.Fprintf(&s, "<\n%s", body.head)
		if body.read > int64(len(body.head)) {
			fmt.Fprintf(&s, "… (%d bytes)", body.read)
		}
		s.WriteString("\n")
	}
	fmt.Fprint(c.debug, s.String())
}
