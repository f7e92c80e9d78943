package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
)

// Blocks are sealed without a 5-minute rollup (5-minute reads roll the
// points up), and a block sealed before that, with one stored, still
// answers from it.
func TestRollupsOfBlocksWithAndWithoutStored5m(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	st := tsOpen(t, path)
	k := store.HostSeries(tsMustHost(t, st, "web01"), "custom.a")
	day := tsStoreNow.Unix()/store.Day*store.Day - 3*store.Day
	var pts []store.SeriesPoint
	for i := range 10 {
		pts = append(pts, store.SeriesPoint{Key: k, Point: store.Point{Time: day + int64(i)*60, Value: float64(i)}})
	}
	if err := st.InsertPoints(ctx, pts); err != nil {
		t.Fatal(err)
	}
	if res, err := st.Compact(ctx, store.CompactOptions{}); err != nil || res.SealedBlocks != 1 {
		t.Fatalf("Compact = %+v, %v", res, err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored []byte
	if err := db.QueryRow(`SELECT rollup_5m FROM blocks`).Scan(&stored); err != nil || len(stored) != 0 {
		t.Fatalf("rollup_5m = %x, %v; want it empty", stored, err)
	}
	want := []store.Rollup{{Start: day, Count: 5, Sum: 10, Min: 0, Max: 4}, {Start: day + 300, Count: 5, Sum: 35, Min: 5, Max: 9}}
	if got, err := st.Rollups(ctx, k, day, day+store.Day-1, store.Step5m); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Rollups(5m) from the points = %+v, %v; want %+v", got, err, want)
	}
	// An older block's stored rollup (made distinct here) is what answers.
	old := []store.Rollup{{Start: day, Count: 1, Sum: 42, Min: 42, Max: 42}}
	blob, err := chunk.EncodeRollups(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE blocks SET rollup_5m = ?`, blob); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Rollups(ctx, k, day, day+store.Day-1, store.Step5m); err != nil || !reflect.DeepEqual(got, old) {
		t.Errorf("Rollups(5m) of a block with a stored rollup = %+v, %v; want %+v", got, err, old)
	}
}
