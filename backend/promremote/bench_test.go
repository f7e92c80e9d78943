package promremote

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkDecodeWriteRequest: the protocol's share of a remote write of
// 10,000 samples (100 series × 100) — snappy and protobuf, no store —
// for comparison with BenchmarkPromWrite in package backend.
func BenchmarkDecodeWriteRequest(b *testing.B) {
	var ts []TimeSeries
	for s := 0; s < 100; s++ {
		one := TimeSeries{Labels: []Label{{"__name__", fmt.Sprintf("bench_m%d", s)}, {"instance", "web01:9100"}, {"job", "node"}}}
		for j := 0; j < 100; j++ {
			one.Samples = append(one.Samples, Sample{Value: float64(s*100+j) / 8, Timestamp: 1_700_000_000_000 + int64(j)*15_000})
		}
		ts = append(ts, one)
	}
	body := string(Encode(AppendWriteRequest(nil, ts)))
	for b.Loop() {
		r := httptest.NewRequest("POST", "/api/v1/write", strings.NewReader(body))
		raw, err := ReadBody(r)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := UnmarshalWriteRequest(raw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*10_000), "ns/sample")
}
