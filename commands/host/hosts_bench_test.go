package host_test

// Listing speed (issue #14): `mkr hosts` over 10,000 hosts with agent meta
// (~28 KB each), one whole process per iteration, side by side in one run:
//
//   - local:    mkr hosts on the database (local mode, in-process backend);
//   - serve:    mkr hosts against `mkr serve` on loopback (the in-repo
//     baseline, always run);
//   - upstream: upstream mkr v0.65.0 against the same `mkr serve` — skipped
//     with a message unless `make compat` has built it into the user cache
//     (building it costs minutes, which a benchmark run must not pay).
//
// Each form is measured for the default view, -v and the filters. The
// fixture first checks that local and upstream print the same bytes. The
// target is local ≤ 0.5 × upstream (the local/upstream metric). The seeded
// database (~300 MB) is cached in the user cache dir (mkr-bench/).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

const (
	listingHosts  = 10000
	listingAPIKey = "bench-listing-key"
)

// listingForms are the `mkr hosts` invocations measured.
var listingForms = []struct {
	name string
	args []string
}{
	{"default", nil},
	{"verbose", []string{"-v"}},
	{"service", []string{"--service", "service-03"}},
	{"role", []string{"--service", "service-03", "--role", "role-3"}},
	{"status", []string{"--status", "maintenance", "--status", "working"}},
}

type listingFixture struct {
	dir      string
	mkr      string // this module's binary
	upstream string // upstream mkr, "" when not built
	db       string
	serve    string // API base of `mkr serve` on db
	stop     func()
}

var (
	listingOnce sync.Once
	listingFix  *listingFixture
	listingErr  error
)

// upstreamMkrBinary is where `make compat` caches upstream mkr v0.65.0.
// TestMain removes the listing fixture (a 300 MB database and a running
// `mkr serve`) when the benchmarks built it.
func TestMain(m *testing.M) {
	code := m.Run()
	if listingFix != nil {
		listingFix.close()
	}
	os.Exit(code)
}

func (f *listingFixture) close() {
	if f.stop != nil {
		f.stop()
	}
	os.RemoveAll(f.dir)
}

func upstreamMkrBinary() string {
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	path := filepath.Join(cache, "mkr-compat", "github.com_mackerelio_mkr@v0.65.0", "mkr")
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
}

func listingSetup(b *testing.B) *listingFixture {
	b.Helper()
	mkr := cmdtest.Binary(b)
	listingOnce.Do(func() {
		start := time.Now()
		listingFix, listingErr = newListingFixture(mkr)
		if listingErr == nil {
			b.Logf("seeded %d agent hosts and started mkr serve in %v", listingHosts, time.Since(start))
		}
	})
	if listingErr != nil {
		b.Fatal(listingErr)
	}
	return listingFix
}

func newListingFixture(mkr string) (*listingFixture, error) {
	dir, err := os.MkdirTemp("", "mkr-bench-listing-")
	if err != nil {
		return nil, err
	}
	f := &listingFixture{dir: dir, mkr: mkr, upstream: upstreamMkrBinary(), db: filepath.Join(dir, "hosts.db")}
	if err := f.seed(); err != nil {
		f.close()
		return nil, err
	}
	if f.serve, f.stop, err = startListingServe(f); err != nil {
		f.close()
		return nil, err
	}
	// The speed only counts if the bytes are upstream's.
	if f.upstream != "" {
		for _, form := range listingForms {
			local, err := f.run(f.mkr, "local", form.args)
			if err != nil {
				f.close()
				return nil, err
			}
			up, err := f.run(f.upstream, "serve", form.args)
			if err != nil {
				f.close()
				return nil, err
			}
			if !bytes.Equal(local, up) {
				f.close()
				return nil, fmt.Errorf("mkr hosts %s: local output (%d bytes) differs from upstream's (%d bytes) at byte %d",
					strings.Join(form.args, " "), len(local), len(up), firstDiff(local, up))
			}
		}
	}
	return f, nil
}

// listingFleetVersion names the seeded fleet in the cache: change it when
// seedAgentFleet changes.
const listingFleetVersion = 1

