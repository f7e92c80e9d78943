package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/notify"
	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkDeliveries measures deliveries per second from the outbox to a
// webhook receiver on loopback: b.N alert events, routed and sent by one
// dispatcher (deliveries/s is the figure).
func BenchmarkDeliveries(b *testing.B) {
	env := backendtest.New(b)
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got.Add(1)
	}))
	b.Cleanup(srv.Close)
	createChannelB(b, env, `{"type":"webhook","name":"hook","url":"`+srv.URL+`","addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(b, store.NewHost{Name: "web01"})
	ctx := context.Background()
	if _, err := env.Engine.ApplyCheckReports(ctx, []store.CheckReport{{HostID: host, Name: "disk", Status: "CRITICAL", OccurredAt: env.Clock.Now().Unix(), MaxCheckAttempts: 1}}); err != nil {
		b.Fatal(err)
	}
	alerts, _, err := env.Store.ListAlerts(ctx, false, "", 1)
	if err != nil || len(alerts) != 1 {
		b.Fatal(alerts, err)
	}
	a := alerts[0]
	d := notify.New(env.Store, notify.Options{})
	if err := d.RunOnce(ctx); err != nil { // the opening itself
		b.Fatal(err)
	}
	statuses := []string{"WARNING", "CRITICAL"}
	err = env.Store.InTx(ctx, func(tx store.Tx) error {
		for i := range b.N {
			e := &store.AlertEvent{AlertID: a.ID, MonitorID: a.MonitorID, HostID: host, Status: statuses[i%2], PrevStatus: statuses[(i+1)%2],
				Trigger: store.TriggerMonitoring, CreatedAt: env.Clock.Now().Unix(), Notify: true}
			if err := tx.AddAlertEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	if err := d.RunOnce(ctx); err != nil {
		b.Fatal(err)
	}
	if n := got.Load(); n != int64(b.N)+1 {
		b.Fatalf("the receiver got %d notifications, want %d", n, b.N+1)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deliveries/s")
}

// BenchmarkServeAlertToWebhook measures, under mkr serve's background
// loop, the delay from an alert opening (a check report answered) to its
// webhook arriving, over 1,000 alerts opened 5 ms apart: p50-ms and
// p99-ms are the figures.
func BenchmarkServeAlertToWebhook(b *testing.B) {
	const alerts = 1000
	for range b.N {
		b.StopTimer()
		env := backendtest.New(b)
		var mu sync.Mutex
		arrived := map[string]time.Time{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			now := time.Now()
			mu.Lock()
			arrived[r.Header.Get(notify.DeliveryIDHeader)] = now
			mu.Unlock()
		}))
		createChannelB(b, env, `{"type":"webhook","name":"hook","url":"`+srv.URL+`","addToDefaultNotificationGroup":true}`)
		hosts := make([]string, alerts)
		for i := range hosts {
			hosts[i] = env.MustCreateHost(b, store.NewHost{Name: fmt.Sprintf("h%04d", i)})
		}
		ctx, cancel := context.WithCancel(context.Background())
		stop := env.Backend.StartMonitoringWith(ctx, backend.MonitoringOptions{Interval: time.Hour})
		b.StartTimer()

		opened := make([]time.Time, alerts)
		for i, h := range hosts {
			body := fmt.Sprintf(`{"reports":[{"source":{"type":"host","hostId":%q},"name":"disk","status":"CRITICAL","message":"full","occurredAt":%d,"maxCheckAttempts":1}]}`,
				h, env.Clock.Now().Unix())
			apiB(b, env, "POST", "/api/v0/monitoring/checks/report", body)
			opened[i] = time.Now()
			time.Sleep(5 * time.Millisecond)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			mu.Lock()
			n := len(arrived)
			mu.Unlock()
			if n >= alerts || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.StopTimer()
		cancel()
		stop()
		srv.Close()
		ds, err := env.Store.ListDeliveries(context.Background(), 2*alerts)
		if err != nil || len(ds) != alerts {
			b.Fatalf("%d deliveries, %v", len(ds), err)
		}
		var delays []float64
		for _, dl := range ds {
			at, ok := arrived[dl.ID]
			if !ok {
				b.Fatalf("delivery %s never arrived", dl.ID)
			}
			// Events are in host order: the nth delivery is the nth alert.
			delays = append(delays, float64(at.Sub(opened[dl.EventSeq-firstSeq(ds)]).Microseconds())/1000)
		}
		slices.Sort(delays)
		b.ReportMetric(delays[len(delays)/2], "p50-ms")
		b.ReportMetric(delays[len(delays)*99/100], "p99-ms")
	}
}

func firstSeq(ds []*store.Delivery) int64 {
	first := ds[0].EventSeq
	for _, d := range ds {
		first = min(first, d.EventSeq)
	}
	return first
}

func createChannelB(b *testing.B, env *backendtest.Env, body string) {
	b.Helper()
	apiB(b, env, "POST", "/api/v0/channels", body)
}

func apiB(b *testing.B, env *backendtest.Env, method, path, body string) {
	b.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	env.Handler.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("%s %s = %d %s", method, path, w.Code, w.Body)
	}
}
