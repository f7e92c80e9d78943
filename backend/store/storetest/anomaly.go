package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// AnomalyModels: one model per (monitor, scope), bodies kept verbatim,
// listed by scope; a put replaces the model of its scope unless the
// stored one was trained later; a put for an unknown monitor is
// KindNotFound and stores nothing; DeleteAnomalyModels keeps the scopes
// asked for; deleting the monitor deletes its models, and another
// monitor's stay.
func testAnomalyModels(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	m := mustMonitor(t, st, "anomalyDetection", "roles")
	other := mustMonitor(t, st, "anomalyDetection", "other")

	if list, err := st.AnomalyModels(ctx, m.ID); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("AnomalyModels before any = %v, %v; want an empty, non-nil list", list, err)
	}
	web := &store.AnomalyModel{MonitorID: m.ID, Scope: "shop: web", Status: store.AnomalyTrained, TrainedAt: 100,
		From: 10, To: 90, Samples: 1234, Components: 3, Key: "k1", Body: []byte(`{"any":"bytes \u00e9"}`)}
	db := &store.AnomalyModel{MonitorID: m.ID, Scope: "shop: db", Status: store.AnomalyTooFew,
		Message: "too few samples", TrainedAt: 100, From: 10, To: 90, Samples: 12, Key: "k1"}
	for _, x := range []*store.AnomalyModel{web, db} {
		if ok, err := st.PutAnomalyModel(ctx, x); err != nil || !ok {
			t.Fatalf("PutAnomalyModel %s = %v, %v", x.Scope, ok, err)
		}
	}
	if ok, err := st.PutAnomalyModel(ctx, &store.AnomalyModel{MonitorID: other.ID, Scope: "shop: web",
		Status: store.AnomalyTrained, TrainedAt: 1, Body: []byte("o")}); err != nil || !ok {
		t.Fatalf("PutAnomalyModel of another monitor = %v, %v", ok, err)
	}
	dbWant := *db
	assertModels(t, st, m.ID, []*store.AnomalyModel{&dbWant, web})

	// An older training never replaces a newer one; a newer one does.
	stale := *web
	stale.TrainedAt, stale.Samples = 99, 1
	if ok, err := st.PutAnomalyModel(ctx, &stale); err != nil || ok {
		t.Fatalf("PutAnomalyModel of an older model = %v, %v; want false, nil", ok, err)
	}
	assertModels(t, st, m.ID, []*store.AnomalyModel{&dbWant, web})
	newer := *web
	newer.TrainedAt, newer.Samples, newer.Components, newer.Body = 200, 5000, 4, []byte("new")
	if ok, err := st.PutAnomalyModel(ctx, &newer); err != nil || !ok {
		t.Fatalf("PutAnomalyModel of a newer model = %v, %v", ok, err)
	}
	assertModels(t, st, m.ID, []*store.AnomalyModel{&dbWant, &newer})

	// An unknown monitor.
	if _, err := st.PutAnomalyModel(ctx, &store.AnomalyModel{MonitorID: "nope", Scope: "a: b", TrainedAt: 1}); !isKind(err, store.KindNotFound) {
		t.Errorf("PutAnomalyModel of an unknown monitor: %v; want KindNotFound", err)
	}
	if list, _ := st.AnomalyModels(ctx, "nope"); len(list) != 0 {
		t.Errorf("an unknown monitor has models: %v", list)
	}

	// Keep the scopes still in the definition.
	if err := st.DeleteAnomalyModels(ctx, m.ID, []string{"shop: web", "shop: gone"}); err != nil {
		t.Fatal(err)
	}
	assertModels(t, st, m.ID, []*store.AnomalyModel{&newer})

	// Deleting the monitor takes its models, not another's.
	if err := st.InTx(ctx, func(tx store.Tx) error { _, err := tx.DeleteMonitor(ctx, m.ID); return err }); err != nil {
		t.Fatal(err)
	}
	assertModels(t, st, m.ID, []*store.AnomalyModel{})
	if list, _ := st.AnomalyModels(ctx, other.ID); len(list) != 1 {
		t.Errorf("the other monitor's models: %d, want 1", len(list))
	}
	if err := st.DeleteAnomalyModels(ctx, other.ID, nil); err != nil {
		t.Fatal(err)
	}
	assertModels(t, st, other.ID, []*store.AnomalyModel{})
}

func assertModels(t *testing.T, st store.Store, monitorID string, want []*store.AnomalyModel) {
	t.Helper()
	got, err := st.AnomalyModels(context.Background(), monitorID)
	if err != nil {
		t.Fatal(err)
	}
	// An empty body may come back nil or empty: the same bytes.
	for _, list := range [][]*store.AnomalyModel{got, want} {
		for _, m := range list {
			if len(m.Body) == 0 {
				m.Body = nil
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AnomalyModels:\n got %s\nwant %s", describeModels(got), describeModels(want))
	}
}

func describeModels(list []*store.AnomalyModel) string {
	s := ""
	for _, m := range list {
		c := *m
		body := string(c.Body)
		c.Body = nil
		s += fmt.Sprintf("\n  %+v body %q", c, body)
	}
	return s
}
