package sqlite

import (
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// order lists the cached names, most recent first, walking the ring both
// ways to check its links.
func (c *seriesCache) order(t *testing.T) []string {
	t.Helper()
	var fwd, back []string
	for n, i := 0, c.head; n < len(c.entries); n, i = n+1, c.entries[i].next {
		fwd = append(fwd, c.entries[i].key.Name)
	}
	for n, i := 0, c.head; n < len(c.entries); n++ {
		i = c.entries[i].prev
		back = append([]string{c.entries[i].key.Name}, back...)
	}
	if !reflect.DeepEqual(fwd, back) || len(c.index) != len(c.entries) {
		t.Fatalf("broken ring: next %v, prev %v, %d indexed", fwd, back, len(c.index))
	}
	return fwd
}

func TestSeriesCacheLRU(t *testing.T) {
	k := func(n string) store.SeriesKey { return store.HostSeries("h", n) }
	c := newSeriesCache(3)
	want := func(names ...string) {
		t.Helper()
		if got := c.order(t); !reflect.DeepEqual(got, names) {
			t.Fatalf("cache %v, want %v", got, names)
		}
	}
	c.put(k("a"), 1)
	c.put(k("b"), 2)
	c.put(k("c"), 3)
	want("c", "b", "a")
	if id, ok := c.get(k("a")); !ok || id != 1 {
		t.Fatalf("a: %d %v", id, ok)
	}
	want("a", "c", "b")
	c.put(k("d"), 4) // evicts b, the least recent
	want("d", "a", "c")
	if _, ok := c.get(k("b")); ok {
		t.Fatal("b still cached")
	}
	c.put(k("c"), 30) // known: updated and made recent, nothing evicted
	want("c", "d", "a")
	if id, _ := c.get(k("c")); id != 30 {
		t.Fatalf("c = %d, want 30", id)
	}
	c.forget(func(key store.SeriesKey) bool { return key.Name != "d" })
	want("c", "a")
	c.put(k("e"), 5)
	c.put(k("f"), 6) // evicts a
	want("f", "e", "c")
	c.forget(func(store.SeriesKey) bool { return false })
	want()
	c.put(k("g"), 7)
	want("g")

	off := newSeriesCache(0)
	off.put(k("a"), 1)
	if _, ok := off.get(k("a")); ok || off.len() != 0 {
		t.Fatal("a cache of size 0 remembered an id")
	}
}
