package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/client"
)

func TestRequestHeaders(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/api/v0/org":
			jsonAnswer(200, `{"name":"acme"}`)(w, r, 0)
		case r.URL.Path == "/api/v0/hosts":
			jsonAnswer(200, `{"id":"newHostId"}`)(w, r, 0)
		case strings.HasSuffix(r.URL.Path, "/role-fullnames"):
			jsonAnswer(200, `{"success":true}`)(w, r, 0)
		default:
			jsonAnswer(200, `{"success":true}`)(w, r, 0)
		}
	})
	c, _ := newTestClient(t, srv.URL, nil)
	ctx := context.Background()

	if org, err := c.GetOrg(ctx); err != nil || org.Name != "acme" {
		t.Fatalf("GetOrg = %+v, %v", org, err)
	}
	if id, err := c.CreateHost(ctx, &client.CreateHostParam{Name: "web01"}); err != nil || id != "newHostId" {
		t.Fatalf("CreateHost = %q, %v", id, err)
	}
	if err := c.UpdateHostRoleFullnames(ctx, "h1", nil); err != nil {
		t.Fatal(err)
	}
	md := client.MetadataTarget{HostID: "h1"}
	if err := c.DeleteMetadata(ctx, md, "ns"); err != nil {
		t.Fatal(err)
	}
	if err := c.RetireHost(ctx, "h1"); err != nil {
		t.Fatal(err)
	}

	reqs := srv.requests()
	if len(reqs) != 5 {
		t.Fatalf("server saw %d requests, want 5", len(reqs))
	}
	want := []struct {
		method, path, contentType, body string
	}{
		{"GET", "/api/v0/org", "", ""},
		{"POST", "/api/v0/hosts", "application/json", `{"name":"web01","meta":{},"interfaces":null,"roleFullnames":null,"checks":null}`},
		{"PUT", "/api/v0/hosts/h1/role-fullnames", "application/json", `{"roleFullnames":[]}`},
		{"DELETE", "/api/v0/hosts/h1/metadata/ns", "application/json", ""},
		{"POST", "/api/v0/hosts/h1/retire", "application/json", "null"},
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path {
			t.Errorf("request %d = %s %s, want %s %s", i, r.Method, r.Path, w.method, w.path)
		}
		if got := r.Header.Get("X-Api-Key"); got != testKey {
			t.Errorf("%s %s: X-Api-Key = %q, want the key", r.Method, r.Path, got)
		}
		if got := r.Header.Get("User-Agent"); got != "mkr/9.9.9" {
			t.Errorf("%s %s: User-Agent = %q, want mkr/9.9.9", r.Method, r.Path, got)
		}
		if got := r.Header.Get("Content-Type"); got != w.contentType {
			t.Errorf("%s %s: Content-Type = %q, want %q", r.Method, r.Path, got, w.contentType)
		}
		if r.Body != w.body {
			t.Errorf("%s %s: body = %s, want %s", r.Method, r.Path, r.Body, w.body)
		}
		if got := r.Header.Get("Accept"); got != "" {
			t.Errorf("%s %s: unexpected Accept %q", r.Method, r.Path, got)
		}
	}
}

