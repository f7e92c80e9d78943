package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// HostFilter.SkipMeta lists the same hosts with every other field as
// stored and meta as {}; without it the stored meta is listed. Filters
// apply alike.
func testEachHostSkipMeta(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	meta := []byte(`{"agent-version":"0.87.0","cpu":[{"cores":"4"}]}`)
	ifaces := []byte(`[{"name":"eth0","ipAddress":"10.0.0.1"}]`)
	var ids []string
	for _, name := range []string{"a", "b", "c"} {
		id, err := st.CreateHost(ctx, store.NewHost{Name: name, Status: "working", Memo: "m " + name, Meta: meta,
			Interfaces: ifaces, Roles: []store.RoleRef{{Service: "svc", Role: name}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	walk := func(f store.HostFilter) []*store.Host {
		var hosts []*store.Host
		if err := st.EachHost(ctx, f, func(h *store.Host) error { hosts = append(hosts, h); return nil }); err != nil {
			t.Fatal(err)
		}
		return hosts
	}
	full := walk(store.HostFilter{})
	skipped := walk(store.HostFilter{SkipMeta: true})
	if len(full) != 3 || len(skipped) != 3 {
		t.Fatalf("listed %d hosts with meta and %d without, want 3", len(full), len(skipped))
	}
	for i := range full {
		if string(full[i].Meta) != string(meta) {
			t.Errorf("host %s: meta = %s, want %s", full[i].ID, full[i].Meta, meta)
		}
		if string(skipped[i].Meta) != "{}" {
			t.Errorf("host %s with SkipMeta: meta = %s, want {}", skipped[i].ID, skipped[i].Meta)
		}
		same := *skipped[i]
		same.Meta = full[i].Meta
		if !reflect.DeepEqual(&same, full[i]) {
			t.Errorf("with SkipMeta, host %+v\nwant %+v", skipped[i], full[i])
		}
	}
	filtered := walk(store.HostFilter{Service: "svc", Roles: []string{"b"}, SkipMeta: true})
	if len(filtered) != 1 || filtered[0].ID != ids[1] || string(filtered[0].Meta) != "{}" {
		t.Errorf("SkipMeta with a role filter listed %+v, want host b only", filtered)
	}
}
