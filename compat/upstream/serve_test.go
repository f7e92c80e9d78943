package upstream_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/commands"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// apiKey is the key `mkr serve` accepts in these tests.
const apiKey = "compat-test-key"

var servingRe = regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)

// startServe runs `mkr serve --api-key` in-process on the Env's database
// and clock, on a free loopback port, until the test ends; it returns the
// base URL.
func startServe(t *testing.T, e *cmdtest.Env) string {
	t.Helper()
	f, _, errOut := e.Factory(cmdtest.RunOpts{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- commands.Run(ctx, f, []string{"mkr", "--conf", e.Conf, "serve", "--listen", "127.0.0.1:0", "--api-key", apiKey})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("mkr serve did not stop within 30s")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingRe.FindStringSubmatch(errOut.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("mkr serve exited %d before listening:\n%s", code, errOut)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("mkr serve did not listen within 30s:\n%s", errOut)
	return ""
}

// remoteClient is mkr's client on the served API (to wait for state).
func remoteClient(t *testing.T, base string) *client.Client {
	t.Helper()
	c, err := client.New(client.Options{BaseURL: base, APIKey: apiKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runUpstream runs upstream mkr against base in dir: a pipe for stdout and
// stderr, TERM=dumb (upstream colours its log lines even in a pipe
// otherwise; mkr colours them only on a terminal), times in UTC like the
// Env's.
func runUpstream(t *testing.T, e *cmdtest.Env, dir, base string, args ...string) cmdtest.Result {
	t.Helper()
	cmd := exec.Command(upstreamMkr.binary(t), append([]string{"--conf", e.Conf, "--apibase", base}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + e.Vars["HOME"], "TZ=UTC", "TERM=dumb", "MACKEREL_APIKEY=" + apiKey}
	cmd.Dir = dir
	out, errOut := &cmdtest.Buffer{}, &cmdtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	return cmdtest.Finish(t, cmd, out, errOut, time.Minute)
}

// runOurs runs our mkr in-process in remote mode against base.
func runOurs(t *testing.T, e *cmdtest.Env, base string, args ...string) cmdtest.Result {
	t.Helper()
	return e.RunRemote(base, apiKey, cmdtest.RunOpts{}, args...)
}

// sameResult fails unless both runs printed the same bytes and exited
// alike. dirs (upstream's, ours) are replaced by DIR in stderr first.
func sameResult(t *testing.T, what string, up, ours cmdtest.Result, dirs ...string) {
	t.Helper()
	if len(dirs) == 2 {
		up.Stderr = strings.ReplaceAll(up.Stderr, dirs[0], "DIR")
		ours.Stderr = strings.ReplaceAll(ours.Stderr, dirs[1], "DIR")
	}
	if up.Code != ours.Code || up.Stdout != ours.Stdout || up.Stderr != ours.Stderr {
		t.Errorf("%s differs from upstream mkr %s:\nupstream:\n%s\nours:\n%s", what, upstreamMkr.version, up, ours)
	}
}

// sameFile fails unless the two files hold the same bytes.
func sameFile(t *testing.T, what, upPath, ourPath string) {
	t.Helper()
	up, err := os.ReadFile(upPath)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(ourPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(up) != string(ours) {
		t.Errorf("%s differs from upstream mkr %s:\nupstream:\n%s\nours:\n%s", what, upstreamMkr.version, up, ours)
	}
}

// workDirs are a directory for each side's files.
func workDirs(t *testing.T) (up, ours string) {
	t.Helper()
	root := t.TempDir()
	up, ours = filepath.Join(root, "upstream"), filepath.Join(root, "ours")
	for _, d := range []string{up, ours} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return up, ours
}
