package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// BenchmarkAgentPost: one op is one agent's post as the HTTP ingest path
// stores it (store.InsertStream): 100 points, one per series of one host,
// at one time, from many hosts at once (-cpu sets the goroutines through
// RunParallel's GOMAXPROCS multiple; SetParallelism(8) keeps a pool's
// worth of posts in flight). "new" posts create their host's series,
// "steady" posts go to series that exist: the load test's warm-up and its
// measured minutes. Beside SQLite's figure in the same run:
//
//	go test ./backend/store/postgres -run '^$' -bench AgentPost
func BenchmarkAgentPost(b *testing.B) {
	const hosts, perPost = 200, 100
	for _, e := range benchEngines() {
		for _, phase := range []string{"new", "steady"} {
			b.Run(e.name+"/"+phase, func(b *testing.B) {
				ctx := context.Background()
				clock := storetest.NewClock(storetest.Epoch)
				st, _ := e.open(b, clock.Now)
				ids := make([]string, hosts)
				for h := range ids {
					id, err := st.CreateHost(ctx, store.NewHost{Name: fmt.Sprintf("agent%d", h), Status: "working"})
					if err != nil {
						b.Fatal(err)
					}
					ids[h] = id
				}
				t0 := storetest.Epoch.Unix() - 3600
				post := func(n int64) error {
					h, lap := n%hosts, n/hosts
					batch := make([]store.SeriesPoint, perPost)
					for m := range batch {
						name := fmt.Sprintf("custom.agent.m%d", m)
						if phase == "new" {
							// Every lap over the fleet names new series.
							name = fmt.Sprintf("custom.agent%d.m%d", lap, m)
						}
						batch[m] = store.SeriesPoint{Key: store.HostSeries(ids[h], name), Point: store.Point{Time: t0 + 60*lap, Value: float64(m)}}
					}
					_, err := store.InsertStream(ctx, st, store.NewSliceStream(batch), 0)
					return err
				}
				var next atomic.Int64
				if phase == "steady" {
					for h := range int64(hosts) {
						if err := post(h); err != nil {
							b.Fatal(err)
						}
					}
					next.Store(hosts)
				}
				b.SetParallelism(8)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := post(next.Add(1) - 1); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
			})
		}
	}
}
