// Package idcache remembers metric series ids by owner, compactly enough
// to hold a whole fleet's.
//
// A fleet of 50,000 agents posting 100 metrics each has 5 M series. A
// cache of single series (key → id, ~200 bytes an entry) holding them
// all would take a gigabyte, and a bounded one cycles without a hit: every
// post then reads its host's series from the database (10% of serve's
// CPU) and churns the cache (7% more). This cache keeps, per owner (a host
// or a service), its metric names and their ids, and shares the names:
// agents of one kind post the same metric names, so their owners point at
// one interned, sorted name list, and each owner only adds its ids, 4
// bytes each when they fit an int32 offset from the owner's smallest id
// (series created by one post are numbered together). The 50,000-agent
// fleet fits in about 25 MB.
//
// It only saves lookups: callers look up what it does not hold (and
// whether a series exists at all) in the database, and must treat a
// cached id as possibly stale when another process may delete series
// (ids are never reused, so a stale id names no series and fails a
// foreign key instead of writing into another series).
package idcache

import (
	"slices"
	"strings"
	"sync"

	"github.com/mkr-dev/mkr/backend/store"
)

// Owner is a host or a service: the unit the cache keeps together.
type Owner struct{ Kind, Name string }

// OwnerOf is k's owner.
func OwnerOf(k store.SeriesKey) Owner { return Owner{k.Kind, k.Owner} }

// Cache is safe for concurrent use.
type Cache struct {
	mu        sync.Mutex
	maxSeries int // <= 0: remember nothing
	maxBytes  int
	owners    map[Owner]*entry
	// names interns name lists by their content (joined with NUL, which
	// no metric name holds), so that owners with the same metrics share
	// one list.
	names  map[string]*nameList
	series int // ids held
	bytes  int // estimated heap bytes held
}

// entry is one owner's ids, in the order of names.list.
type entry struct {
	names *nameList
	base  int64   // the smallest id
	small []int32 // id - base, when every offset fits
	wide  []int64 // the ids, when one does not
}

type nameList struct {
	key  string   // the names joined with NUL: the intern key
	list []string // sorted; substrings of key
	refs int      // entries using it
}

// Costs of the estimate behind maxBytes: a map entry with its key and the
// entry struct, and a name list's header.
const (
	entryOverhead = 120
	listOverhead  = 80
)

// New returns a cache of at most maxSeries ids and about maxBytes bytes.
func New(maxSeries, maxBytes int) *Cache {
	return &Cache{maxSeries: maxSeries, maxBytes: maxBytes, owners: map[Owner]*entry{}, names: map[string]*nameList{}}
}

// Enabled reports whether the cache holds anything at all (a bound of
// zero ids holds nothing).
func (c *Cache) Enabled() bool { return c.maxSeries > 0 }

// Get returns k's id when the cache holds it.
func (c *Cache) Get(k store.SeriesKey) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.owners[Owner{k.Kind, k.Owner}]
	if e == nil {
		return 0, false
	}
	i, ok := slices.BinarySearch(e.names.list, k.Name)
	if !ok {
		return 0, false
	}
	if e.wide != nil {
		return e.wide[i], true
	}
	return e.base + int64(e.small[i]), true
}

// Put records ids (series key → id), merged into what the cache holds of
// their owners; a name already held takes the new id.
func (c *Cache) Put(ids map[store.SeriesKey]int64) {
	if len(ids) == 0 {
		return
	}
	byOwner := map[Owner]map[string]int64{}
	for k, id := range ids {
		o := OwnerOf(k)
		m := byOwner[o]
		if m == nil {
			m = map[string]int64{}
			byOwner[o] = m
		}
		m[k.Name] = id
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.maxSeries <= 0 {
		return
	}
	for o, add := range byOwner {
		c.merge(o, add)
	}
	c.evict(byOwner)
}

// merge puts add into o's entry (c.mu held).
func (c *Cache) merge(o Owner, add map[string]int64) {
	all := add
	if old := c.owners[o]; old != nil {
		if old.holds(add) {
			return // the common case: ids looked up again, unchanged
		}
		all = make(map[string]int64, len(old.names.list)+len(add))
		for i, name := range old.names.list {
			all[name] = old.id(i)
		}
		for name, id := range add {
			all[name] = id
		}
		c.drop(o, old)
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	slices.Sort(names)
	e := &entry{names: c.intern(names)}
	ids := make([]int64, len(names))
	for i, name := range e.names.list {
		ids[i] = all[name]
	}
	e.base = slices.Min(ids)
	if slices.Max(ids)-e.base <= 1<<31-1 {
		e.small = make([]int32, len(ids))
		for i, id := range ids {
			e.small[i] = int32(id - e.base)
		}
	} else {
		e.wide = ids
	}
	c.owners[o] = e
	c.series += len(ids)
	c.bytes += e.cost(o)
}

// holds reports whether e already has every name of add with its id.
func (e *entry) holds(add map[string]int64) bool {
	for name, id := range add {
		i, ok := slices.BinarySearch(e.names.list, name)
		if !ok || e.id(i) != id {
			return false
		}
	}
	return true
}

func (e *entry) id(i int) int64 {
	if e.wide != nil {
		return e.wide[i]
	}
	return e.base + int64(e.small[i])
}

func (e *entry) cost(o Owner) int {
	return entryOverhead + len(o.Name) + 4*len(e.small) + 8*len(e.wide)
}

// intern returns the shared list of names (sorted), creating it if new.
func (c *Cache) intern(names []string) *nameList {
	key := strings.Join(names, "\x00")
	if l := c.names[key]; l != nil {
		l.refs++
		return l
	}
	l := &nameList{key: key, refs: 1}
	// The list's strings point into key: one allocation for the names.
	l.list = make([]string, len(names))
	at := 0
	for i, name := range names {
		l.list[i] = key[at : at+len(name)]
		at += len(name) + 1
	}
	c.names[key] = l
	c.bytes += listOverhead + len(key) + 16*len(names)
	return l
}

// drop removes o's entry e (c.mu held).
func (c *Cache) drop(o Owner, e *entry) {
	delete(c.owners, o)
	c.series -= len(e.names.list)
	c.bytes -= e.cost(o)
	if e.names.refs--; e.names.refs == 0 {
		delete(c.names, e.names.key)
		c.bytes -= listOverhead + len(e.names.key) + 16*len(e.names.list)
	}
}

// evict drops owners until the cache is within its bounds, to 7/8 of
// them so that the next puts do not evict again at once. Which owners go
// is left to map order (random): under a fleet larger than the cache any
// choice misses as often, and random needs no bookkeeping per lookup.
// The owners just put (in use) go last.
func (c *Cache) evict(just map[Owner]map[string]int64) {
	within := func() bool { return c.series <= c.maxSeries*7/8 && c.bytes <= c.maxBytes*7/8 }
	if c.series <= c.maxSeries && c.bytes <= c.maxBytes {
		return
	}
	for o, e := range c.owners {
		if within() {
			return
		}
		if _, ok := just[o]; !ok {
			c.drop(o, e)
		}
	}
	for o := range just {
		if within() {
			return
		}
		if e := c.owners[o]; e != nil {
			c.drop(o, e)
		}
	}
}

// ForgetOwner drops what the cache holds of o.
func (c *Cache) ForgetOwner(o Owner) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.owners[o]; e != nil {
		c.drop(o, e)
	}
}

// ForgetAll empties the cache.
func (c *Cache) ForgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.owners)
	clear(c.names)
	c.series, c.bytes = 0, 0
}

// Len is the number of ids held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.series
}

// Bytes is the estimate of the heap the cache holds.
func (c *Cache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
