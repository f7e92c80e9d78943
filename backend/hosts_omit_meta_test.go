package backend_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// GET /hosts with X-Mkr-Omit-Meta answers the same bytes as without it,
// but for "meta":{} in every host; filters apply alike. mkr's own client
// sends it when it prints no meta; no other client does.
func TestListHostsOmitMeta(t *testing.T) {
	e := backendtest.New(t)
	meta := `{"agent-version":"0.87.0","cpu":[{"model_name":"Xeon <E5> & co","cores":"4"}]}`
	for _, name := range []string{"web", "db"} {
		e.MustCreateHost(t, store.NewHost{Name: name, Status: "working", Meta: []byte(meta),
			Interfaces: []byte(`[{"name":"eth0","ipAddress":"10.0.0.1"}]`),
			Roles:      []store.RoleRef{{Service: "svc", Role: name}}})
	}
	list := func(target string, omit bool) []byte {
		t.Helper()
		req := httptest.NewRequest("GET", target, nil)
		if omit {
			req.Header.Set(client.HeaderOmitMeta, "1")
		}
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	anyMeta := regexp.MustCompile(`"meta":\{("[^{}]*"|[^{}]|\{[^{}]*\}|\[[^\]]*\])*\}`)
	for _, target := range []string{"/api/v0/hosts", "/api/v0/hosts?service=svc&role=db"} {
		full, omitted := list(target, false), list(target, true)
		if bytes.Equal(full, omitted) || !bytes.Contains(full, []byte(`"agent-version"`)) {
			t.Fatalf("GET %s with and without %s: both\n%s", target, client.HeaderOmitMeta, full)
		}
		if bytes.Contains(omitted, []byte("agent-version")) {
			t.Errorf("GET %s with %s still sends meta:\n%s", target, client.HeaderOmitMeta, omitted)
		}
		if got, want := anyMeta.ReplaceAll(omitted, []byte(`"meta":{}`)), anyMeta.ReplaceAll(full, []byte(`"meta":{}`)); !bytes.Equal(got, want) {
			t.Errorf("GET %s: with %s\n%s\nwant, meta aside, the same as without\n%s", target, client.HeaderOmitMeta, got, want)
		}
	}
}

// The client's WithoutMeta lists the same hosts with every field but
// Meta, from mkr's backend (which leaves meta out) as from a server that
// sends it anyway (the hosted API), in process and over HTTP.
func TestFindHostsWithoutMeta(t *testing.T) {
	e := backendtest.New(t)
	ctx := context.Background()
	e.MustCreateHost(t, store.NewHost{Name: "web", Status: "working", Memo: "m",
		Meta:       []byte(`{"agent-version":"0.87.0","kernel":{"name":"Linux"}}`),
		Interfaces: []byte(`[{"name":"eth0","ipAddress":"10.0.0.1"}]`),
		Roles:      []store.RoleRef{{Service: "svc", Role: "web"}}})
	// A server that ignores the header, as the hosted API does.
	ignoring := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del(client.HeaderOmitMeta)
		e.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(ignoring.Close)
	sawHeader := false
	honouring := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawHeader = sawHeader || r.Header.Get(client.HeaderOmitMeta) != ""
		e.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(honouring.Close)
	full, err := e.Client.FindHosts(ctx, client.FindHostsParam{})
	if err != nil || len(full) != 1 || full[0].Meta.AgentVersion != "0.87.0" {
		t.Fatalf("FindHosts = %+v, %v", full, err)
	}
	for _, tt := range []struct {
		name string
		base string
	}{{"in process", ""}, {"header ignored", ignoring.URL}, {"header honoured", honouring.URL}} {
		c := e.Client
		if tt.base != "" {
			if c, err = client.New(client.Options{BaseURL: tt.base, Transport: &http.Transport{}}); err != nil {
				t.Fatal(err)
			}
		}
		hosts, err := c.FindHosts(ctx, client.FindHostsParam{WithoutMeta: true})
		if err != nil || len(hosts) != 1 {
			t.Fatalf("%s: FindHosts WithoutMeta = %+v, %v", tt.name, hosts, err)
		}
		want := *full[0]
		want.Meta = client.HostMeta{}
		if !reflect.DeepEqual(hosts[0], &want) {
			t.Errorf("%s: FindHosts WithoutMeta = %+v, want %+v", tt.name, hosts[0], &want)
		}
	}
	if !sawHeader {
		t.Errorf("the client did not send %s", client.HeaderOmitMeta)
	}
}
