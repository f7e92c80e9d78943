package sqlite

import (
	"math"
	"sync"

	"github.com/mkr-dev/mkr/backend/store"
)

// DefaultSeriesCacheSize is how many series ids a store remembers unless
// store.Options.SeriesCacheSize says otherwise: 1,000 agents' 100 metrics.
// An entry costs ~200 bytes with typical keys (measured: 202 B for an
// 11-character host id and a 28-character name, strings included), so the
// cache stays near 20 MB however many series the database holds. A bigger
// fleet cycles through it without a hit, but a miss reads all of the
// owner's series at once (pointWriter.id), so an agent's post costs one
// lookup: at 300,000 ids the cache held ~60 MB of serve's RSS and still
// never hit at 10,000 agents.
const DefaultSeriesCacheSize = 100_000

// seriesCache remembers the ids of at most max series (series key → id),
// dropping the least recently used. It only saves a lookup: a series it
// does not know is looked up, or created, inside the insert transaction.
//
// A series row is never renumbered and, the id being AUTOINCREMENT, a
// deleted series' id is never reused: an id cached before another process
// deleted its series fails the foreign key (see InsertPoints) instead of
// writing into someone else's series.
//
// The entries live in one slice, linked by index into a ring ordered by
// use (head is the most recent, its prev the least): no pointer per entry
// for the garbage collector, and evicting reuses the least recent slot.
type seriesCache struct {
	mu      sync.Mutex
	max     int // <= 0: remember nothing
	index   map[store.SeriesKey]int32
	entries []seriesEntry
	head    int32
}

type seriesEntry struct {
	key        store.SeriesKey
	id         int64
	prev, next int32
}

func newSeriesCache(max int) *seriesCache {
	return &seriesCache{max: min(max, math.MaxInt32), index: map[store.SeriesKey]int32{}}
}

func (c *seriesCache) get(k store.SeriesKey) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.index[k]
	if !ok {
		return 0, false
	}
	c.touch(i)
	return c.entries[i].id, true
}

func (c *seriesCache) put(k store.SeriesKey, id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max <= 0 {
		return
	}
	if i, ok := c.index[k]; ok {
		c.entries[i].id = id
		c.touch(i)
		return
	}
	if len(c.entries) < c.max {
		c.pushFront(k, id)
		return
	}
	// Full: the least recent entry becomes k, which makes it the most
	// recent — in a ring that is just moving head back one step.
	i := c.entries[c.head].prev
	delete(c.index, c.entries[i].key)
	c.entries[i].key, c.entries[i].id = k, id
	c.index[k] = i
	c.head = i
}

// touch makes entry i the most recent.
func (c *seriesCache) touch(i int32) {
	if i == c.head {
		return
	}
	e := &c.entries[i]
	c.entries[e.prev].next = e.next
	c.entries[e.next].prev = e.prev
	c.link(i, c.head)
	c.head = i
}

// link puts entry i in the ring just before entry at.
func (c *seriesCache) link(i, at int32) {
	prev := c.entries[at].prev
	c.entries[i].prev, c.entries[i].next = prev, at
	c.entries[prev].next = i
	c.entries[at].prev = i
}

// forget drops the entries keep refuses, keeping the others' order.
func (c *seriesCache) forget(keep func(store.SeriesKey) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var kept []seriesEntry // most recent first
	for n, i := 0, c.head; n < len(c.entries); n, i = n+1, c.entries[i].next {
		if keep(c.entries[i].key) {
			kept = append(kept, c.entries[i])
		}
	}
	c.entries = c.entries[:0]
	clear(c.index)
	for j := len(kept) - 1; j >= 0; j-- { // least recent first
		c.pushFront(kept[j].key, kept[j].id)
	}
}

// pushFront adds k, not yet known, as the most recent entry.
func (c *seriesCache) pushFront(k store.SeriesKey, id int64) {
	i := int32(len(c.entries))
	c.entries = append(c.entries, seriesEntry{key: k, id: id, prev: i, next: i})
	c.index[k] = i
	if i > 0 {
		c.link(i, c.head)
	}
	c.head = i
}

// len is the number of entries.
func (c *seriesCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
