package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// A service deleted while another replica's post makes a new series of
// it: the post commits after the deleting transaction took its snapshot
// (which therefore does not see the new series) and before it deletes the
// service. The delete must not leave that series behind, an orphan no
// read finds and no later delete removes.
func TestDeleteServiceDuringIngest(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	clock := storetest.NewClock(storetest.Epoch)
	st := openStore(t, dsn, clock.Now)
	if _, err := st.CreateService(ctx, "web", ""); err != nil {
		t.Fatal(err)
	}
	post := func(name string) error {
		return st.InsertPoints(ctx, []store.SeriesPoint{{Key: store.ServiceSeries("web", name),
			Point: store.Point{Time: storetest.Epoch.Unix() - 60, Value: 1}}})
	}
	if err := post("req.count"); err != nil {
		t.Fatal(err)
	}
	attempts := 0
	err := st.InTx(ctx, func(tx store.Tx) error {
		attempts++
		// The transaction's snapshot is taken by its first read.
		if _, err := tx.ServiceMonitorIDs(ctx, "web"); err != nil {
			return err
		}
		if attempts == 1 {
			if err := post("req.latency"); err != nil {
				t.Errorf("the concurrent post: %v", err)
			}
		}
		_, err := tx.DeleteService(ctx, "web")
		return err
	})
	if err != nil {
		t.Fatalf("deleting the service: %v", err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM series WHERE kind = 'service' AND owner = 'web'`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d series of the deleted service left behind (%d attempts)", left, attempts)
	}
}
