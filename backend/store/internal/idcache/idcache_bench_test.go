package idcache

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkFleetHeap fills a cache with a fleet of agents posting the
// same 100 metric names and reports the heap it holds per id, measured
// (runtime.MemStats) and as estimated by Bytes, and the cost of a lookup.
func BenchmarkFleetHeap(b *testing.B) {
	const agents, metrics = 50_000, 100
	names := make([]string, metrics)
	for i := range names {
		names[i] = fmt.Sprintf("custom.agent.metric%03d", i)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := New(1<<30, 1<<30)
	for a := range agents {
		ids := make(map[store.SeriesKey]int64, metrics)
		host := fmt.Sprintf("2%010d", a) // a host id's length
		for i, n := range names {
			ids[store.HostSeries(host, n)] = int64(a*metrics + i + 1)
		}
		c.Put(ids)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	k := store.HostSeries(fmt.Sprintf("2%010d", agents/2), names[metrics/2])
	b.ResetTimer()
	for range b.N {
		if _, ok := c.Get(k); !ok {
			b.Fatal("miss")
		}
	}
	b.StopTimer()
	// After the loop: ResetTimer clears reported metrics.
	b.ReportMetric(held/float64(c.Len()), "heap-B/id")
	b.ReportMetric(float64(c.Bytes())/float64(c.Len()), "estimated-B/id")
}
