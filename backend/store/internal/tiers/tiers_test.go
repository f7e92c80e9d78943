package tiers

import (
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

func TestPlanCompact(t *testing.T) {
	now := int64(100*store.Day + 7*3600) // 07:00 on day 100
	cases := []struct {
		name string
		opts store.CompactOptions
		want Plan
	}{
		// 26 h back is 05:00 on day 99: days before 99 are sealed; 460
		// days back is 07:00 on day -360.
		{"defaults", store.CompactOptions{}, Plan{CutoffDay: 99, ExpireDay: -360, BatchPoints: DefaultBatchPoints}},
		{"keep all", store.CompactOptions{Retention: -1, BatchPoints: 7}, Plan{CutoffDay: 99, ExpireDay: NoExpiry, BatchPoints: 7}},
		{"short retention never expires hot days", store.CompactOptions{Retention: time.Hour}, Plan{CutoffDay: 99, ExpireDay: 99, BatchPoints: DefaultBatchPoints}},
		{"hot window", store.CompactOptions{HotWindow: 32 * time.Hour, Retention: 10 * 24 * time.Hour}, Plan{CutoffDay: 98, ExpireDay: 90, BatchPoints: DefaultBatchPoints}},
	}
	for _, c := range cases {
		if got := PlanCompact(now, c.opts, 0); got != c.want {
			t.Errorf("%s: PlanCompact = %+v, want %+v", c.name, got, c.want)
		}
	}
	if got := PlanCompact(now, store.CompactOptions{}, 5*24*time.Hour); got.ExpireDay != 95 {
		t.Errorf("store retention of 5 days: expire day %d, want 95", got.ExpireDay)
	}
}

// A day with rows is rolled up from its points even when it also has a
// stored rollup (which is stale: its late points are not merged yet);
// buckets are kept when they overlap the range.
func TestAssembleRollups(t *testing.T) {
	d := int64(store.Day)
	rows := map[int64][]store.Point{2: {{Time: 2*d + 10, Value: 4}, {Time: 2*d + 4000, Value: 6}}}
	sealed := map[int64][]store.Rollup{
		1: {{Start: d, Count: 1, Sum: 1, Min: 1, Max: 1}, {Start: d + 3600, Count: 2, Sum: 4, Min: 1, Max: 3}},
		2: {{Start: 2 * d, Count: 9, Sum: 9, Min: 9, Max: 9}}, // stale
	}
	got := AssembleRollups(rows, sealed, d+3599, 3*d, store.Step1h)
	want := []store.Rollup{
		{Start: d, Count: 1, Sum: 1, Min: 1, Max: 1},
		{Start: d + 3600, Count: 2, Sum: 4, Min: 1, Max: 3},
		{Start: 2 * d, Count: 1, Sum: 4, Min: 4, Max: 4},
		{Start: 2*d + 3600, Count: 1, Sum: 6, Min: 6, Max: 6},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AssembleRollups = %v\nwant %v", got, want)
	}
	if got := AssembleRollups(rows, sealed, d+3600, d+3600, store.Step1h); !reflect.DeepEqual(got, want[1:2]) {
		t.Errorf("one bucket: %v", got)
	}
	if err := CheckStep(60); err == nil {
		t.Error("CheckStep(60) = nil")
	}
}