func TestDefaultUserAgentAndNoKey(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `{"name":"acme"}`))
	c, err := client.New(client.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrg(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if got := r.Header.Get("User-Agent"); got != "mkr" {
		t.Errorf("default User-Agent = %q, want mkr", got)
	}
	if _, ok := r.Header["X-Api-Key"]; ok {
		t.Errorf("X-Api-Key sent without a key: %q", r.Header.Get("X-Api-Key"))
	}
}

func TestNewValidatesBaseURL(t *testing.T) {
	for _, bad := range []string{"ftp://example.com", "example.com", "http://", "://x", "http://exa mple.com/%zz"} {
		if _, err := client.New(client.Options{BaseURL: bad}); err == nil {
			t.Errorf("New(BaseURL %q) succeeded", bad)
		}
	}
	c, err := client.New(client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BaseURL(); got != client.DefaultBaseURL {
		t.Errorf("default BaseURL() = %q, want %q", got, client.DefaultBaseURL)
	}
	c, err = client.New(client.Options{BaseURL: "https://user:pw@proxy.example/mackerel/?x=1#frag"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BaseURL(); got != "https://proxy.example/mackerel" {
		t.Errorf("BaseURL() = %q, want credentials, query and fragment gone", got)
	}
}

func TestBaseURLPathPrefixIsKept(t *testing.T) {
	for _, base := range []string{"/prefix", "/prefix/", "/prefix//"} {
		t.Run(base, func(t *testing.T) {
			srv := newFakeServer(t, jsonAnswer(200, `{"hosts":[]}`))
			c, _ := newTestClient(t, srv.URL+base, nil)
			hosts, err := c.FindHosts(context.Background(), client.FindHostsParam{Statuses: []string{"working", "poweroff"}, Service: "svc"})
			if err != nil {
				t.Fatal(err)
			}
			if hosts == nil || len(hosts) != 0 {
				t.Errorf("FindHosts = %#v, want an empty non-nil slice", hosts)
			}
			r := srv.requests()[0]
			if r.Path != "/prefix/api/v0/hosts" {
				t.Errorf("path = %q, want /prefix/api/v0/hosts", r.Path)
			}
			if r.Query != "service=svc&status=working&status=poweroff" {
				t.Errorf("query = %q", r.Query)
			}
		})
	}
}

func TestPathPrefixAgainstRealBackend(t *testing.T) {
	// The backend serves at its origin root; a reverse proxy mounts it
	// under /mackerel. The client must talk to the prefixed paths.
	st := openStore(t)
	var paths []string
	mux := http.NewServeMux()
	mux.Handle("/mackerel/", http.StripPrefix("/mackerel", backend.New(st, backend.Options{}).Handler()))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		mux.ServeHTTP(w, r)
	})
	c, err := client.New(client.Options{BaseURL: "http://proxy.test/mackerel", APIKey: testKey, Transport: client.NewInProcessTransport(h)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := c.CreateHost(ctx, &client.CreateHostParam{Name: "db01", CustomIdentifier: "mydb001/001"})
	if err != nil {
		t.Fatal(err)
	}
	host, err := c.FindHostByCustomIdentifier(ctx, "mydb001/001", false)
	if err != nil {
		t.Fatal(err)
	}
	if host.ID != id || host.Name != "db01" || host.CustomIdentifier != "mydb001/001" {
		t.Errorf("FindHostByCustomIdentifier = %+v, want host %s db01", host, id)
	}
	want := []string{"/mackerel/api/v0/hosts", "/mackerel/api/v0/hosts-by-custom-identifier/mydb001%2F001"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths = %q, want %q", paths, want)
	}
}

func TestCustomIdentifierEscapedOnTheWire(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `{"host":{"id":"h1","name":"db","customIdentifier":"a/b c?d"}}`))
	c, _ := newTestClient(t, srv.URL+"/pre fix", nil)
	host, err := c.FindHostByCustomIdentifier(context.Background(), "a/b c?d", true)
	if err != nil {
		t.Fatal(err)
	}
	if host.ID != "h1" {
		t.Errorf("host = %+v", host)
	}
	r := srv.requests()[0]
	if want := "/pre%20fix/api/v0/hosts-by-custom-identifier/a%2Fb%20c%3Fd?caseInsensitive=true"; r.EscapedURI != want {
		t.Errorf("request-target = %q, want %q", r.EscapedURI, want)
	}

	// Other path segments are escaped as single segments too.
	if _, err := c.FindHost(context.Background(), "../org"); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.requests()[1].EscapedURI, "/pre%20fix/api/v0/hosts/..%2Forg"; got != want {
		t.Errorf("request-target = %q, want %q", got, want)
	}
}

func TestPerRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, rec := newTestClient(t, srv.URL, func(o *client.Options) {
		o.Timeout = 150 * time.Millisecond
		o.Retry.MaxRetries = 2
	})
	start := time.Now()
	_, err := c.GetOrg(context.Background())
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a deadline exceeded", err)
	}
	// Each of the three attempts gets its own 150ms budget.
	if elapsed < 3*150*time.Millisecond || elapsed > 10*time.Second {
		t.Errorf("took %v for three timed-out attempts of 150ms", elapsed)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("server saw %d attempts, want 3 (a timeout is retried on GET)", n)
	}
	if n := len(rec.recorded()); n != 2 {
		t.Errorf("waited %d times, want 2", n)
	}
}

