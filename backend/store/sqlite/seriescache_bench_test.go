package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkSeriesLookupFleet: a fleet's agents post their 100 metrics in
// turn, one post per op, with every series' id cached ("warm") or none
// ("off", the case of a fleet with more series than the cache holds).
// The gap is what a miss costs.
func BenchmarkSeriesLookupFleet(b *testing.B) {
	const hosts, metrics = 200, 100
	for _, c := range []struct {
		name string
		size int
	}{{"warm", 0}, {"off", -1}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			st := openCached(b, c.size)
			posts := make([][]store.SeriesPoint, hosts)
			for h := range posts {
				id := tsMustHost(b, st, fmt.Sprintf("agent%03d", h))
				for m := range metrics {
					posts[h] = append(posts[h], tsSP(store.HostSeries(id, fmt.Sprintf("custom.agent.m%03d", m)), 0, 1))
				}
			}
			t0 := tsStoreNow.Unix() - 86400
			post := func(n int) {
				batch := posts[n%hosts]
				for i := range batch {
					batch[i].Time = t0 + int64(n/hosts)*60
				}
				if err := st.InsertPoints(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			for n := range hosts { // create every series first
				post(n)
			}
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				post(hosts + n)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*metrics)/b.Elapsed().Seconds(), "points/s")
		})
	}
}
