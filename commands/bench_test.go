package commands_test

// Process-level benchmarks for the figures: `mkr hosts` over 10,000
// hosts in local mode and through `mkr serve` on loopback (ns/op is the wall
// time of one whole `mkr hosts` process), the binary size, and a baseline
// process start so figures can be given as ratios. They only run with -bench.
//
// The binary and the seeded database are built once per test process and
// shared by the benchmarks; they live in a temp directory named after the
// process id, which the next run removes once that process is gone.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

const benchHostCount = 10000

type benchFixture struct {
	dir     string
	bin     string // the mkr binary
	binSize int64
	db      string // database seeded with benchHostCount hosts
}

var (
	benchOnce sync.Once
	benchFix  *benchFixture
	benchErr  error
)

// benchSetup returns the shared fixture, building it on first use.
func benchSetup(b *testing.B) *benchFixture {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchFix, benchErr = newBenchFixture()
		if benchErr == nil {
			b.Logf("built mkr (%d bytes) and seeded %d hosts in %v", benchFix.binSize, benchHostCount, time.Since(start))
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFix
}

func newBenchFixture() (*benchFixture, error) {
	benchSweepStale()
	dir, err := os.MkdirTemp("", fmt.Sprintf("mkr-bench-%d-", os.Getpid()))
	if err != nil {
		return nil, err
	}
	f := &benchFixture{dir: dir, bin: filepath.Join(dir, "mkr"), db: filepath.Join(dir, "hosts.db")}
	if runtime.GOOS == "windows" {
		f.bin += ".exe"
	}
	if err := benchBuild(f.bin); err != nil {
		return nil, err
	}
	fi, err := os.Stat(f.bin)
	if err != nil {
		return nil, err
	}
	f.binSize = fi.Size()
	if err := benchSeed(f.db, benchHostCount); err != nil {
		return nil, err
	}
	// Check once that the listing is complete and realistic.
	out, err := benchRun(f.bin, f.localEnv(), "hosts")
	if err != nil {
		return nil, err
	}
	if err := benchCheckHosts(out); err != nil {
		return nil, fmt.Errorf("local mkr hosts: %w", err)
	}
	return f, nil
}

// benchModuleRoot finds go.mod above the test's working directory.
func benchModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// benchBuild builds ./cmd/mkr as `make build` does (static, -trimpath), so
// binary-bytes is the size of what ships.
func benchBuild(out string) error {
	root, err := benchModuleRoot()
	if err != nil {
		return err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goTool, "build", "-trimpath", "-o", out, "./cmd/mkr")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/mkr: %v\n%s", err, msg)
	}
	return nil
}

// benchSeed registers n hosts of backendtest's benchmark fleet in the
// database at path.
func benchSeed(path string, n int) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	if err := backendtest.SeedFleet(ctx, st, n); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}

// benchBaseEnv is a minimal environment: no inherited MACKEREL_APIKEY,
// DEBUG or MKR_* can change what is measured.
func (f *benchFixture) benchBaseEnv() []string {
	home := filepath.Join(f.dir, "home")
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"), "MKR_DB=" + f.db}
}

// localEnv forces local mode even if an agent config with a key exists.
func (f *benchFixture) localEnv() []string {
	return append(f.benchBaseEnv(), "MKR_LOCAL=1")
}

// benchRun runs the binary and returns its stdout.
func benchRun(bin string, env []string, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("mkr %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// benchCheckHosts checks `mkr hosts` JSON output lists every seeded host
// with its roles and addresses.
func benchCheckHosts(out []byte) error {
	var hosts []struct {
		Name          string            `json:"name"`
		RoleFullnames []string          `json:"roleFullnames"`
		IPAddresses   map[string]string `json:"ipAddresses"`
	}
	if err := json.Unmarshal(out, &hosts); err != nil {
		return fmt.Errorf("output is not a JSON host list: %v (%.200s)", err, out)
	}
	if len(hosts) != benchHostCount {
		return fmt.Errorf("listed %d hosts, want %d", len(hosts), benchHostCount)
	}
	h := hosts[0]
	if h.Name != "host-00000.example.internal" || len(h.RoleFullnames) != 2 || h.IPAddresses["eth0"] != "10.0.0.0" {
		return fmt.Errorf("first host is %+v", h)
	}
	return nil
}

// benchExecLoop runs `bin args…` once per iteration, draining stdout.
// b.Loop resets user metrics on entry: report them after it.
func benchExecLoop(b *testing.B, bin string, env []string, args ...string) {
	b.Helper()
	var stderr bytes.Buffer
	for b.Loop() {
		stderr.Reset()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Stdout = io.Discard
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.Bytes())
		}
	}
}

// BenchmarkHostsProcessLocal: one `mkr hosts` process over 10,000 hosts in
// local mode (opens the database, lists in-process, prints JSON).
func BenchmarkHostsProcessLocal(b *testing.B) {
	f := benchSetup(b)
	benchExecLoop(b, f.bin, f.localEnv(), "hosts")
	b.ReportMetric(float64(f.binSize), "binary-bytes")
}

// BenchmarkHostsProcessServe: one `mkr hosts` process listing 10,000 hosts
// from a `mkr serve` on loopback (started once per benchmark run).
func BenchmarkHostsProcessServe(b *testing.B) {
	f := benchSetup(b)
	base := benchStartServe(b, f)
	env := append(f.benchBaseEnv(), "MACKEREL_APIKEY=bench-key")
	out, err := benchRun(f.bin, env, "hosts", "--apibase", base)
	if err != nil {
		b.Fatal(err)
	}
	if err := benchCheckHosts(out); err != nil {
		b.Fatalf("remote mkr hosts: %v", err)
	}
	benchExecLoop(b, f.bin, env, "hosts", "--apibase", base)
	b.ReportMetric(float64(f.binSize), "binary-bytes")
}

// BenchmarkProcessBaselineTrue: the cost of starting any process.
func BenchmarkProcessBaselineTrue(b *testing.B) {
	bin, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true(1) on this system")
	}
	benchExecLoop(b, bin, nil)
}

// BenchmarkProcessBaselineVersion: the cost of starting mkr itself
// (runtime and package init, CLI parsing) without touching a database.
func BenchmarkProcessBaselineVersion(b *testing.B) {
	f := benchSetup(b)
	benchExecLoop(b, f.bin, f.benchBaseEnv(), "--version")
	b.ReportMetric(float64(f.binSize), "binary-bytes")
}

// benchStartServe starts `mkr serve` on a free loopback port, waits until it
// answers and stops it when the benchmark ends. It returns the API base.
func benchStartServe(b *testing.B, f *benchFixture) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var stderr benchSyncBuffer
	cmd := exec.Command(f.bin, "serve", "--listen", addr)
	cmd.Env = f.benchBaseEnv()
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	b.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})

	base := "http://" + addr
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			b.Fatalf("mkr serve exited early: %v\n%s", err, stderr.String())
		default:
		}
		resp, err := hc.Get(base + "/api/v0/org")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("mkr serve did not answer on %s within 15s (last: %v)\n%s", addr, err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type benchSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *benchSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *benchSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// benchSweepStale removes fixtures left by earlier test processes that have
// exited (a package-level fixture cannot be removed at exit without a
// TestMain).
func benchSweepStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "mkr-bench-*"))
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(d), "mkr-bench-%d-", &pid); err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if !benchProcessGone(pid) {
			continue
		}
		os.RemoveAll(d)
	}
}

func benchProcessGone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}
