package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// defaultMaxResponseBytes bounds a response body, so that a broken or
// hostile server cannot make mkr use any amount of memory. A year of
// one-minute points stays far below it. A host listing is decoded as it
// arrives and never held whole, so the bound applies to each of its hosts
// (see FindHosts).
const defaultMaxResponseBytes = 256 << 20

// request describes one API call.
type request struct {
	method string
	path   string // escaped API path, e.g. /api/v0/hosts
	query  url.Values
	header http.Header // sent besides the client's own headers
	body   any         // marshalled as JSON when non-nil or when sendNull is set
	raw    []byte      // pre-encoded body, wins over body
	// sendNull posts the literal JSON null, as mackerel-client-go does for
	// bodiless POSTs such as retire.
	sendNull bool
	// idempotent allows retries for a POST whose effect is idempotent.
	idempotent bool
}

func (r *request) canRetry() bool {
	switch r.method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	}
	return r.idempotent
}

func (r *request) encode() ([]byte, error) {
	if r.raw != nil {
		return r.raw, nil
	}
	if r.body == nil {
		if r.sendNull {
			return []byte("null"), nil
		}
		return nil, nil
	}
	return json.Marshal(r.body)
}

// response is a completed call: status, headers and the whole body.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do runs r with retries and returns the successful response, or an
// *APIError for a non-2xx answer.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	return c.retrying(ctx, r, func(ctx context.Context, payload []byte) (*response, *http.Response, error) {
		return c.once(ctx, r, payload)
	})
}

// attemptFunc makes one attempt of a request: a response to judge by its
// status, or an error.
type attemptFunc func(ctx context.Context, payload []byte) (*response, *http.Response, error)

// retrying runs attempts of r under the retry policy: network errors, 429
// and 5xx are retried when r may be; an answer too large for the client,
// or one it cannot decode, never is (the same request would get the same
// answer).
func (c *Client) retrying(ctx context.Context, r *request, try attemptFunc) (*response, error) {
	payload, err := r.encode()
	if err != nil {
		return nil, fmt.Errorf("encoding request body: %w", err)
	}
	attempts := 1
	if r.canRetry() {
		attempts += c.retry.MaxRetries
	}
	var lastErr error
	for attempt := 1; ; attempt++ {
		resp, httpResp, err := try(ctx, payload)
		if err == nil && !retryable(resp.status) {
			if resp.status < 200 || resp.status > 299 {
				return nil, newAPIError(resp.status, resp.body)
			}
			return resp, nil
		}
		if err != nil {
			if ctx.Err() != nil || !retryableError(err) {
				return nil, err
			}
			lastErr = err
		} else {
			lastErr = newAPIError(resp.status, resp.body)
		}
		if attempt >= attempts {
			return nil, lastErr
		}
		if !c.retry.Sleep(ctx.Done(), c.retry.backoff(attempt, httpResp)) {
			return nil, errors.Join(ctx.Err(), lastErr)
		}
	}
}

// once performs a single attempt under the per-request timeout, if any,
// and reads the whole answer.
func (c *Client) once(ctx context.Context, r *request, payload []byte) (*response, *http.Response, error) {
	ctx, cancel := c.attemptContext(ctx)
	defer cancel()
	httpResp, err := c.send(ctx, r, payload)
	if err != nil {
		return nil, nil, err
	}
	defer httpResp.Body.Close()
	resp, err := c.readWhole(r, httpResp)
	if err != nil {
		return nil, nil, err
	}
	return resp, httpResp, nil
}

// attemptContext bounds one attempt, body included, by the client's
// timeout.
func (c *Client) attemptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.timeout > 0 {
		return context.WithTimeout(ctx, c.timeout)
	}
	return ctx, func() {}
}

// send sends r and returns the answer with its body unread.
func (c *Client) send(ctx context.Context, r *request, payload []byte) (*http.Response, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.urlFor(r.path, r.query), body)
	if err != nil {
		return nil, err
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if c.apiKey != "" {
		req.Header.Set("X-Api-Key", c.apiKey)
	}
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil || r.method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
	}
	c.dumpRequest(req, payload)
	return c.http.Do(req)
}

// readWhole reads an answer's body, at most maxResponse bytes of it.
func (c *Client) readWhole(r *request, httpResp *http.Response) (*response, error) {
	data, err := io.ReadAll(io.LimitReader(httpResp.Body, c.maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("reading response: %w", err)
	}
	if int64(len(data)) > c.maxResponse {
		return nil, &ResponseTooLargeError{Method: r.method, Path: r.path, Limit: c.maxResponse}
	}
	c.dumpResponse(httpResp, data)
	return &response{status: httpResp.StatusCode, header: httpResp.Header, body: data}, nil
}

// call runs r and decodes the JSON body into out (when out is non-nil).
func (c *Client) call(ctx context.Context, r *request, out any) error {
	resp, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("decoding %s %s response: %w", r.method, r.path, err)
	}
	return nil
}

func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.call(ctx, &request{method: http.MethodGet, path: path, query: query}, out)
}

func (c *Client) post(ctx context.Context, path string, body, out any) error {
	return c.call(ctx, &request{method: http.MethodPost, path: path, body: body, sendNull: body == nil}, out)
}

func (c *Client) put(ctx context.Context, path string, body, out any) error {
	return c.call(ctx, &request{method: http.MethodPut, path: path, body: body}, out)
}

func (c *Client) delete(ctx context.Context, path string, body, out any) error {
	return c.call(ctx, &request{method: http.MethodDelete, path: path, body: body}, out)
}

// pathf builds an API path, escaping every argument as one path segment.
func pathf(format string, segments ...string) string {
	args := make([]any, len(segments))
	for i, s := range segments {
		args[i] = url.PathEscape(s)
	}
	return fmt.Sprintf(format, args...)
}
