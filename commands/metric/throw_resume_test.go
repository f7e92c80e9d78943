package metric_test

// throw against a remote API that fails one batch while later ones are
// stored (#12 item 2): the exact resume point, and --resume-from.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// failOneBatch answers 500 (Retry-After: 0, so the client's own retries
// come at once and fail too) to every tsdb request whose body contains
// marker, but only after `others` other tsdb requests have been answered:
// so the batches after the failed one are stored first, deterministically.
func failOneBatch(t *testing.T, marker string, others int) func(http.Handler) http.Handler {
	var mu sync.Mutex
	answered := 0
	ready := make(chan struct{})
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Error(err)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if !strings.HasSuffix(r.URL.Path, "/tsdb") {
				next.ServeHTTP(w, r)
				return
			}
			if strings.Contains(string(body), marker) {
				select {
				case <-ready:
				case <-time.After(10 * time.Second):
					t.Errorf("the other %d batches never arrived", others)
				}
				w.Header().Set("Retry-After", "0")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `{"error":{"message":"Database on fire."}}`)
				return
			}
			next.ServeHTTP(w, r)
			mu.Lock()
			answered++
			if answered == others {
				close(ready)
			}
			mu.Unlock()
		})
	}
}

// resumeInput: nine lines in four batches of two values (--batch-size 2):
// lines 1-3 (line 2 malformed), 4-5, 6-7, 8-9, then a comment.
func resumeInput() string {
	var b strings.Builder
	for i := 1; i <= 9; i++ {
		if i == 2 {
			b.WriteString("bad\n")
			continue
		}
		fmt.Fprintf(&b, "m %d %d\n", i, hourAgo+int64(i))
	}
	b.WriteString("# end\n")
	return b.String()
}

// TestThrowRemoteFailureResumePoint: the batch of lines 4-5 fails while
// the three others (in flight at the same time) are stored. throw exits 1
// and names line 4 as the resume point, not "after 6 values" (which would
// skip lines 4-5); --resume-from 4 then completes the series exactly.
func TestThrowRemoteFailureResumePoint(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t)
			e.SeedService("blog")
			api := e.StartAPIWith(failOneBatch(t, `"value":4}`, 3))
			r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{TTY: tty, Stdin: resumeInput()},
				"throw", "-s", "blog", "--batch-size", "2")
			e.CheckT(t, r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(tty, "warning", `line 2: expected "name value epoch", got 1 fields; skipped`) +
				cmdtest.LogLine(tty, "thrown", "6 values to blog (1 lines skipped)") +
				cmdtest.LogLine(tty, "error", "the request for input lines 4-5 failed: API request failed: Database on fire.") +
				"           lines 1-3 are stored; resume with: mkr throw --service blog --resume-from 4 < file\n" +
				"           (2 later requests succeeded: their lines are sent again, which is harmless, since a re-posted timestamp overwrites its value)\n",
			})
			// Lines 1, 3 and 6-9 are stored; 4 and 5 are not.
			want := []store.Point{}
			for _, i := range []int64{1, 3, 6, 7, 8, 9} {
				want = append(want, store.Point{Time: hourAgo + i, Value: float64(i)})
			}
			if got := points(e, store.ServiceSeries("blog", "m")); !reflect.DeepEqual(got, want) {
				t.Fatalf("stored %v\nwant %v", got, want)
			}

			// The printed command, against a server that works.
			good := e.StartAPI()
			r = e.RunRemote(good.URL, "key", cmdtest.RunOpts{TTY: tty, Stdin: resumeInput()},
				"throw", "--service", "blog", "--resume-from", "4", "--batch-size", "2")
			e.CheckT(t, r, cmdtest.Want{Stderr: cmdtest.LogLine(tty, "thrown", "6 values to blog")})
			want = nil
			for _, i := range []int64{1, 3, 4, 5, 6, 7, 8, 9} {
				want = append(want, store.Point{Time: hourAgo + i, Value: float64(i)})
			}
			if got := points(e, store.ServiceSeries("blog", "m")); !reflect.DeepEqual(got, want) {
				t.Errorf("after resuming: %v\nwant %v", got, want)
			}
			var sent []string
			for _, req := range good.Requests() {
				sent = append(sent, req.Body)
			}
			wantSent := []string{
				fmt.Sprintf(`[{"name":"m","time":%d,"value":4},{"name":"m","time":%d,"value":5}]`, hourAgo+4, hourAgo+5),
				fmt.Sprintf(`[{"name":"m","time":%d,"value":6},{"name":"m","time":%d,"value":7}]`, hourAgo+6, hourAgo+7),
				fmt.Sprintf(`[{"name":"m","time":%d,"value":8},{"name":"m","time":%d,"value":9}]`, hourAgo+8, hourAgo+9),
			}
			slices.Sort(sent)
			if !reflect.DeepEqual(sent, wantSent) {
				t.Errorf("resumed run sent\n%s\nwant\n%s", strings.Join(sent, "\n"), strings.Join(wantSent, "\n"))
			}
		})
	}
}

