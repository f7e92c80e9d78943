package backend_test

import (
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkTSPostHostMetrics measures the HTTP ingest path without a
// socket: one op is one POST /api/v0/tsdb of 5,000 points (throw's batch)
// through the handler — JSON decoding, validation and the store insert.
// Compare with BenchmarkTSStoreInsertPoints for the store alone. Past 64
// ops the bodies repeat, overwriting their points (same cost: an upsert).
func BenchmarkTSPostHostMetrics(b *testing.B) {
	env := backendtest.New(b)
	id := env.MustCreateHost(b, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	const batch = 5000
	bodies := make([]string, 0, 64)
	for k := 0; k < cap(bodies); k++ {
		var sb strings.Builder
		sb.WriteByte('[')
		for i := 0; i < batch; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			seq := k*batch + i
			fmt.Fprintf(&sb, `{"hostId":%q,"name":"custom.bench.m%d","time":%d,"value":%s}`,
				id, seq%100, now-int64(seq/100), strconv.FormatFloat(float64(seq)/8, 'g', -1, 64))
		}
		sb.WriteByte(']')
		bodies = append(bodies, sb.String())
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		req := httptest.NewRequest("POST", "/api/v0/tsdb", strings.NewReader(bodies[n%len(bodies)]))
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "points/s")
}
