package reliability_test

// kill -9 of `mkr serve` in the middle of a remote `mkr throw`, in a loop:
// every time, the database is intact, every input line before the resume
// point throw reports is stored, and resuming from it completes the data.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// kill9Rounds is how many kills CI does; MKR_KILL9_ROUNDS asks for more.
func kill9Rounds() int {
	if n, err := strconv.Atoi(os.Getenv("MKR_KILL9_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

func TestKill9DuringThrow(t *testing.T) {
	e := cmdtest.New(t)
	created := e.Exec("services", "create", "blog") // local mode, on the database serve will use
	if created.Code != 0 {
		t.Fatalf("services create: %s", created)
	}
	key := strings.TrimSpace(e.Exec("serve", "keys", "create", "--name", "throw").Stdout)

	// 60,000 points over 50 series, all within the back-fill window.
	const lines, series = 60000, 50
	start := time.Now().Add(-20 * time.Hour).Unix()
	var input strings.Builder
	for i := range lines {
		fmt.Fprintf(&input, "kill.m%d\t%d\t%d\n", i%series, i, start+int64(i/series))
	}
	inputPath := filepath.Join(t.TempDir(), "points.tsv")
	if err := os.WriteFile(inputPath, []byte(input.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	resume, advanced := 1, 0
	resumeRe := regexp.MustCompile(`resume with: mkr throw .* --resume-from (\d+) < file`)
	for round := 0; ; round++ {
		srv, base := startServeBinary(t, e)
		args := []string{"--apibase", base, "throw", "-s", "blog"}
		if resume > 1 {
			args = append(args, "--resume-from", strconv.Itoa(resume))
		}
		cmd, out, errOut := e.Command(args...)
		cmd.Env = append(cmd.Env, "MACKEREL_APIKEY="+key)
		in, err := os.Open(inputPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdin = in
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killed := round < kill9Rounds()
		if killed {
			// Kill once a random share of what is left has been stored,
			// so each round stops the server mid-way.
			stored := countPoints(t, e.DBPath())
			target := stored + int64(float64(lines+1-resume)*(0.1+0.6*rand.Float64()))
			for deadline := time.Now().Add(time.Minute); countPoints(t, e.DBPath()) < target && time.Now().Before(deadline); {
				time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
			}
			srv.Process.Kill() // SIGKILL: no shutdown at all
			srv.Wait()
		}
		res := cmdtest.Finish(t, cmd, out, errOut, 2*time.Minute)
		in.Close()
		if !killed {
			if res.Code != 0 {
				t.Fatalf("the last throw failed:\n%s", res)
			}
			// Kills land once points are stored, so some round must have
			// stopped mid-way with a resume point past its start (a round
			// whose first batch failed resumes where it began).
			if advanced == 0 {
				t.Fatalf("no round resumed past its start: the kills did not land mid-way")
			}
			srv.Process.Kill()
			srv.Wait()
			checkStored(t, e.DBPath(), start, series, lines+1)
			return
		}
		if res.Code == 0 {
			// The server died after the last batch: everything is stored.
			checkStored(t, e.DBPath(), start, series, lines+1)
			return
		}
		m := resumeRe.FindStringSubmatch(res.Stderr)
		if m == nil {
			t.Fatalf("round %d: throw failed without a resume point:\n%s", round, res)
		}
		next, _ := strconv.Atoi(m[1])
		if next < resume {
			t.Fatalf("round %d: resume point %d is before the start %d", round, next, resume)
		}
		checkStored(t, e.DBPath(), start, series, next)
		if next > resume {
			advanced++
		}
		t.Logf("round %d: killed; resume from line %d", round, next)
		resume = next
	}
}

// startServeBinary starts `mkr serve` as a process on the Env's database
// and returns it with its base URL.
func startServeBinary(t *testing.T, e *cmdtest.Env) (*cmdProc, string) {
	t.Helper()
	cmd, _, errOut := e.Command("serve", "--listen", "127.0.0.1:0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := regexp.MustCompile(` on (http://127\.0\.0\.1:\d+)\n`)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(errOut.String()); m != nil {
			return &cmdProc{cmd.Process, cmd.Wait}, m[1]
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("mkr serve did not listen: %s", errOut.String())
		}
	}
}

type cmdProc struct {
	Process *os.Process
	Wait    func() error
}

// checkStored opens the database (no server holds it), checks its
// integrity, and checks that every input line before `before` is stored
// with its value.
func checkStored(t *testing.T, path string, start int64, series, before int) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatalf("opening the database after kill -9: %v", err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("integrity after kill -9: %v", err)
	}
	got := map[int]map[int64]float64{}
	for s := range series {
		pts, err := st.Points(context.Background(), store.ServiceSeries("blog", fmt.Sprintf("kill.m%d", s)), 0, 1<<40)
		if _, missing := store.IsKind(err, store.KindNotFound); missing {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got[s] = map[int64]float64{}
		for _, p := range pts {
			got[s][p.Time] = p.Value
		}
	}
	for line := 1; line < before; line++ {
		i := line - 1
		v, ok := got[i%series][start+int64(i/series)]
		if !ok || v != float64(i) {
			t.Fatalf("line %d (before the resume point %d) is not stored (value %v, present %v)", line, before, v, ok)
		}
	}
}

// countPoints counts the stored points through a second connection (WAL
// lets it read while serve writes).
func countPoints(t *testing.T, path string) int64 {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountPoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
