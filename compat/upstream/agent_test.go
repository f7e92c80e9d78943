package upstream_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestAgentAgainstServe runs the real mackerel-agent against mkr serve: it
// registers its host, posts the host's metrics, and once it is stopped and
// ten minutes pass without data, the connectivity monitor alerts (the
// complaint of issue #9). Serve's clock starts at the real time, as the
// agent stamps its points with it, and is moved on by hand afterwards.
func TestAgentAgainstServe(t *testing.T) {
	agent := upstreamAgent.binary(t)
	e := cmdtest.New(t)
	e.Clock.Set(time.Now().Truncate(time.Second))
	base := startServe(t, e)
	api := remoteClient(t, base)
	ctx := context.Background()
	var conn client.Monitor
	if err := json.Unmarshal([]byte(`{"type":"connectivity","name":"connectivity"}`), &conn); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateMonitor(ctx, &conn); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	conf := filepath.Join(dir, "mackerel-agent.conf")
	// cloud_platform = "none": the agent must not probe cloud metadata
	// addresses (only loopback is ours to talk to).
	body := fmt.Sprintf("apikey = %q\napibase = %q\nroot = %q\npidfile = %q\ncloud_platform = \"none\"\nverbose = true\n",
		apiKey, base, root, filepath.Join(dir, "agent.pid"))
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(agent, "-conf", conf)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	cmd.Dir = dir
	out := &cmdtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	})

	// Registration writes the host id file at once. The first metrics take
	// a minute: the agent's first collection waits for its rate generators
	// (cpu, disk, interface), which sample twice, 60 s apart.
	idFile := filepath.Join(root, "id")
	hostID := ""
	var names []string
	waitFor(t, 150*time.Second, out, "the agent to register and post metrics", func() bool {
		if hostID == "" {
			b, err := os.ReadFile(idFile)
			if err != nil {
				return false
			}
			hostID = strings.TrimSpace(string(b))
		}
		var err error
		names, err = api.ListHostMetricNames(ctx, hostID)
		return err == nil && slices.Contains(names, "loadavg5") && slices.Contains(names, "memory.used")
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the agent exited with %v:\n%s", err, out)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the agent did not stop within 60s of SIGTERM:\n%s", out)
	}

	h, err := api.FindHost(ctx, hostID)
	if err != nil {
		t.Fatal(err)
	}
	hostname, _ := os.Hostname()
	if h.Name != hostname || h.Status != "working" {
		t.Errorf("registered host: name %q status %q, want %q working", h.Name, h.Status, hostname)
	}
	latest, err := api.FetchLatestMetricValues(ctx, []string{hostID}, []string{"loadavg5"})
	if err != nil {
		t.Fatal(err)
	}
	if p := latest[hostID]["loadavg5"]; p == nil || p.Time < e.Clock.Now().Add(-time.Minute).Unix() {
		t.Errorf("latest loadavg5 of the agent's host: %+v, want a point from the last minute", p)
	}
	t.Logf("the agent posted %d metric names: %s", len(names), strings.Join(names, " "))

	// The agent is gone: ten minutes later its host is unreachable.
	e.Clock.Advance(11 * time.Minute)
	waitFor(t, 60*time.Second, out, "a connectivity alert for the agent's host", func() bool {
		page, err := api.FindAlerts(ctx, false, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(page.Alerts, func(a *client.Alert) bool {
			return a.Type == "connectivity" && a.HostID == hostID && a.Status == "CRITICAL"
		})
	})
}

// waitFor polls ok until it holds or within passes (serve evaluates on a
// real ticker, the agent posts on its own schedule).
func waitFor(t *testing.T, within time.Duration, log *cmdtest.Buffer, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; agent output:\n%s", within, what, log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
