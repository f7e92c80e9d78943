package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// testDeliveries covers the delivery rows of package notify: routing moves
// the cursor compare-and-set with its deliveries, claims exclude each
// other until they expire, skipped channels are neither claimed nor due,
// and an attempt's outcome is recorded only by the claim's owner.
func testDeliveries(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	now := clock.Now().Unix()

	var seqs []int64
	err := st.InTx(ctx, func(tx store.Tx) error {
		for _, status := range []string{"CRITICAL", "OK"} {
			e := &store.AlertEvent{AlertID: "a1", MonitorID: "m1", Status: status, Trigger: "monitoring", CreatedAt: now, Notify: true}
			if err := tx.AddAlertEvent(ctx, e); err != nil {
				return err
			}
			seqs = append(seqs, e.Seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := st.RoutingCursor(ctx); err != nil || c != 0 {
		t.Fatalf("RoutingCursor of a new store = %d, %v", c, err)
	}
	if _, ok, err := st.NextDeliveryAt(ctx, nil); err != nil || ok {
		t.Fatalf("NextDeliveryAt with nothing pending = %v, %v", ok, err)
	}
	ds := []*store.Delivery{
		{EventSeq: seqs[0], ChannelID: "c1", NextAt: now},
		{EventSeq: seqs[0], ChannelID: "c2", NextAt: now},
		{EventSeq: seqs[1], ChannelID: "c1", NextAt: now + 10},
	}
	if err := st.RouteEvents(ctx, 0, seqs[1], ds); err != nil {
		t.Fatal(err)
	}
	if ds[0].ID == "" || ds[0].ID == ds[1].ID || ds[0].Status != store.DeliveryPending {
		t.Fatalf("RouteEvents left %+v, %+v", ds[0], ds[1])
	}
	// A second dispatcher that read the same cursor routes nothing.
	err = st.RouteEvents(ctx, 0, seqs[1], []*store.Delivery{{EventSeq: seqs[0], ChannelID: "c3", NextAt: now}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("RouteEvents from a stale cursor = %v, want a conflict", err)
	}
	if c, err := st.RoutingCursor(ctx); err != nil || c != seqs[1] {
		t.Fatalf("RoutingCursor = %d, %v; want %d", c, err, seqs[1])
	}
	if all, err := st.ListDeliveries(ctx, 10); err != nil || len(all) != 3 {
		t.Fatalf("ListDeliveries = %d rows, %v; want 3 (the stale routing stored nothing)", len(all), err)
	}

	if at, ok, err := st.NextDeliveryAt(ctx, []string{"c1"}); err != nil || !ok || at != now {
		t.Fatalf("NextDeliveryAt(skip c1) = %d, %v, %v", at, ok, err)
	}
	// Claims: c2 skipped, the not-yet-due one left; the claim excludes B.
	got, err := st.ClaimDeliveries(ctx, "A", now, now+30, []string{"c2"}, 10)
	if err != nil || len(got) != 1 || got[0].ID != ds[0].ID || got[0].Event == nil || got[0].Event.Status != "CRITICAL" {
		t.Fatalf("ClaimDeliveries(A) = %+v, %v; want only %s with its event", got, err, ds[0].ID)
	}
	if got, err := st.ClaimDeliveries(ctx, "B", now, now+30, nil, 10); err != nil || len(got) != 1 || got[0].ID != ds[1].ID {
		t.Fatalf("ClaimDeliveries(B) = %+v, %v; want only %s (A holds the other)", got, err, ds[1].ID)
	}
	if at, ok, _ := st.NextDeliveryAt(ctx, nil); !ok || at != now+10 {
		t.Fatalf("NextDeliveryAt with two claimed = %d, %v; want %d", at, ok, now+10)
	}
	// B cannot finish A's delivery; A retries it.
	if err := st.FinishDelivery(ctx, ds[0].ID, "B", store.DeliverySent, now, now, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("FinishDelivery by a non-owner = %v, want a conflict", err)
	}
	if err := st.FinishDelivery(ctx, ds[0].ID, "A", store.DeliveryPending, now, now+60, "500 Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishDelivery(ctx, ds[1].ID, "B", store.DeliverySent, now+1, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishDelivery(ctx, ds[1].ID, "B", store.DeliverySent, now+1, 0, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("finishing a delivery twice = %v, want a conflict", err)
	}
	all, err := st.ListDeliveries(ctx, 10)
	if err != nil || len(all) != 3 {
		t.Fatal(err)
	}
	if d := all[0]; d.Status != store.DeliveryPending || d.Attempts != 1 || d.NextAt != now+60 || d.LastError != "500 Internal Server Error" {
		t.Fatalf("retried delivery = %+v", d)
	}
	if d := all[1]; d.Status != store.DeliverySent || d.SentAt != now+1 || d.Attempts != 0 {
		t.Fatalf("sent delivery = %+v", d)
	}

	// An expired claim can be taken over; its old owner then records nothing.
	clock.Advance(60e9)
	later := clock.Now().Unix()
	if got, err := st.ClaimDeliveries(ctx, "A", later, later+5, nil, 1); err != nil || len(got) != 1 || got[0].ID != ds[0].ID {
		t.Fatalf("ClaimDeliveries after the retry time = %+v, %v", got, err)
	}
	if got, err := st.ClaimDeliveries(ctx, "B", later+6, later+30, nil, 10); err != nil || len(got) != 2 {
		t.Fatalf("ClaimDeliveries after A's claim expired = %d, %v; want 2", len(got), err)
	}
	if err := st.FinishDelivery(ctx, ds[0].ID, "A", store.DeliverySent, later, 0, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("FinishDelivery by an expired owner = %v, want a conflict", err)
	}
	if err := st.FinishDelivery(ctx, ds[0].ID, "B", store.DeliveryFailed, later, 0, "timeout"); err != nil {
		t.Fatal(err)
	}
	if all, _ := st.ListDeliveries(ctx, 1); all[0].Status != store.DeliveryFailed || all[0].Attempts != 2 {
		t.Fatalf("failed delivery = %+v", all[0])
	}
}
