package backend_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/promremote"
	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkPromWrite measures one remote write of 10,000 samples (100
// series × 100 samples, addressed by mackerel_host_id) through the
// handler — snappy, protobuf, mapping and the store insert — against the
// same points as one POST /api/v0/tsdb JSON body, in the same run. Every
// op re-posts the same points (an upsert, as the first post's insert).
func BenchmarkPromWrite(b *testing.B) {
	const series, perSeries = 100, 100
	env := backendtest.New(b)
	id := env.MustCreateHost(b, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	var ts []promremote.TimeSeries
	var js strings.Builder
	js.WriteByte('[')
	for s := 0; s < series; s++ {
		one := promSeries(fmt.Sprintf("bench_m%d", s), []string{"mackerel_host_id=" + id})
		for j := 0; j < perSeries; j++ {
			t, v := now-int64(perSeries-j)*10, float64(s*perSeries+j)/8
			one.Samples = append(one.Samples, promremote.Sample{Value: v, Timestamp: t * 1000})
			if js.Len() > 1 {
				js.WriteByte(',')
			}
			fmt.Fprintf(&js, `{"hostId":%q,"name":"custom.bench_m%d","time":%d,"value":%g}`, id, s, t, v)
		}
		ts = append(ts, one)
	}
	js.WriteByte(']')
	prom, jsonBody := promBody(ts...), js.String()
	run := func(b *testing.B, target, body string, post func(target, body string) int, want int) {
		for b.Loop() {
			if code := post(target, body); code != want {
				b.Fatalf("status %d, want %d", code, want)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*series*perSeries), "ns/sample")
		b.ReportMetric(float64(len(body)), "body-bytes")
	}
	b.Run("remote-write", func(b *testing.B) {
		run(b, "/api/v1/write", prom, func(target, body string) int {
			return promPost(env.Handler, target, body, nil).Code
		}, 204)
	})
	b.Run("tsdb-json", func(b *testing.B) {
		run(b, "/api/v0/tsdb", jsonBody, func(target, body string) int {
			req := httptest.NewRequest("POST", target, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, req)
			return rec.Code
		}, 200)
	})
}
