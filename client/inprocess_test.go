package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

func TestInProcessTransportPassesRequestThrough(t *testing.T) {
	var got struct {
		method, path, rawPath, requestURI, query, host, body string
		contentLength                                        int64
		header                                               http.Header
		pathValue                                            string
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /api/v0/things/{name}/x", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading body: %v", err)
		}
		got.method, got.path, got.rawPath, got.requestURI = r.Method, r.URL.Path, r.URL.RawPath, r.RequestURI
		got.query, got.host, got.body, got.contentLength = r.URL.RawQuery, r.Host, string(b), r.ContentLength
		got.header = r.Header.Clone()
		got.pathValue = r.PathValue("name")

		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"ok":`)
		io.WriteString(w, `true}`)
	})

	hc := &http.Client{Transport: client.NewInProcessTransport(mux)}
	req, err := http.NewRequest(http.MethodPut, "http://mkr.local/api/v0/things/a%2Fb/x?k=v&k=w&z=%20", strings.NewReader(`{"in":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Api-Key", testKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Add("X-Trace", "1")
	req.Header.Add("X-Trace", "2")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)

	if got.method != "PUT" || got.path != "/api/v0/things/a/b/x" || got.rawPath != "/api/v0/things/a%2Fb/x" {
		t.Errorf("method/path = %s %q (raw %q)", got.method, got.path, got.rawPath)
	}
	if got.pathValue != "a/b" {
		t.Errorf("PathValue(name) = %q, want a/b", got.pathValue)
	}
	if got.requestURI != "/api/v0/things/a%2Fb/x?k=v&k=w&z=%20" {
		t.Errorf("RequestURI = %q", got.requestURI)
	}
	if got.query != "k=v&k=w&z=%20" || got.host != "mkr.local" {
		t.Errorf("query = %q, host = %q", got.query, got.host)
	}
	if got.body != `{"in":1}` || got.contentLength != 8 {
		t.Errorf("body = %q (ContentLength %d)", got.body, got.contentLength)
	}
	if got.header.Get("X-Api-Key") != testKey || got.header.Get("Content-Type") != "application/json" ||
		strings.Join(got.header.Values("X-Trace"), ",") != "1,2" {
		t.Errorf("headers = %v", got.header)
	}

	if resp.StatusCode != http.StatusAccepted || resp.Status != "202 Accepted" {
		t.Errorf("status = %d %q", resp.StatusCode, resp.Status)
	}
	if resp.Header.Get("Last-Modified") != "Tue, 02 Jan 2024 03:04:05 GMT" || strings.Join(resp.Header.Values("X-Multi"), ",") != "a,b" {
		t.Errorf("response headers = %v", resp.Header)
	}
	if string(body) != `{"ok":true}` || resp.ContentLength != int64(len(`{"ok":true}`)) {
		t.Errorf("body = %q (ContentLength %d)", body, resp.ContentLength)
	}
	if resp.Request != req {
		t.Error("resp.Request is not the original request")
	}
}

func TestInProcessTransportStatusRules(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		body    string
	}{
		{"nothing written is 200 with an empty body", func(w http.ResponseWriter, r *http.Request) {}, 200, ""},
		{"write without WriteHeader is 200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") }, 200, "hi"},
		{"first WriteHeader wins", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			w.WriteHeader(500)
			io.WriteString(w, "nf")
		}, 404, "nf"},
		{"WriteHeader after Write is ignored", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "a")
			w.WriteHeader(503)
		}, 200, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hc := &http.Client{Transport: client.NewInProcessTransport(tt.handler)}
			resp, err := hc.Get("http://mkr.local/x")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || string(body) != tt.body {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body, tt.status, tt.body)
			}
		})
	}
}

func TestInProcessTransportRefusesCancelledRequests(t *testing.T) {
	called := false
	rt := client.NewInProcessTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	body := &closeTracker{Reader: strings.NewReader("{}")}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://mkr.local/x", body)
	resp, err := rt.RoundTrip(req)
	if !errors.Is(err, context.Canceled) || resp != nil {
		t.Errorf("RoundTrip = %v, %v; want context.Canceled", resp, err)
	}
	if called {
		t.Error("handler ran for a cancelled request")
	}
	if !body.closed {
		t.Error("request body not closed (RoundTripper contract)")
	}
}

func TestInProcessTransportClosesRequestBody(t *testing.T) {
	rt := client.NewInProcessTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	body := &closeTracker{Reader: strings.NewReader(`{"a":1}`)}
	req, _ := http.NewRequest(http.MethodPost, "http://mkr.local/x", body)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !body.closed {
		t.Error("request body not closed (RoundTripper contract)")
	}
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error {
	c.closed = true
	return nil
}

func TestInProcessTransportThroughClient(t *testing.T) {
	// The typed client over the in-process transport sees the handler's
	// exact answer, including error bodies and headers.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != testKey || r.Header.Get("User-Agent") != "mkr/test" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"message":"bad headers"}}`)
			return
		}
		switch r.URL.Path {
		case "/api/v0/hosts/h1/metadata/ns":
			w.Header().Set("Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT")
			io.WriteString(w, `{"v":[1,2]}`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"error":{"message":"Not found."}}`)
		}
	})
	c, err := client.New(client.Options{BaseURL: "http://mkr.local", APIKey: testKey, UserAgent: "mkr/test", Transport: client.NewInProcessTransport(h)})
	if err != nil {
		t.Fatal(err)
	}
	md, err := c.GetMetadata(context.Background(), client.MetadataTarget{HostID: "h1"}, "ns")
	if err != nil {
		t.Fatal(err)
	}
	if string(md.Value) != `{"v":[1,2]}` || md.LastModified.Unix() != 1704164645 {
		t.Errorf("metadata = %s at %v", md.Value, md.LastModified)
	}
	_, err = c.GetOrg(context.Background())
	if client.StatusCode(err) != 404 || err.Error() != "API request failed: Not found." {
		t.Errorf("GetOrg error = %v", err)
	}
}
