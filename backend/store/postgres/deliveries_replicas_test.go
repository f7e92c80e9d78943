package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// Two replicas (two stores on one database) claiming deliveries at the
// same time take every due delivery exactly once between them: FOR UPDATE
// SKIP LOCKED hands each row to one claimer, and a row the other has just
// leased is left out.
func TestReplicasClaimEachDeliveryOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	clock := storetest.NewClock(storetest.Epoch)
	replicas := []store.Store{openStore(t, dsn, clock.Now), openStore(t, dsn, clock.Now)}
	ctx := context.Background()
	now := clock.Now().Unix()

	const events, channels = 40, 5
	var seq int64
	err := replicas[0].InTx(ctx, func(tx store.Tx) error {
		for i := range events {
			e := &store.AlertEvent{AlertID: fmt.Sprint("a", i), MonitorID: "m", Status: "CRITICAL", Trigger: "monitoring", CreatedAt: now, Notify: true}
			if err := tx.AddAlertEvent(ctx, e); err != nil {
				return err
			}
			seq = e.Seq
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ds []*store.Delivery
	for s := int64(1); s <= seq; s++ {
		for c := range channels {
			ds = append(ds, &store.Delivery{EventSeq: s, ChannelID: fmt.Sprint("c", c), NextAt: now})
		}
	}
	if err := replicas[1].RouteEvents(ctx, 0, seq, ds); err != nil {
		t.Fatal(err)
	}

	claimed := make([]map[string]int, len(replicas))
	errs := make([]error, len(replicas))
	var wg sync.WaitGroup
	for r, st := range replicas {
		claimed[r] = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Small batches, so that the two claimers interleave.
			for {
				got, err := st.ClaimDeliveries(ctx, fmt.Sprint("replica-", r), now, now+300, nil, 3)
				if err != nil {
					errs[r] = err
					return
				}
				if len(got) == 0 {
					return
				}
				for _, d := range got {
					claimed[r][d.ID]++
				}
			}
		}()
	}
	wg.Wait()
	for r, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: ClaimDeliveries: %v", r, err)
		}
	}
	total := 0
	for _, d := range ds {
		n := claimed[0][d.ID] + claimed[1][d.ID]
		if n != 1 {
			t.Errorf("delivery %s (event %d, %s) claimed %d times (replica 0: %d, replica 1: %d); want once",
				d.ID, d.EventSeq, d.ChannelID, n, claimed[0][d.ID], claimed[1][d.ID])
		}
		total += n
	}
	if total != len(ds) {
		t.Errorf("%d claims for %d deliveries", total, len(ds))
	}
	t.Logf("replica 0 claimed %d, replica 1 claimed %d of %d deliveries", len(claimed[0]), len(claimed[1]), len(ds))
}
