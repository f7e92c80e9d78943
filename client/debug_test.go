package client_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// syncBuffer is a bytes.Buffer safe for the client's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const urlPassword = "pa55-DO-NOT-LEAK"

func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{testKey, urlPassword} {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks %q:\n%s", what, secret, s)
		}
	}
}

func TestDebugDumpRedactsSecrets(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Set-Cookie", "session=abc123; HttpOnly")
		w.Header()["x-api-key"] = []string{r.Header.Get("X-Api-Key")} // a server echoing the key
		w.Header().Set("X-Request-Id", "req-42")
		if r.Method == http.MethodPost {
			jsonAnswer(400, `{"error":{"message":"name is required."}}`)(w, r, n)
			return
		}
		jsonAnswer(200, `{"name":"acme"}`)(w, r, n)
	})
	base := strings.Replace(srv.URL, "http://", "http://mkr:"+urlPassword+"@", 1)
	var dump syncBuffer
	c, _ := newTestClient(t, base, func(o *client.Options) { o.Debug = &dump })

	if _, err := c.GetOrg(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateHost(context.Background(), &client.CreateHostParam{Name: ""})
	if client.StatusCode(err) != 400 {
		t.Fatalf("CreateHost error = %v, want 400", err)
	}
	// The far end did get the credentials: redaction is only in the dump.
	if got := srv.requests()[0].Header.Get("X-Api-Key"); got != testKey {
		t.Fatalf("server got X-Api-Key %q", got)
	}
	if user, pass, ok := (&http.Request{Header: srv.requests()[0].Header}).BasicAuth(); !ok || user != "mkr" || pass != urlPassword {
		t.Errorf("URL user-info not sent as basic auth: %q %q %v", user, pass, ok)
	}

	out := dump.String()
	assertNoSecret(t, "debug dump", out)
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, want := range []string{
		"> GET http://[REDACTED]@" + host + "/api/v0/org\n",
		"> X-Api-Key: [REDACTED]\n",
		"> User-Agent: mkr/9.9.9\n",
		"< 200 OK\n",
		"< Set-Cookie: [REDACTED]\n",
		"< X-Api-Key: [REDACTED]\n",
		"< X-Request-Id: req-42\n",
		"<\n{\"name\":\"acme\"}\n",
		"> POST http://[REDACTED]@" + host + "/api/v0/hosts\n",
		"> Content-Type: application/json\n",
		">\n{\"name\":\"\",\"meta\":{},\"interfaces\":null,\"roleFullnames\":null,\"checks\":null}\n",
		"< 400 Bad Request\n",
		"{\"error\":{\"message\":\"name is required.\"}}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "abc123") {
		t.Errorf("dump shows the cookie value:\n%s", out)
	}
}

func TestDebugDumpTruncatesLargeBodies(t *testing.T) {
	big := `{"name":"` + strings.Repeat("x", 10000) + `"}`
	srv := newFakeServer(t, jsonAnswer(200, big))
	var dump syncBuffer
	c, _ := newTestClient(t, srv.URL, func(o *client.Options) { o.Debug = &dump })
	org, err := c.GetOrg(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(org.Name) != 10000 {
		t.Errorf("the client itself saw a truncated body: %d bytes", len(org.Name))
	}
	out := dump.String()
	if !strings.Contains(out, "… (10011 bytes)") {
		t.Errorf("dump does not mark the truncation:\n%.200s", out)
	}
	if len(out) > 6000 {
		t.Errorf("dump is %d bytes for a 10 KB body", len(out))
	}
}

func TestNoDumpWithoutDebug(t *testing.T) {
	// Debug nil must not panic and must not write anywhere; the request still works.
	srv := newFakeServer(t, jsonAnswer(200, `{"name":"acme"}`))
	c, _ := newTestClient(t, srv.URL, func(o *client.Options) { o.Debug = nil })
	if org, err := c.GetOrg(context.Background()); err != nil || org.Name != "acme" {
		t.Fatalf("GetOrg = %+v, %v", org, err)
	}
}

func TestErrorStringsDoNotLeakSecrets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := ln.Addr().String()
	ln.Close()

	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	slow := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	failing := newFakeServer(t, jsonAnswer(401, `{"error":{"message":"Authentication failed. Please try with valid Api Key."}}`))
	withCreds := func(u string) string { return strings.Replace(u, "http://", "http://mkr:"+urlPassword+"@", 1) }

	var errs []error
	// Connection refused, after retries.
	c, _ := newTestClient(t, withCreds("http://"+closedAddr), nil)
	_, err = c.GetOrg(context.Background())
	errs = append(errs, err)
	// Per-request timeout.
	c, _ = newTestClient(t, withCreds(slow.URL), func(o *client.Options) {
		o.Timeout = 50 * time.Millisecond
		o.Retry.MaxRetries = -1
	})
	_, err = c.FindHosts(context.Background(), client.FindHostsParam{})
	errs = append(errs, err)
	// API error.
	c, _ = newTestClient(t, withCreds(failing.URL), nil)
	_, err = c.CreateHost(context.Background(), &client.CreateHostParam{Name: "x"})
	errs = append(errs, err)
	// Cancellation during a request.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	c, _ = newTestClient(t, withCreds(slow.URL), nil)
	_, err = c.FindHost(ctx, "h1")
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		assertNoSecret(t, "error string", err.Error())
	}
	if !errors.Is(errs[1], context.DeadlineExceeded) || client.StatusCode(errs[2]) != 401 || !errors.Is(errs[3], context.DeadlineExceeded) {
		t.Errorf("unexpected errors: %v", errs)
	}

	// Invalid base URLs carrying credentials: the error must name the URL
	// without them.
	for _, base := range []string{
		"ftp://mkr:" + urlPassword + "@example.com",
		"http://mkr:" + urlPassword + "@exa mple.com/",
		"http://mkr:" + urlPassword + "@example.com/%zz",
		"http://apikey:" + testKey + "@example.com:port/",
	} {
		_, err := client.New(client.Options{BaseURL: base, APIKey: testKey})
		if err == nil {
			t.Errorf("New(%q) succeeded", base)
			continue
		}
		assertNoSecret(t, "New error", err.Error())
		if !strings.Contains(err.Error(), "invalid API base URL") {
			t.Errorf("New error %q does not say what is wrong", err)
		}
	}
}
