package idcache

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

func hostIDs(host string, first int64, names ...string) map[store.SeriesKey]int64 {
	ids := map[store.SeriesKey]int64{}
	for i, n := range names {
		ids[store.HostSeries(host, n)] = first + int64(i)
	}
	return ids
}

func mustGet(t *testing.T, c *Cache, k store.SeriesKey, want int64) {
	t.Helper()
	if got, ok := c.Get(k); !ok || got != want {
		t.Fatalf("Get(%v) = %d, %v; want %d", k, got, ok, want)
	}
}

func mustMiss(t *testing.T, c *Cache, k store.SeriesKey) {
	t.Helper()
	if got, ok := c.Get(k); ok {
		t.Fatalf("Get(%v) = %d, want a miss", k, got)
	}
}

// TestSharedNames: owners posting the same metric names share one name
// list, each keeping its own ids; the list goes with its last owner.
func TestSharedNames(t *testing.T) {
	c := New(1000, 1<<20)
	c.Put(hostIDs("h1", 1, "cpu.user", "cpu.system", "memory.used"))
	c.Put(hostIDs("h2", 101, "memory.used", "cpu.user", "cpu.system"))
	if len(c.names) != 1 {
		t.Fatalf("%d name lists, want 1 shared", len(c.names))
	}
	mustGet(t, c, store.HostSeries("h1", "cpu.system"), 2)
	mustGet(t, c, store.HostSeries("h2", "cpu.system"), 103)
	mustGet(t, c, store.HostSeries("h2", "memory.used"), 101)
	mustMiss(t, c, store.HostSeries("h1", "disk.used"))
	mustMiss(t, c, store.HostSeries("h3", "cpu.user"))
	mustMiss(t, c, store.ServiceSeries("h1", "cpu.user")) // another kind, another owner
	if c.Len() != 6 {
		t.Fatalf("Len %d, want 6", c.Len())
	}
	c.ForgetOwner(Owner{"host", "h1"})
	mustMiss(t, c, store.HostSeries("h1", "cpu.user"))
	mustGet(t, c, store.HostSeries("h2", "cpu.user"), 102)
	c.ForgetOwner(Owner{"host", "h2"})
	if len(c.names) != 0 || c.Len() != 0 || c.Bytes() != 0 {
		t.Fatalf("after forgetting both: %d lists, %d ids, %d bytes; want none", len(c.names), c.Len(), c.Bytes())
	}
}

// TestMerge: a put adds names to what an owner has and replaces changed
// ids (a series deleted and created again); an unchanged put is a no-op.
func TestMerge(t *testing.T) {
	c := New(1000, 1<<20)
	c.Put(hostIDs("h1", 10, "a", "b"))
	before := c.Bytes()
	c.Put(hostIDs("h1", 10, "a")) // known, same id
	if c.Bytes() != before || c.Len() != 2 {
		t.Fatalf("unchanged put: %d bytes (was %d), %d ids", c.Bytes(), before, c.Len())
	}
	c.Put(map[store.SeriesKey]int64{store.HostSeries("h1", "c"): 12, store.HostSeries("h1", "a"): 50})
	mustGet(t, c, store.HostSeries("h1", "a"), 50)
	mustGet(t, c, store.HostSeries("h1", "b"), 11)
	mustGet(t, c, store.HostSeries("h1", "c"), 12)
	if c.Len() != 3 || len(c.names) != 1 {
		t.Fatalf("Len %d, %d lists; want 3 ids in 1 list", c.Len(), len(c.names))
	}
}

// TestWideIDs: ids too far apart for int32 offsets are kept whole.
func TestWideIDs(t *testing.T) {
	c := New(1000, 1<<20)
	c.Put(map[store.SeriesKey]int64{store.HostSeries("h", "a"): 1, store.HostSeries("h", "b"): 1 << 40})
	mustGet(t, c, store.HostSeries("h", "a"), 1)
	mustGet(t, c, store.HostSeries("h", "b"), 1<<40)
	if e := c.owners[Owner{"host", "h"}]; e.wide == nil || e.small != nil {
		t.Fatalf("entry %+v: want wide ids", e)
	}
}

