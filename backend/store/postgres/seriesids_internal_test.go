package postgres

import (
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// The cache holds at most its size, keeps what is used, and holds nothing
// when its size is negative.
func TestSeriesIDsBound(t *testing.T) {
	key := func(i int) store.SeriesKey { return store.HostSeries("h", fmt.Sprintf("m%d", i)) }
	c := newSeriesIDs(10)
	for i := range 100 {
		c.put([]seriesEntry{{key(i), int64(i)}})
		if _, ok := c.get(key(0)); !ok && i < 50 { // used all along: kept
			t.Fatalf("after %d puts, the entry in use was dropped", i+1)
		}
		if n := c.len(); n > 10 {
			t.Fatalf("after %d puts the cache holds %d ids, want at most 10", i+1, n)
		}
	}
	if id, ok := c.get(key(99)); !ok || id != 99 {
		t.Fatalf("the newest entry: %d, %v", id, ok)
	}
	if _, ok := c.get(key(50)); ok {
		t.Fatal("an entry unused for 49 puts is still kept")
	}
	c.clear()
	if c.len() != 0 {
		t.Fatalf("clear left %d ids", c.len())
	}
	none := newSeriesIDs(-1)
	none.put([]seriesEntry{{key(1), 1}})
	if _, ok := none.get(key(1)); ok {
		t.Fatal("a cache of size -1 kept an id")
	}
}
