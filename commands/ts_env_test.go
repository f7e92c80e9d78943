package commands

// Fixtures of the ts_* tests (issue #3: metrics, graph definitions, graph
// annotations). Every run is the real command tree in-process against the
// embedded backend on a temporary SQLite file; only the clock is fixed.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// tsNow is the clock of every ts_ run: a whole second, so epochs compare
// exactly.
var tsNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// tsEnv is one isolated installation: a database and a home directory.
// store is an open handle on the same file for seeding and inspection.
type tsEnv struct {
	tb    testing.TB
	dir   string
	db    string
	store *store.Store
}

func tsNewEnv(tb testing.TB) *tsEnv {
	tb.Helper()
	dir := tb.TempDir()
	e := &tsEnv{tb: tb, dir: dir, db: filepath.Join(dir, "mkr.db")}
	st, err := store.Open(context.Background(), e.db, store.Options{Now: func() time.Time { return tsNow }})
	if err != nil {
		tb.Fatalf("opening store: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("closing store: %v", err)
		}
	})
	e.store = st
	return e
}

// tsResult is what a person sees: exit code and both streams.
type tsResult struct {
	code           int
	stdout, stderr string
}

func (r tsResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// factory builds a Factory reading stdin from in (nil: empty).
func (e *tsEnv) factory(in io.Reader, env map[string]string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := TestIO()
	if in != nil {
		ios.In = in
	}
	vars := map[string]string{"MKR_DB": e.db, "HOME": filepath.Join(e.dir, "home")}
	for k, v := range env {
		vars[k] = v
	}
	f := NewFactory(ios, func(k string) string { return vars[k] })
	f.BackendOpener = testBackendOpener
	f.Now = func() time.Time { return tsNow }
	f.Location = time.UTC
	f.Version, f.Revision = "0.0.0-ts", "ts"
	return f, out, errOut
}

// runIn runs `mkr args...` with stdin from in.
func (e *tsEnv) runIn(in io.Reader, args ...string) tsResult {
	e.tb.Helper()
	f, out, errOut := e.factory(in, nil)
	code := Run(context.Background(), f, append([]string{"mkr"}, args...))
	return tsResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// run runs `mkr args...` with stdin holding stdin.
func (e *tsEnv) run(stdin string, args ...string) tsResult {
	e.tb.Helper()
	return e.runIn(strings.NewReader(stdin), args...)
}

// mustRun runs args with empty stdin, requires exit 0 and returns stdout.
func (e *tsEnv) mustRun(args ...string) string {
	e.tb.Helper()
	r := e.run("", args...)
	if r.code != 0 {
		e.tb.Fatalf("mkr %s:\n%s", strings.Join(args, " "), r)
	}
	return r.stdout
}

// host stores a working host and returns its id.
func (e *tsEnv) host(name string) string {
	e.tb.Helper()
	id, err := e.store.CreateHost(context.Background(), store.NewHost{Name: name, Status: "working"})
	if err != nil {
		e.tb.Fatalf("creating host %s: %v", name, err)
	}
	return id
}

// service stores a service with roles.
func (e *tsEnv) service(name string, roles ...string) {
	e.tb.Helper()
	ctx := context.Background()
	if _, err := e.store.CreateService(ctx, name, ""); err != nil {
		e.tb.Fatalf("creating service %s: %v", name, err)
	}
	for _, r := range roles {
		if _, err := e.store.CreateRole(ctx, name, r, ""); err != nil {
			e.tb.Fatalf("creating role %s:%s: %v", name, r, err)
		}
	}
}

// count returns how many points the database holds.
func (e *tsEnv) count() int64 {
	e.tb.Helper()
	n, err := e.store.CountPoints(context.Background())
	if err != nil {
		e.tb.Fatalf("counting points: %v", err)
	}
	return n
}

// points returns a series' points over all time.
func (e *tsEnv) points(k store.SeriesKey) []store.Point {
	e.tb.Helper()
	p, err := e.store.Points(context.Background(), k, 0, 1<<62)
	if err != nil {
		e.tb.Fatalf("reading %v: %v", k, err)
	}
	return p
}

// tsWriteLines writes n lines "<prefix><i%series> <value> <epoch>" to w,
// spread over the 24 hours before end, and closes w. Values are i, so any
// lost or misplaced point changes the checked sum.
func tsWriteLines(w io.WriteCloser, n, series int, prefix string, end time.Time) error {
	buf := make([]byte, 0, 64*1024)
	first := end.Add(-24 * time.Hour).Unix()
	perSeries := (n + series - 1) / series
	step := max(int64(86000/max(perSeries, 1)), 1)
	for i := 0; i < n; i++ {
		buf = append(buf, prefix...)
		buf = strconv.AppendInt(buf, int64(i%series), 10)
		buf = append(buf, '\t')
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, '\t')
		buf = strconv.AppendInt(buf, first+200+int64(i/series)*step, 10)
		buf = append(buf, '\n')
		if len(buf) > 60*1024 {
			if _, err := w.Write(buf); err != nil {
				w.Close()
				return err
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// tsBuildMkr builds cmd/mkr (without -race, whatever the test's flags) into
// a temporary directory and returns the binary's path.
func tsBuildMkr(tb testing.TB) string {
	tb.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("no go command to build mkr with")
	}
	bin := filepath.Join(tb.TempDir(), "mkr")
	cmd := exec.Command(goBin, "build", "-o", bin, "github.com/mkr-dev/mkr/cmd/mkr")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// procEnv is the environment of an mkr process on e's database: nothing
// from the test's environment but PATH, so no API key leaks in.
func (e *tsEnv) procEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(e.dir, "home"), "MKR_DB=" + e.db}, extra...)
}
