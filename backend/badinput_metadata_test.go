package backend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

const maxMetadata = 100 * 1024

// jsonString returns a JSON string literal of exactly n bytes.
func jsonString(n int) string { return `"` + strings.Repeat("x", n-2) + `"` }

func TestBadMetadata(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	owners := map[string]string{
		"host":    "/api/v0/hosts/" + f.live + "/metadata",
		"service": "/api/v0/services/web/metadata",
		"role":    "/api/v0/services/web/roles/app/metadata",
	}
	var cases []badCase
	for kind, base := range owners {
		cases = append(cases, []badCase{
			{kind + " one byte too large", "PUT", base + "/big", jsonString(maxMetadata + 1), 413, "Metadata must be at most 102400 bytes."},
			{kind + " far too large", "PUT", base + "/big", jsonString(3 * maxMetadata), 413, "Metadata must be at most 102400 bytes."},
			{kind + " overwrite too large", "PUT", base + "/ns", jsonString(maxMetadata + 1), 413, "Metadata must be at most 102400 bytes."},
			{kind + " reserved namespace", "PUT", base + "/mackerel", `{}`, 400, `Namespaces beginning with "mackerel" are reserved.`},
			{kind + " reserved prefix", "PUT", base + "/mackerel-agent", `{}`, 400, `Namespaces beginning with "mackerel" are reserved.`},
			{kind + " invalid namespace", "PUT", base + "/a.b", `{}`, 400, `Invalid namespace "a.b": use A-Z a-z 0-9 _ -.`},
			{kind + " invalid namespace on get", "GET", base + "/a.b", ``, 400, `Invalid namespace "a.b": use A-Z a-z 0-9 _ -.`},
			{kind + " invalid namespace on delete", "DELETE", base + "/a%20b", ``, 400, `Invalid namespace "a b": use A-Z a-z 0-9 _ -.`},
			{kind + " malformed value", "PUT", base + "/ns2", `{"a":`, 400, "Metadata must be a JSON value."},
			{kind + " two values", "PUT", base + "/ns2", `1 2`, 400, "Metadata must be a JSON value."},
			{kind + " empty value", "PUT", base + "/ns2", ``, 400, "Metadata must be a JSON value."},
			{kind + " unknown namespace", "GET", base + "/nope", ``, 404, "Metadata not found."},
			{kind + " delete unknown namespace", "DELETE", base + "/nope", ``, 404, "Metadata not found."},
		}...)
	}
	cases = append(cases, []badCase{
		{"retired host put", "PUT", "/api/v0/hosts/" + f.retired + "/metadata/ns", `{}`, 400, "Host is retired: " + f.retired},
		{"retired host new namespace", "PUT", "/api/v0/hosts/" + f.retired + "/metadata/ns2", `{}`, 400, "Host is retired: " + f.retired},
		{"retired host delete", "DELETE", "/api/v0/hosts/" + f.retired + "/metadata/ns", ``, 400, "Host is retired: " + f.retired},
		{"unknown host put", "PUT", "/api/v0/hosts/unknownHost/metadata/ns", `{}`, 404, "Metadata not found."},
		{"unknown service put", "PUT", "/api/v0/services/nope/metadata/ns", `{}`, 404, "Metadata not found."},
		{"unknown role put", "PUT", "/api/v0/services/web/roles/nope/metadata/ns", `{}`, 404, "Metadata not found."},
	}...)
	runBad(t, f, cases)
}

// A value of exactly 100 KB is accepted and stored byte for byte.
func TestMetadataSizeLimitIsInclusive(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	id := env.MustCreateHost(t, store.NewHost{Name: "h"})
	value := jsonString(maxMetadata)
	resp := serve(t, env.Handler, "PUT", "/api/v0/hosts/"+id+"/metadata/big", value)
	if resp.status != 200 {
		t.Fatalf("PUT 100 KB = %d %s, want 200", resp.status, resp.body)
	}
	resp = serve(t, env.Handler, "GET", "/api/v0/hosts/"+id+"/metadata/big", "")
	if resp.status != 200 || string(resp.body) != value {
		t.Fatalf("GET 100 KB = %d, %d bytes; want 200 and the value as stored", resp.status, len(resp.body))
	}
	if got, want := resp.header.Get("Last-Modified"), "Mon, 06 May 2024 07:08:09 GMT"; got != want {
		t.Fatalf("Last-Modified = %q, want %q", got, want)
	}
}

func TestMetadataQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind  string
		quota int
	}{
		{"host", 50},
		{"service", 50},
		{"role", 10},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			f := newFixture(t, backend.Options{})
			base := map[string]string{
				"host":    "/api/v0/hosts/" + f.other + "/metadata",
				"service": "/api/v0/services/web/metadata",
				"role":    "/api/v0/services/web/roles/app/metadata",
			}[tt.kind]
			// The fixture already gave services and roles one namespace, "ns".
			have := 1
			if tt.kind == "host" {
				have = 0
			}
			for i := have; i < tt.quota; i++ {
				if resp := serve(t, f.env.Handler, "PUT", fmt.Sprintf("%s/ns%02d", base, i), `1`); resp.status != 200 {
					t.Fatalf("namespace %d of %d: %d %s", i+1, tt.quota, resp.status, resp.body)
				}
			}
			runBad(t, f, []badCase{{
				"one over the quota", "PUT", base + "/onemore", `1`, 400,
				fmt.Sprintf("a %s can have at most %d metadata namespaces", tt.kind, tt.quota),
			}})
			// At the quota, existing namespaces can still be overwritten.
			if resp := serve(t, f.env.Handler, "PUT", base+"/ns05", `2`); resp.status != 200 {
				t.Fatalf("overwriting at the quota: %d %s", resp.status, resp.body)
			}
			var list struct {
				Metadata []map[string]string `json:"metadata"`
			}
			mustDecode(t, serve(t, f.env.Handler, "GET", base, ""), &list)
			if got := len(list.Metadata); got != tt.quota {
				t.Fatalf("namespaces = %d, want %d", got, tt.quota)
			}
		})
	}
}

// A retired host's metadata stays readable for a week, then reads are 400.
func TestRetiredHostMetadataReadWindow(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	ctx := context.Background()
	id := env.MustCreateHost(t, store.NewHost{Name: "h"})
	if err := env.Store.PutMetadata(ctx, store.MetadataOwner{HostID: id}, "ns", []byte(`"v"`)); err != nil {
		t.Fatal(err)
	}
	if err := env.Engine.RetireHosts(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}
	get := "/api/v0/hosts/" + id + "/metadata/ns"
	list := "/api/v0/hosts/" + id + "/metadata"

	env.Clock.Advance(7 * 24 * time.Hour)
	if resp := serve(t, env.Handler, "GET", get, ""); resp.status != 200 || string(resp.body) != `"v"` {
		t.Fatalf("GET a week after retirement = %d %s, want 200 \"v\"", resp.status, resp.body)
	}
	if resp := serve(t, env.Handler, "GET", list, ""); resp.status != 200 || string(resp.body) != `{"metadata":[{"namespace":"ns"}]}` {
		t.Fatalf("list a week after retirement = %d %s", resp.status, resp.body)
	}
	env.Clock.Advance(time.Second)
	wantError(t, serve(t, env.Handler, "GET", get, ""), 400, "Host is retired: "+id)
	wantError(t, serve(t, env.Handler, "GET", list, ""), 400, "Host is retired: "+id)
}