// TestThrowRemoteFirstBatchFails: nothing is known stored; the resume point
// is the first line read (here the --resume-from given), and later batches
// that were stored are named.
func TestThrowRemoteFirstBatchFails(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog")
	api := e.StartAPIWith(failOneBatch(t, `"value":4}`, 2))
	r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{Stdin: resumeInput()},
		"throw", "-s", "blog", "--batch-size", "2", "--resume-from", "4", "--input", "mackerel")
	e.Check(r, cmdtest.Want{Code: 1, Stderr: "    thrown 4 values to blog\n" +
		"     error the request for input lines 4-5 failed: API request failed: Database on fire.\n" +
		"           resume with: mkr throw --service blog --resume-from 4 < file\n" +
		"           (2 later requests succeeded: their lines are sent again, which is harmless, since a re-posted timestamp overwrites its value)\n",
	})
	if n := countPoints(e); n != 4 {
		t.Errorf("%d points stored, want 4 (lines 6-9)", n)
	}
}

// TestThrowRemoteFailureUnreported: against a server that reports no
// counts (the hosted API), the lines before the failed batch are only
// known to have been accepted.
func TestThrowRemoteFailureUnreported(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog")
	fail := failOneBatch(t, `"value":6}`, 3)
	api := e.StartAPIWith(func(next http.Handler) http.Handler { return answerAsHosted(fail(next)) })
	r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{Stdin: resumeInput()}, "throw", "-s", "blog", "--batch-size", "2")
	e.Check(r, cmdtest.Want{Code: 1, Stderr: "   warning line 2: expected \"name value epoch\", got 1 fields; skipped\n" +
		"      info 6 values sent to blog (1 lines skipped); the server did not report how many it stored\n" +
		"     error the request for input lines 6-7 failed: API request failed: Database on fire.\n" +
		"           lines 1-5 were accepted; resume with: mkr throw --service blog --resume-from 6 < file\n" +
		"           (1 later request succeeded: its lines are sent again, which is harmless, since a re-posted timestamp overwrites its value)\n",
	})
	if n := countPoints(e); n != 6 {
		t.Errorf("%d points stored, want 6 (all but lines 6-7)", n)
	}
}

// TestThrowResumeFrom: lines before --resume-from are neither parsed nor
// sent, line numbers stay those of the whole input, and a LINE past the
// end sends nothing.
func TestThrowResumeFrom(t *testing.T) {
	in := expand("a 1 {T}\nbroken\nb 2 {T}\nalso broken\nc 3 {T}\n", "")
	tests := []struct {
		from string
		want cmdtest.Want
		pts  map[string]float64
	}{
		{"1", cmdtest.Want{Stderr: "   warning line 2: expected \"name value epoch\", got 1 fields; skipped\n" +
			"   warning line 4: expected \"name value epoch\", got 2 fields; skipped\n" +
			"    thrown 3 values to blog (2 lines skipped)\n"}, map[string]float64{"a": 1, "b": 2, "c": 3}},
		{"3", cmdtest.Want{Stderr: "   warning line 4: expected \"name value epoch\", got 2 fields; skipped\n" +
			"    thrown 2 values to blog (1 lines skipped)\n"}, map[string]float64{"b": 2, "c": 3}},
		{"5", cmdtest.Want{Stderr: "    thrown 1 values to blog\n"}, map[string]float64{"c": 3}},
		{"6", cmdtest.Want{Stderr: "    thrown 0 values to blog\n"}, map[string]float64{}},
	}
	for _, tt := range tests {
		t.Run("from "+tt.from, func(t *testing.T) {
			e := cmdtest.New(t)
			e.SeedService("blog")
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{Stdin: in}, "throw", "-s", "blog", "--resume-from", tt.from), tt.want)
			names, err := e.Store().MetricNames(t.Context(), "service", "blog")
			if err != nil || len(names) != len(tt.pts) {
				t.Fatalf("metric names %q (%v), want %v", names, err, tt.pts)
			}
			for name, v := range tt.pts {
				if got := points(e, store.ServiceSeries("blog", name)); !reflect.DeepEqual(got, []store.Point{{Time: hourAgo, Value: v}}) {
					t.Errorf("%s = %v, want %v", name, got, v)
				}
			}
		})
	}
	e := cmdtest.New(t)
	e.SeedService("blog")
	for _, bad := range []string{"0", "-3"} {
		r := e.RunWith(cmdtest.RunOpts{Stdin: in}, "throw", "-s", "blog", "--resume-from", bad)
		if r.Code != 1 || r.Stderr != cmdtest.UsageError(false, "--resume-from must be a line number (1 or more)", "throw") {
			t.Errorf("--resume-from %s:\n%s", bad, r)
		}
	}
	if n := countPoints(e); n != 0 {
		t.Errorf("usage errors stored %d points", n)
	}
}
