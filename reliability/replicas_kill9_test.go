package reliability_test

// Two `mkr serve` processes on one PostgreSQL database; kill -9 of the one
// holding the monitoring lease in the middle of a `mkr throw` stream: the
// other keeps answering, takes the lease within its TTL (and the third
// of it that is its renewal period), and the throw resumed against it
// ends with every point stored exactly once.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestReplicasKill9DuringThrow(t *testing.T) {
	dsn := pgtest.DSN(t)
	const ttl = 2 * time.Second
	e := cmdtest.New(t)
	e.Vars["MKR_DB"] = dsn
	e.Vars[backend.LeaseTTLEnv] = ttl.String()
	if r := e.Exec("services", "create", "blog"); r.Code != 0 {
		t.Fatalf("services create: %s", r)
	}
	key := strings.TrimSpace(e.Exec("serve", "keys", "create", "--name", "throw").Stdout)
	st, err := postgres.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	holder := func() string {
		l, err := st.Lease(context.Background(), backend.MonitoringLease)
		if err != nil {
			t.Fatal(err)
		}
		if l == nil {
			return ""
		}
		return l.Holder
	}
	heldBy := func(p *cmdProc) bool { return strings.Contains(holder(), fmt.Sprintf(":%d:", p.Process.Pid)) }

	srvA, baseA := startServeBinary(t, e)
	for deadline := time.Now().Add(30 * time.Second); !heldBy(srvA); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the first replica did not take the monitoring lease (holder %q)", holder())
		}
	}
	srvB, baseB := startServeBinary(t, e)
	defer func() { srvB.Process.Kill(); srvB.Wait() }()

	const lines, series = 40000, 40
	start := time.Now().Add(-20 * time.Hour).Unix()
	var input strings.Builder
	for i := range lines {
		fmt.Fprintf(&input, "kill.m%d\t%d\t%d\n", i%series, i, start+int64(i/series))
	}
	inputPath := filepath.Join(t.TempDir(), "points.tsv")
	if err := os.WriteFile(inputPath, []byte(input.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var killed time.Time
	throw := func(base string, resume int) cmdtest.Result {
		// Small batches, so that the kill lands between two of them.
		args := []string{"--apibase", base, "throw", "-s", "blog", "--batch-size", "500"}
		if resume > 1 {
			args = append(args, "--resume-from", strconv.Itoa(resume))
		}
		cmd, out, errOut := e.Command(args...)
		cmd.Env = append(cmd.Env, "MACKEREL_APIKEY="+key)
		in, err := os.Open(inputPath)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		cmd.Stdin = in
		if base == baseA {
			// Fed slowly through a pipe, so that the throw is still
			// running when the replica dies.
			pr, pw := io.Pipe()
			cmd.Stdin = pr
			go func() {
				buf := make([]byte, 16<<10)
				for {
					n, err := in.Read(buf)
					if n > 0 {
						if _, werr := pw.Write(buf[:n]); werr != nil {
							return
						}
						time.Sleep(20 * time.Millisecond)
					}
					if err != nil {
						pw.Close()
						return
					}
				}
			}()
			defer pr.Close()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill well before the input ends (the feed takes 1.5 s and
			// more); by time, as a count of points would queue behind the
			// writes it measures.
			time.Sleep(600 * time.Millisecond)
			srvA.Process.Kill() // SIGKILL: no shutdown, the lease is not released
			killed = time.Now()
			srvA.Wait()
		}
		return cmdtest.Finish(t, cmd, out, errOut, 2*time.Minute)
	}

	first := throw(baseA, 1)
	if code := get(t, baseB, key); code != http.StatusOK {
		t.Fatalf("the surviving replica answered %d after the kill", code)
	}
	for !heldBy(srvB) {
		// Expiry at most ttl after the last renewal, plus the survivor's
		// renewal period, plus slack for a loaded machine.
		if time.Since(killed) > ttl+ttl/3+2*time.Second {
			t.Fatalf("the lease did not move to the surviving replica within %s of the kill (holder %q)", ttl+ttl/3, holder())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the lease moved %s after the kill", time.Since(killed).Round(time.Millisecond))

	m := regexp.MustCompile(`--resume-from (\d+) < file`).FindStringSubmatch(first.Stderr)
	if first.Code == 0 || m == nil {
		t.Fatalf("the kill did not stop the throw mid-way with a resume point:\n%s", first)
	}
	resume, _ := strconv.Atoi(m[1])
	if stored := count(t, st); stored < int64(resume-1) {
		t.Fatalf("%d points stored before the resume point %d: acknowledged points were lost", stored, resume)
	}
	t.Logf("killed mid-way: resume from line %d of %d", resume, lines)
	if r := throw(baseB, resume); r.Code != 0 {
		t.Fatalf("the throw resumed against the surviving replica failed:\n%s", r)
	}
	if n := count(t, st); n != lines {
		t.Fatalf("%d points stored; want exactly %d", n, lines)
	}
	for s := range series {
		pts, err := st.Points(context.Background(), store.ServiceSeries("blog", fmt.Sprintf("kill.m%d", s)), 0, 1<<40)
		if err != nil || len(pts) != lines/series {
			t.Fatalf("series %d: %d points, %v", s, len(pts), err)
		}
		for j, p := range pts {
			if i := j*series + s; p.Time != start+int64(j) || p.Value != float64(i) {
				t.Fatalf("series %d point %d = %+v; want line %d", s, j, p, i+1)
			}
		}
	}
}

func count(t *testing.T, st store.Store) int64 {
	t.Helper()
	n, err := st.CountPoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// get asks base for the services with key and returns the status.
func get(t *testing.T, base, key string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v0/services", nil)
	req.Header.Set("X-Api-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s/api/v0/services: %v", base, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