// seed copies the seeded fleet from the user cache, seeding it there
// first when missing (about half a minute on an idle machine, minutes on
// a busy one), and opens the copy once so it is migrated before anything
// is timed.
func (f *listingFixture) seed() error {
	cache, err := os.UserCacheDir()
	if err != nil {
		return err
	}
	dir := filepath.Join(cache, "mkr-bench")
	cached := filepath.Join(dir, fmt.Sprintf("agent-hosts-%d-v%d.db", listingHosts, listingFleetVersion))
	if _, err := os.Stat(cached); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		tmp := filepath.Join(f.dir, "seeding.db")
		if err := seedAgentFleetFile(tmp); err != nil {
			return err
		}
		if err := copyFile(tmp, cached+".tmp"); err != nil {
			return err
		}
		if err := os.Rename(cached+".tmp", cached); err != nil {
			return err
		}
		os.Remove(tmp)
	}
	if err := copyFile(cached, f.db); err != nil {
		return err
	}
	st, err := sqlite.Open(context.Background(), f.db, store.Options{})
	if err != nil {
		return err
	}
	return st.Close()
}

func seedAgentFleetFile(path string) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	if err := seedAgentFleet(ctx, st, listingHosts); err != nil {
		st.Close()
		return err
	}
	return st.Close() // checkpoints: the file alone holds the database
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// env is the environment of a listing process: nothing inherited but PATH,
// UTC, and either the database (local) or the served API and its key.
func (f *listingFixture) env(mode string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(f.dir, "home"), "TZ=UTC", "TERM=dumb"}
	if mode == "local" {
		return append(env, "MKR_DB="+f.db, "MKR_LOCAL=1")
	}
	return append(env, "MACKEREL_APIKEY="+listingAPIKey)
}

func (f *listingFixture) argv(mode string, args []string) []string {
	if mode == "local" {
		return append([]string{"hosts"}, args...)
	}
	return append([]string{"--apibase", f.serve, "hosts"}, args...)
}

// run runs one listing and returns its stdout.
func (f *listingFixture) run(bin, mode string, args []string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, f.argv(mode, args)...)
	cmd.Env = f.env(mode)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", bin, strings.Join(f.argv(mode, args), " "), err, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// startListingServe runs `mkr serve` on db on a free loopback port.
func startListingServe(f *listingFixture) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(f.mkr, "serve", "--listen", addr, "--api-key", listingAPIKey)
	cmd.Env = append(f.env("local"), "MKR_LOCAL=")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	base := "http://" + addr
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			return base, stop, nil
		}
	}
	stop()
	return "", nil, fmt.Errorf("mkr serve did not listen on %s within 15s", addr)
}

// BenchmarkHostsListing measures, for each form, one `mkr hosts` process
// per mode in every iteration, the modes taking turns: on a shared machine
// whose load changes from second to second, only turns make the ratios
// fair. It reports each mode's wall time per listing (local-ms, serve-ms,
// upstream-ms) and the ratios local/upstream (the target: ≤ 0.5) and
// local/serve.
func BenchmarkHostsListing(b *testing.B) {
	f := listingSetup(b)
	if f.upstream == "" {
		b.Log("upstream mkr v0.65.0 is not built: run `make compat` once to build it into the user cache; measuring local and serve only")
	}
	for _, form := range listingForms {
		b.Run(form.name, func(b *testing.B) {
			modes := []struct{ name, bin, mode string }{{"local", f.mkr, "local"}, {"serve", f.mkr, "serve"}}
			if f.upstream != "" {
				modes = append(modes, struct{ name, bin, mode string }{"upstream", f.upstream, "serve"})
			}
			spent := make([]time.Duration, len(modes))
			var stderr bytes.Buffer
			n := 0
			for b.Loop() {
				n++
				for i, m := range modes {
					argv := f.argv(m.mode, form.args)
					stderr.Reset()
					cmd := exec.Command(m.bin, argv...)
					cmd.Env = f.env(m.mode)
					cmd.Stdout, cmd.Stderr = io.Discard, &stderr
					start := time.Now()
					if err := cmd.Run(); err != nil {
						b.Fatalf("%s %s: %v\n%s", m.name, strings.Join(argv, " "), err, stderr.Bytes())
					}
					spent[i] += time.Since(start)
				}
			}
			ms := func(i int) float64 { return float64(spent[i].Milliseconds()) / float64(n) }
			for i, m := range modes {
				b.ReportMetric(ms(i), m.name+"-ms")
			}
			b.ReportMetric(ms(0)/ms(1), "local/serve")
			if len(modes) == 3 {
				b.ReportMetric(ms(0)/ms(2), "local/upstream")
			}
		})
	}
}
