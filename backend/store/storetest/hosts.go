package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

func testCustomIdentifierUniqueness(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	a, err := st.CreateHost(ctx, store.NewHost{Name: "a", Status: "working", CustomIdentifier: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateHost(ctx, store.NewHost{Name: "b", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateHost(ctx, store.NewHost{Name: "c", Status: "working", CustomIdentifier: "ci"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second host with the same customIdentifier: err = %v, want ErrConflict", err)
	}
	ci := "ci"
	if err := st.UpdateHost(ctx, b, store.HostChanges{CustomIdentifier: &ci}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("update to a taken customIdentifier: err = %v, want ErrConflict", err)
	}
	// Re-sending its own identifier is not a conflict.
	if err := st.UpdateHost(ctx, a, store.HostChanges{CustomIdentifier: &ci}); err != nil {
		t.Fatalf("update with its own customIdentifier: %v", err)
	}
	// "" clears it, which frees it for another host.
	empty := ""
	if err := st.UpdateHost(ctx, a, store.HostChanges{CustomIdentifier: &empty}); err != nil {
		t.Fatal(err)
	}
	if h, err := st.GetHost(ctx, a); err != nil || h.CustomIdentifier != "" {
		t.Fatalf("customIdentifier after clearing = %q (err %v)", h.CustomIdentifier, err)
	}
	if err := st.UpdateHost(ctx, b, store.HostChanges{CustomIdentifier: &ci}); err != nil {
		t.Fatalf("taking a freed customIdentifier: %v", err)
	}
	if h, err := st.FindHostByCustomIdentifier(ctx, "ci", false); err != nil || h.ID != b {
		t.Fatalf("FindHostByCustomIdentifier = %v, %v; want host b", h, err)
	}
}

// Every timestamp the store writes comes from Options.Now.
func testInjectedClock(t *testing.T, open Opener) {
	clock := NewClock(time.Date(2030, 1, 2, 3, 4, 5, 999_000_000, time.UTC))
	st := open(t, clock.Now)
	ctx := context.Background()
	start := clock.Now().Unix() // whole seconds: the fraction is dropped

	if got := st.Now(); !got.Equal(clock.Now()) {
		t.Fatalf("Now() = %v, want the injected %v", got, clock.Now())
	}
	id, err := st.CreateHost(ctx, store.NewHost{Name: "h", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	owner := store.MetadataOwner{HostID: id}
	if err := st.PutMetadata(ctx, owner, "ns", []byte(`1`)); err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Hour)
	if err := st.PutMetadata(ctx, owner, "later", []byte(`2`)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if err := engine.New(st).RetireHosts(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}

	h, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.CreatedAt, start; got != want {
		t.Errorf("CreatedAt = %d, want %d", got, want)
	}
	if got, want := h.RetiredAt, start+7200; got != want {
		t.Errorf("RetiredAt = %d, want %d", got, want)
	}
	for ns, want := range map[string]int64{"ns": start, "later": start + 3600} {
		_, updated, err := st.GetMetadata(ctx, owner, ns)
		if err != nil {
			t.Fatal(err)
		}
		if updated != want {
			t.Errorf("metadata %s updated = %d, want %d", ns, updated, want)
		}
	}

	// The retired host's metadata read window runs on the same clock.
	clock.Advance(time.Duration(store.RetiredMetadataReadWindow) * time.Second)
	if _, _, err := st.GetMetadata(ctx, owner, "ns"); err != nil {
		t.Fatalf("read at the end of the window: %v", err)
	}
	clock.Advance(time.Second)
	if _, _, err := st.GetMetadata(ctx, owner, "ns"); !errors.Is(err, store.ErrRetired) {
		t.Fatalf("read after the window: err = %v, want ErrRetired", err)
	}
}

// A host reads back as created, changes field by field, and keeps the
// roles it had when roles are added.
func testHosts(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	id, err := st.CreateHost(ctx, store.NewHost{Name: "web01", DisplayName: "Web", CustomIdentifier: "ci-1", Status: "standby",
		Memo: "m", Meta: []byte(`{"agent-version":"1"}`), Roles: []store.RoleRef{{Service: "web", Role: "app"}}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h.ID != id || h.Name != "web01" || h.DisplayName != "Web" || h.CustomIdentifier != "ci-1" || h.Status != "standby" ||
		h.Memo != "m" || string(h.Meta) != `{"agent-version":"1"}` || string(h.Interfaces) != "[]" || h.IsRetired ||
		h.CreatedAt != clock.Now().Unix() || !reflect.DeepEqual(h.Roles, map[string][]string{"web": {"app"}}) {
		t.Fatalf("GetHost = %+v", h)
	}
	if err := st.HostExists(ctx, id); err != nil {
		t.Fatalf("HostExists: %v", err)
	}
	for name, err := range map[string]error{
		"GetHost":    func() error { _, err := st.GetHost(ctx, "nope"); return err }(),
		"HostExists": st.HostExists(ctx, "nope"),
		"UpdateHost": st.UpdateHost(ctx, "nope", store.HostChanges{}),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of an unknown host: err = %v, want ErrNotFound", name, err)
		}
	}
	name, memo := "web02", ""
	if err := st.UpdateHost(ctx, id, store.HostChanges{Name: &name, Memo: &memo,
		AddRoles: []store.RoleRef{{Service: "web", Role: "cache"}, {Service: "db", Role: "primary"}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetHostStatus(ctx, []string{id}, "maintenance"); err != nil {
		t.Fatal(err)
	}
	h, err = st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "web02" || h.Memo != "" || h.DisplayName != "Web" || h.Status != "maintenance" ||
		!reflect.DeepEqual(h.Roles, map[string][]string{"db": {"primary"}, "web": {"app", "cache"}}) {
		t.Fatalf("after update = %+v", h)
	}
	if err := st.SetHostRoles(ctx, id, []store.RoleRef{{Service: "db", Role: "replica"}}); err != nil {
		t.Fatal(err)
	}
	if h, _ = st.GetHost(ctx, id); !reflect.DeepEqual(h.Roles, map[string][]string{"db": {"replica"}}) {
		t.Fatalf("roles after SetHostRoles = %v", h.Roles)
	}
	// Services and roles named by hosts exist afterwards.
	if svc, err := st.GetService(ctx, "db"); err != nil || !reflect.DeepEqual(svc.Roles, []string{"primary", "replica"}) {
		t.Fatalf("GetService(db) = %+v, %v", svc, err)
	}
	if h, err := st.FindHostByCustomIdentifier(ctx, "CI-1", true); err != nil || h.ID != id {
		t.Fatalf("case-insensitive FindHostByCustomIdentifier = %v, %v", h, err)
	}
	if _, err := st.FindHostByCustomIdentifier(ctx, "CI-1", false); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("case-sensitive FindHostByCustomIdentifier: err = %v, want ErrNotFound", err)
	}
	// A subtest here rather than a row of Run: storetest.go is shared.
	t.Run("StatusChangedAt", func(t *testing.T) { testHostStatusChangedAt(t, open) })
}

// ListHosts returns live hosts in creation order, filtered by every field.
func testHostFilters(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	a := mustHost(t, st, "a", store.RoleRef{Service: "web", Role: "app"})
	b := mustHost(t, st, "b", store.RoleRef{Service: "web", Role: "db"})
	c := mustHost(t, st, "c")
	gone := mustHost(t, st, "gone", store.RoleRef{Service: "web", Role: "app"})
	if err := st.SetHostStatus(ctx, []string{b}, "standby"); err != nil {
		t.Fatal(err)
	}
	ci := "ci-c"
	if err := st.UpdateHost(ctx, c, store.HostChanges{CustomIdentifier: &ci}); err != nil {
		t.Fatal(err)
	}
	if err := engine.New(st).RetireHosts(ctx, []string{gone}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		f    store.HostFilter
		want []string
	}{
		{"all live", store.HostFilter{}, []string{a, b, c}},
		{"service", store.HostFilter{Service: "web"}, []string{a, b}},
		{"service and role", store.HostFilter{Service: "web", Roles: []string{"db"}}, []string{b}},
		{"name", store.HostFilter{Name: "c"}, []string{c}},
		{"statuses", store.HostFilter{Statuses: []string{"working"}}, []string{a, c}},
		{"custom identifier", store.HostFilter{CustomIdentifier: "ci-c"}, []string{c}},
		{"no match", store.HostFilter{Service: "nope"}, []string{}},
		{"ids", store.HostFilter{IDs: []string{c, a, "no-such-host"}}, []string{a, c}},
		{"ids, retired left out", store.HostFilter{IDs: []string{gone, b}}, []string{b}},
		{"ids and status", store.HostFilter{IDs: []string{a, b}, Statuses: []string{"standby"}}, []string{b}},
		{"no ids", store.HostFilter{IDs: []string{}}, []string{}},
	} {
		hosts, err := st.ListHosts(ctx, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := []string{}
		for _, h := range hosts {
			got = append(got, h.ID)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ListHosts = %v, want %v", tt.name, got, tt.want)
		}
		walked := []string{}
		if err := st.EachHost(ctx, tt.f, func(h *store.Host) error { walked = append(walked, h.ID); return nil }); err != nil {
			t.Fatalf("%s: EachHost: %v", tt.name, err)
		}
		if !reflect.DeepEqual(walked, tt.want) {
			t.Errorf("%s: EachHost = %v, want %v", tt.name, walked, tt.want)
		}
	}
	t.Run("EachHost", func(t *testing.T) { testEachHost(t, open) })
	t.Run("EachHostSkipMeta", func(t *testing.T) { testEachHostSkipMeta(t, open) })
	if h, err := st.GetHost(ctx, gone); err != nil || !h.IsRetired || h.RetiredAt == 0 {
		t.Errorf("retired host = %+v, %v", h, err)
	}
}

// Bulk calls are all or nothing: one unknown or retired id changes no host.
func testBulkHostCalls(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	ids := []string{mustHost(t, st, "a"), mustHost(t, st, "b")}
	retired := mustHost(t, st, "r")
	eng := engine.New(st)
	if err := eng.RetireHosts(ctx, []string{retired}); err != nil {
		t.Fatal(err)
	}
	err := st.SetHostStatus(ctx, append(ids, "unknown1", "unknown2"), "poweroff")
	if se, ok := store.IsKind(err, store.KindNotFound); !ok || se.Resource != "host" || !strings.Contains(se.ID, "unknown1, unknown2") {
		t.Fatalf("SetHostStatus with unknown ids: err = %v, want host NotFound naming both", err)
	}
	err = st.SetHostStatus(ctx, append(ids, retired), "poweroff")
	if se, ok := store.IsKind(err, store.KindRetired); !ok || se.ID != retired {
		t.Fatalf("SetHostStatus with a retired id: err = %v, want Retired naming it", err)
	}
	if err := eng.RetireHosts(ctx, append(ids, "unknown1")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RetireHosts with an unknown id: err = %v, want ErrNotFound", err)
	}
	for _, id := range ids {
		if h, err := st.GetHost(ctx, id); err != nil || h.Status != "working" || h.IsRetired {
			t.Fatalf("host after failed bulk calls = %+v, %v", h, err)
		}
	}
	if err := eng.RetireHosts(ctx, append(ids, retired)); err != nil {
		t.Fatal(err)
	}
	if hosts, err := st.ListHosts(ctx, store.HostFilter{}); err != nil || len(hosts) != 0 {
		t.Fatalf("live hosts after retiring all = %d (err %v), want 0", len(hosts), err)
	}
}

// A host's StatusChangedAt is its creation time until its status takes a
// different value; setting the status it already has changes nothing, and
// neither do other updates or retirement.
func testHostStatusChangedAt(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	created := clock.Now().Unix()
	a, err := st.CreateHost(ctx, store.NewHost{Name: "a", Status: "standby"})
	if err != nil {
		t.Fatal(err)
	}
	b := mustHost(t, st, "b")
	changedAt := func(id string) int64 {
		t.Helper()
		h, err := st.GetHost(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return h.StatusChangedAt
	}
	if got := changedAt(a); got != created {
		t.Fatalf("StatusChangedAt of a new host = %d, want its creation %d", got, created)
	}

	clock.Advance(time.Hour)
	// a is already in standby: only b changes.
	if err := st.SetHostStatus(ctx, []string{a, b}, "standby"); err != nil {
		t.Fatal(err)
	}
	if got, want := changedAt(a), created; got != want {
		t.Errorf("after re-sending its status, StatusChangedAt = %d, want unchanged %d", got, want)
	}
	if got, want := changedAt(b), created+3600; got != want {
		t.Errorf("after working → standby, StatusChangedAt = %d, want %d", got, want)
	}

	clock.Advance(time.Hour)
	memo := "m"
	if err := st.UpdateHost(ctx, a, store.HostChanges{Memo: &memo}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetHostStatus(ctx, []string{a}, "maintenance"); err != nil {
		t.Fatal(err)
	}
	if got, want := changedAt(a), created+7200; got != want {
		t.Errorf("after standby → maintenance, StatusChangedAt = %d, want %d", got, want)
	}
	// A refused bulk call changes no host's time.
	clock.Advance(time.Hour)
	if err := st.SetHostStatus(ctx, []string{a, "unknown1"}, "working"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetHostStatus with an unknown id: err = %v, want ErrNotFound", err)
	}
	if got, want := changedAt(a), created+7200; got != want {
		t.Errorf("after a refused SetHostStatus, StatusChangedAt = %d, want %d", got, want)
	}
	// Retiring keeps the status, so it keeps the time.
	if err := engine.New(st).RetireHosts(ctx, []string{b}); err != nil {
		t.Fatal(err)
	}
	if got, want := changedAt(b), created+3600; got != want {
		t.Errorf("after retiring, StatusChangedAt = %d, want %d", got, want)
	}
	// Listings carry it too.
	hosts, err := st.ListHosts(ctx, store.HostFilter{Statuses: []string{"maintenance"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 1 || hosts[0].ID != a || hosts[0].StatusChangedAt != created+7200 {
		t.Fatalf("ListHosts(maintenance) = %+v, want host a changed at %d", hosts, created+7200)
	}
}