func TestTimeoutNotRetriedForCreateHost(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, rec := newTestClient(t, srv.URL, func(o *client.Options) { o.Timeout = 100 * time.Millisecond })
	_, err := c.CreateHost(context.Background(), &client.CreateHostParam{Name: "x"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a deadline exceeded", err)
	}
	if n := len(srv.requests()); n != 1 || len(rec.recorded()) != 0 {
		t.Errorf("CreateHost timed out and was retried: %d attempts, waits %v", n, rec.recorded())
	}
}

func TestCancelStopsRequestInFlight(t *testing.T) {
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, rec := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	start := time.Now()
	_, err := c.FindHosts(ctx, client.FindHostsParam{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("cancelled request returned after %v", elapsed)
	}
	if n := len(srv.requests()); n != 1 || len(rec.recorded()) != 0 {
		t.Errorf("a cancelled GET was retried: %d attempts, waits %v", n, rec.recorded())
	}
}

func TestCancelStopsBackoffWait(t *testing.T) {
	arrived := make(chan struct{}, 8)
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Retry-After", "20")
		jsonAnswer(503, `{"error":{"message":"maintenance"}}`)(w, r, 0)
		arrived <- struct{}{}
	})
	// The real sleep: a 20s Retry-After that only cancellation can cut short.
	c, _ := newTestClient(t, srv.URL, func(o *client.Options) { o.Retry.Sleep = nil })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		time.Sleep(200 * time.Millisecond) // let the client read the 503 and start waiting
		cancel()
	}()
	start := time.Now()
	_, err := c.GetOrg(ctx)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("cancel did not cut the 20s backoff short: %v", elapsed)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want it to wrap context.Canceled", err)
	}
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Message != "maintenance" {
		t.Errorf("error = %v, want it to keep the last API error (503 maintenance)", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server saw %d attempts, want 1", n)
	}
}

func TestAlreadyCancelledContext(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `{"name":"acme"}`))
	c, _ := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetOrg(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server saw %d requests for a cancelled context", n)
	}
}

func TestQueryParameters(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `{"hosts":[{"id":"a","name":"n","roles":{"svc":["web"]}}]}`))
	c, _ := newTestClient(t, srv.URL, nil)
	hosts, err := c.FindHosts(context.Background(), client.FindHostsParam{
		Service: "svc", Roles: []string{"web", "db"}, Name: "n", Statuses: []string{"standby"}, CustomIdentifier: "ci/1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 1 || hosts[0].ID != "a" || strings.Join(hosts[0].RoleFullnames(), ",") != "svc:web" {
		t.Errorf("hosts = %+v", hosts)
	}
	got := srv.requests()[0].Query
	if want := "customIdentifier=ci%2F1&name=n&role=web&role=db&service=svc&status=standby"; got != want {
		t.Errorf("query = %q, want %q", got, want)
	}
}

func TestPutMetadataSendsRawValue(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `{"success":true}`))
	c, _ := newTestClient(t, srv.URL, nil)
	value := json.RawMessage(`{"b":1,  "a":[true]}`)
	if err := c.PutMetadata(context.Background(), client.MetadataTarget{Service: "svc", Role: "r/1"}, "ns", value); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Method != "PUT" || r.EscapedURI != "/api/v0/services/svc/roles/r%2F1/metadata/ns" || r.Body != string(value) {
		t.Errorf("request = %s %s %s", r.Method, r.EscapedURI, r.Body)
	}
	if err := c.PutMetadata(context.Background(), client.MetadataTarget{HostID: "h"}, "ns", json.RawMessage(`{bad`)); err == nil {
		t.Error("PutMetadata accepted invalid JSON")
	}
	if _, err := c.ListMetadataNamespaces(context.Background(), client.MetadataTarget{HostID: "h", Service: "s"}); err == nil {
		t.Error("a target with both a host and a service was accepted")
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("invalid calls reached the server: %d requests", n)
	}
}

// A response larger than the client's cap is an error naming the cap, not
// an unbounded read, and it is attempted once: retrying would only fetch
// the same oversize answer again.
func TestResponseSizeCapped(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `{"name":"`+strings.Repeat("x", 1000)+`"}`))
	c, rec := newTestClient(t, srv.URL, func(o *client.Options) { o.MaxResponseBytes = 1000 })
	_, err := c.GetOrg(context.Background())
	var tooLarge *client.ResponseTooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Limit != 1000 ||
		err.Error() != "GET /api/v0/org: the response is larger than the client's limit of 1000 bytes (MaxResponseBytes); not retried" {
		t.Fatalf("GetOrg of a 1,012-byte body with a 1,000-byte cap: %v", err)
	}
	if n := len(srv.requests()); n != 1 || len(rec.recorded()) != 0 {
		t.Errorf("an oversize answer was attempted %d times (waits %v), want once", n, rec.recorded())
	}
}
