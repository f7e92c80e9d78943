package postgres

import (
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// The store's cache holds at most its size (whole owners: a host's 10
// metrics at a time here) and nothing when its size is negative.
func TestSeriesIDsBound(t *testing.T) {
	c := newSeriesIDs(25)
	for h := range 10 {
		ids := map[store.SeriesKey]int64{}
		for m := range 10 {
			ids[store.HostSeries(fmt.Sprintf("h%d", h), fmt.Sprintf("m%d", m))] = int64(h*10 + m + 1)
		}
		c.Put(ids)
		if n := c.Len(); n > 25 {
			t.Fatalf("after host %d the cache holds %d ids, want at most 25", h, n)
		}
		if id, ok := c.Get(store.HostSeries(fmt.Sprintf("h%d", h), "m3")); !ok || id != int64(h*10+4) {
			t.Fatalf("the newest host's m3: %d, %v", id, ok)
		}
	}
	c.ForgetAll()
	if c.Len() != 0 {
		t.Fatalf("ForgetAll left %d ids", c.Len())
	}
	none := newSeriesIDs(-1)
	none.Put(map[store.SeriesKey]int64{store.HostSeries("h", "m"): 1})
	if _, ok := none.Get(store.HostSeries("h", "m")); ok {
		t.Fatal("a cache of size -1 kept an id")
	}
}
