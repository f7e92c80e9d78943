package backend_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// peakLiveHeap runs f and returns the most live heap the process had after
// any garbage collection during it, above what it had before. GC runs
// often meanwhile, so what f holds at once shows, not what it allocates
// over time. The test that calls it must not be parallel: the heap is the
// whole process's.
func peakLiveHeap(t *testing.T, f func()) uint64 {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()

	stop := make(chan struct{})
	var peak uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	f()
	runtime.GC() // a last reading that includes what f still held at its end
	close(stop)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

// Listing many hosts with large meta holds about one page of hosts at a
// time on both ends, never the answer: the server encodes each host as the
// store reads it and the client decodes each as it arrives, over HTTP as
// in process (local mode). Before, the server held the hosts and the whole
// encoded answer and the client the whole body — several times its size.
func TestHostListingMemoryStaysFlat(t *testing.T) {
	const hosts, metaBytes = 200, 80 << 10 // a 16 MB answer
	e := backendtest.New(t)
	ctx := context.Background()
	pad := strings.Repeat("m", metaBytes)
	for i := range hosts {
		e.MustCreateHost(t, store.NewHost{Name: fmt.Sprintf("big-%03d", i), Status: "working",
			Meta: fmt.Appendf(nil, `{"agent-version":"0.87.0","pad":%q}`, pad)})
	}
	answer := uint64(hosts * metaBytes)
	srv := e.NewServer(t)
	remote, err := client.New(client.Options{BaseURL: srv.URL, Transport: &http.Transport{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		c    *client.Client
	}{{"over HTTP", remote}, {"in process", e.Client}} {
		t.Run(tt.name, func(t *testing.T) {
			var listed []*client.Host
			var listErr error
			peak := peakLiveHeap(t, func() { listed, listErr = tt.c.FindHosts(ctx, client.FindHostsParam{}) })
			if listErr != nil {
				t.Fatal(listErr)
			}
			if len(listed) != hosts || listed[hosts-1].Name != fmt.Sprintf("big-%03d", hosts-1) || listed[0].Meta.AgentVersion != "0.87.0" {
				t.Fatalf("listed %d hosts", len(listed))
			}
			t.Logf("peak live heap %.1f MB for a %.1f MB answer", float64(peak)/1e6, float64(answer)/1e6)
			if peak > answer/6 {
				t.Errorf("listing held %.1f MB of heap at once for a %.1f MB answer: it is not streamed", float64(peak)/1e6, float64(answer)/1e6)
			}
		})
	}
}
