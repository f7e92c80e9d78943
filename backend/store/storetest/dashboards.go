package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

func dashboardRow(id, urlPath, title string) *store.Dashboard {
	return &store.Dashboard{ID: id, URLPath: urlPath,
		Body: fmt.Appendf(nil, `{"id":%q,"title":%q,"urlPath":%q}`, id, title, urlPath)}
}

// Dashboards: bodies kept verbatim in creation order; a urlPath belongs to
// one dashboard (on create and on update, where keeping its own is fine)
// and a refused write changes nothing; deletion answers the row as it was
// and frees its urlPath.
func testDashboards(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()

	if list, err := st.ListDashboards(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListDashboards of an empty store = %v, %v; want an empty, non-nil list", list, err)
	}
	a, b := dashboardRow(store.NewID(), "ops/web", "web"), dashboardRow(store.NewID(), "db", "db")
	for _, d := range []*store.Dashboard{a, b} {
		if err := st.CreateDashboard(ctx, d); err != nil {
			t.Fatalf("CreateDashboard %s: %v", d.URLPath, err)
		}
	}
	dup := dashboardRow(store.NewID(), "ops/web", "copy")
	if err := st.CreateDashboard(ctx, dup); !isKind(err, store.KindConflict) {
		t.Fatalf("CreateDashboard with a urlPath in use = %v; want KindConflict", err)
	}
	if err := st.CreateDashboard(ctx, dashboardRow(a.ID, "other", "same id")); !isKind(err, store.KindConflict) {
		t.Fatalf("CreateDashboard with an id in use = %v; want KindConflict", err)
	}
	wantDashboards(t, st, a, b)

	got, err := st.GetDashboard(ctx, a.ID)
	if err != nil || string(got.Body) != string(a.Body) || got.URLPath != a.URLPath {
		t.Fatalf("GetDashboard = %+v, %v; want %+v", got, err, a)
	}
	if _, err := st.GetDashboard(ctx, "nope"); !isKind(err, store.KindNotFound) {
		t.Fatalf("GetDashboard of an unknown id = %v; want KindNotFound", err)
	}

	// Keeping its own urlPath is no conflict; taking another's is.
	a2 := dashboardRow(a.ID, "ops/web", "web, renamed")
	if err := st.UpdateDashboard(ctx, a2); err != nil {
		t.Fatalf("UpdateDashboard keeping its urlPath: %v", err)
	}
	if err := st.UpdateDashboard(ctx, dashboardRow(b.ID, "ops/web", "db")); !isKind(err, store.KindConflict) {
		t.Fatalf("UpdateDashboard to another's urlPath = %v; want KindConflict", err)
	}
	if err := st.UpdateDashboard(ctx, dashboardRow("nope", "x", "x")); !isKind(err, store.KindNotFound) {
		t.Fatalf("UpdateDashboard of an unknown id = %v; want KindNotFound", err)
	}
	wantDashboards(t, st, a2, b)

	gone, err := st.DeleteDashboard(ctx, a.ID)
	if err != nil || string(gone.Body) != string(a2.Body) {
		t.Fatalf("DeleteDashboard = %+v, %v; want %+v", gone, err, a2)
	}
	if _, err := st.DeleteDashboard(ctx, a.ID); !isKind(err, store.KindNotFound) {
		t.Fatalf("second DeleteDashboard = %v; want KindNotFound", err)
	}
	c := dashboardRow(store.NewID(), "ops/web", "reuses the freed urlPath")
	if err := st.CreateDashboard(ctx, c); err != nil {
		t.Fatalf("CreateDashboard with a freed urlPath: %v", err)
	}
	wantDashboards(t, st, b, c)
}

func wantDashboards(t *testing.T, st store.Store, want ...*store.Dashboard) {
	t.Helper()
	list, err := st.ListDashboards(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(want) {
		t.Fatalf("ListDashboards = %d dashboards; want %d", len(list), len(want))
	}
	for i, d := range list {
		if d.ID != want[i].ID || d.URLPath != want[i].URLPath || string(d.Body) != string(want[i].Body) {
			t.Errorf("ListDashboards[%d] = %+v; want %+v", i, d, want[i])
		}
	}
}

func isKind(err error, k store.Kind) bool {
	_, ok := store.IsKind(err, k)
	return ok
}