// TestBounds: however much is put, the cache stays within both bounds, and
// what it keeps is right.
func TestBounds(t *testing.T) {
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("custom.metric.%03d", i)
	}
	for _, b := range []struct {
		name            string
		series, bytes   int
		uniqueNames     bool
		wantAtLeastHeld int
	}{
		{"series", 1000, 1 << 30, false, 800},
		{"bytes shared names", 1 << 30, 64 << 10, false, 100},
		{"bytes unique names", 1 << 30, 64 << 10, true, 100},
	} {
		t.Run(b.name, func(t *testing.T) {
			c := New(b.series, b.bytes)
			for h := range 300 {
				host := fmt.Sprintf("host%03d", h)
				ns := names
				if b.uniqueNames {
					ns = make([]string, len(names))
					for i, n := range names {
						ns[i] = host + "." + n
					}
				}
				c.Put(hostIDs(host, int64(h*1000), ns...))
				if c.Len() > b.series || c.Bytes() > b.bytes {
					t.Fatalf("after host %d: %d ids, %d bytes; bounds %d, %d", h, c.Len(), c.Bytes(), b.series, b.bytes)
				}
			}
			if c.Len() < b.wantAtLeastHeld {
				t.Fatalf("holds %d ids, want at least %d", c.Len(), b.wantAtLeastHeld)
			}
			held := 0
			for o, e := range c.owners {
				var h int
				fmt.Sscanf(o.Name, "host%d", &h)
				for i, n := range e.names.list {
					if want := int64(h*1000 + i); e.id(i) != want {
						t.Fatalf("%s %s: id %d, want %d", o.Name, n, e.id(i), want)
					}
					held++
				}
			}
			if held != c.Len() {
				t.Fatalf("entries hold %d ids, Len says %d", held, c.Len())
			}
		})
	}
}

// TestOff: a cache bounded at zero ids holds nothing.
func TestOff(t *testing.T) {
	c := New(0, 1<<20)
	c.Put(hostIDs("h", 1, "a"))
	mustMiss(t, c, store.HostSeries("h", "a"))
	if c.Len() != 0 {
		t.Fatalf("Len %d, want 0", c.Len())
	}
}

// TestConcurrent: puts, gets and forgets from many goroutines (run with
// -race) leave the accounting consistent.
func TestConcurrent(t *testing.T) {
	c := New(2000, 1<<20)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				host := fmt.Sprintf("h%d", (g*200+i)%50)
				c.Put(hostIDs(host, 1, "a", "b", "c"))
				c.Get(store.HostSeries(host, "b"))
				if i%17 == 0 {
					c.ForgetOwner(Owner{"host", host})
				}
			}
		})
	}
	wg.Wait()
	if c.Len() != 3*len(c.owners) {
		t.Fatalf("Len %d for %d owners of 3 ids", c.Len(), len(c.owners))
	}
	c.ForgetAll()
	if c.Len() != 0 || c.Bytes() != 0 || len(c.names) != 0 {
		t.Fatalf("after ForgetAll: %d ids, %d bytes, %d lists", c.Len(), c.Bytes(), len(c.names))
	}
}

// TestEvictKeepsNewest: eviction drops other owners before the one just
// put, which is in use.
func TestEvictKeepsNewest(t *testing.T) {
	c := New(25, 1<<20)
	for h := range 50 {
		host := fmt.Sprintf("h%d", h)
		c.Put(hostIDs(host, int64(h*10+1), "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"))
		mustGet(t, c, store.HostSeries(host, "c"), int64(h*10+3))
		if c.Len() > 25 {
			t.Fatalf("after host %d: %d ids, bound 25", h, c.Len())
		}
	}
}
