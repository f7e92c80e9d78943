package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// chunkyHandler writes n KiB in 1 KiB writes and reports how its writes
// ended on done.
func chunkyHandler(n int, done chan<- error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := bytes.Repeat([]byte("x"), 1023)
		var err error
		for i := 0; i < n && err == nil; i++ {
			_, err = w.Write(append(chunk, byte('0'+i%10)))
		}
		w.Header().Set("X-Too-Late", "1")
		done <- err
	}
}

// A large answer is handed over before the handler has written it all, and
// the handler writes only as fast as the caller reads: neither holds it
// whole.
func TestInProcessTransportStreamsLargeAnswers(t *testing.T) {
	done := make(chan error, 1)
	rt := client.NewInProcessTransport(chunkyHandler(4096, done)) // 4 MiB
	req, _ := http.NewRequest(http.MethodGet, "http://mkr.local/big", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	select {
	case err := <-done:
		t.Fatalf("the handler finished (%v) before the caller read the answer: it was buffered whole", err)
	case <-time.After(50 * time.Millisecond):
	}
	if resp.StatusCode != 200 || resp.ContentLength != -1 || resp.Header.Get("Content-Type") != "text/plain" || resp.Header.Get("X-Too-Late") != "" {
		t.Errorf("response = %d, length %d, header %v", resp.StatusCode, resp.ContentLength, resp.Header)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil || len(body) != 4096<<10 || body[1023] != '0' || body[len(body)-1] != '5' {
		t.Fatalf("read %d bytes (%v), want 4 MiB ending in the last write", len(body), err)
	}
	if err := <-done; err != nil {
		t.Errorf("handler write error: %v", err)
	}
}

// A caller that stops reading and closes the body, or whose context ends,
// makes the handler's writes fail, so it stops instead of blocking.
func TestInProcessTransportStreamEndsWithTheCaller(t *testing.T) {
	t.Run("body closed", func(t *testing.T) {
		done := make(chan error, 1)
		rt := client.NewInProcessTransport(chunkyHandler(4096, done))
		req, _ := http.NewRequest(http.MethodGet, "http://mkr.local/big", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.CopyN(io.Discard, resp.Body, 100<<10)
		resp.Body.Close()
		if err := <-done; err == nil {
			t.Error("the handler wrote its whole answer to a closed body")
		}
	})
	t.Run("context cancelled", func(t *testing.T) {
		done := make(chan error, 1)
		rt := client.NewInProcessTransport(chunkyHandler(4096, done))
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://mkr.local/big", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.CopyN(io.Discard, resp.Body, 100<<10)
		cancel()
		if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.Canceled) {
			t.Errorf("reading after cancel: %v, want context.Canceled", err)
		}
		if err := <-done; err == nil {
			t.Error("the handler wrote its whole answer after the caller's context ended")
		}
	})
}

// A handler that panics before answering panics on the caller's side, as
// when it ran on the caller's goroutine; one that panics mid-stream makes
// the body's read fail rather than end as if complete.
func TestInProcessTransportHandlerPanics(t *testing.T) {
	rt := client.NewInProcessTransport(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	req, _ := http.NewRequest(http.MethodGet, "http://mkr.local/x", nil)
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the handler's panic", p)
			}
		}()
		rt.RoundTrip(req)
	}()

	rt = client.NewInProcessTransport(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write(bytes.Repeat([]byte("y"), 200<<10))
		panic("mid-answer")
	}))
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil || !strings.Contains(err.Error(), "mid-answer") {
		t.Errorf("reading an answer cut by a panic: %v, want an error naming it", err)
	}
}
