package backend_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// TestPromWriteFromPrometheus runs a real Prometheus (Debian's package;
// the test is skipped without it, as in CI) that scrapes itself and
// remote-writes to the backend served with keys, authenticating with a
// bearer token; its own series must arrive as metrics of the host whose
// custom identifier is its instance, and of the ?service= fallback for a
// series relabelled to an instance that names no host.
func TestPromWriteFromPrometheus(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus is not on PATH (apt-get install prometheus): skipping remote write from a real Prometheus")
	}
	if testing.Short() {
		t.Skip("-short: skipping the run of a real Prometheus")
	}
	t.Parallel()
	env := backendtest.NewWithOptions(t, backendtest.Options{Start: time.Now()})
	env.MustCreateService(t, "prom")
	ctx := context.Background()
	_, key, err := env.Backend.CreateAPIKey(ctx, "prometheus", false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(env.Backend.AuthorizedHandler(auth.Config{}))
	t.Cleanup(srv.Close)

	instance := freeLoopbackAddr(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "prometheus-server", CustomIdentifier: instance})
	dir := t.TempDir()
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: [%q]
remote_write:
  - url: %s/api/v1/write?service=prom
    authorization:
      credentials: %q
    queue_config:
      batch_send_deadline: 1s
    write_relabel_configs:
      # one series to an instance that names no host: the service fallback
      - source_labels: [__name__]
        regex: prometheus_build_info
        target_label: instance
        replacement: elsewhere:1
`, instance, srv.URL, key)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+instance)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	hostUp := store.HostSeries(host, "custom.up.job_prometheus")
	build := "prometheus_build_info." // its labels (version, …) follow
	deadline := time.Now().Add(90 * time.Second)
	for {
		pts, _ := env.Store.Points(ctx, hostUp, 0, math.MaxInt64)
		names, _ := env.Store.MetricNames(ctx, "service", "prom")
		i := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(n, build) })
		if len(pts) > 0 && i >= 0 {
			if pts[len(pts)-1].Value != 1 {
				t.Errorf("up = %v, want 1", pts)
			}
			if want := "instance_elsewhere_1.job_prometheus"; !strings.Contains(names[i], want) {
				t.Errorf("service metric %q does not name the relabelled instance (%s)", names[i], want)
			}
			break
		}
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			hostNames, _ := env.Store.MetricNames(ctx, "host", host)
			t.Fatalf("no up on the host and no build info on the service within 90 s (host metrics %d, service metrics %v); prometheus said:\n%s",
				len(hostNames), names, out.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
	hostNames, err := env.Store.MetricNames(ctx, "host", host)
	if err != nil || !slices.ContainsFunc(hostNames, func(n string) bool { return strings.HasPrefix(n, "custom.prometheus_") }) {
		t.Errorf("host metrics %v (%v): want prometheus_* series folded under custom.", hostNames, err)
	}
}

// freeLoopbackAddr returns a loopback address with a port free a moment
// ago, for a child process to listen on.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
