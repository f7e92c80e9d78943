package wrap

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// spoolMany spools n reports one second apart, in shuffled order, and
// returns their messages oldest first.
func spoolMany(t *testing.T, sp *Spool, n int) []string {
	t.Helper()
	msgs := make([]string, n)
	order := rand.Perm(n)
	for i := range n {
		msgs[i] = fmt.Sprintf("report %03d", i)
	}
	base := spoolNow.Add(-time.Hour)
	for _, i := range order {
		if err := sp.Add(testReport(msgs[i], base.Add(time.Duration(i)*time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	return msgs
}

func TestFlushBatchesInOrder(t *testing.T) {
	t.Parallel()
	sp, _ := testSpool(t)
	want := spoolMany(t, sp, 250)
	r := &fakeReporter{}
	res, err := sp.Flush(context.Background(), r)
	if err != nil || res != (FlushResult{Sent: 250}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if len(r.calls) != 3 || len(r.calls[0]) != 100 || len(r.calls[1]) != 100 || len(r.calls[2]) != 50 {
		t.Fatalf("%d calls", len(r.calls))
	}
	if got := r.accepted(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("out of order: %v", got)
	}
	if n := len(spooledFiles(t, sp)); n != 0 {
		t.Errorf("%d left", n)
	}
}

// Reports of the same second replay in the order they were spooled.
func TestFlushSameSecondKeepsSpoolOrder(t *testing.T) {
	t.Parallel()
	sp, _ := testSpool(t)
	for _, m := range []string{"first", "second", "third"} {
		if err := sp.Add(testReport(m, spoolNow)); err != nil {
			t.Fatal(err)
		}
	}
	r := &fakeReporter{}
	if _, err := sp.Flush(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.accepted(), ","); got != "first,second,third" {
		t.Errorf("got %s", got)
	}
}

func TestFlushDropsOldReports(t *testing.T) {
	t.Parallel()
	sp, warnings := testSpool(t)
	for _, r := range []client.CheckReport{
		testReport("too old", spoolNow.Add(-MaxReportAge-time.Second)),
		testReport("just too old", spoolNow.Add(-MaxReportAge)),
		testReport("just in time", spoolNow.Add(-MaxReportAge+time.Second)),
	} {
		if err := sp.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	r := &fakeReporter{}
	res, err := sp.Flush(context.Background(), r)
	if err != nil || res != (FlushResult{Sent: 1, Dropped: 2}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if got := r.accepted(); len(got) != 1 || got[0] != "just in time" {
		t.Errorf("sent %v", got)
	}
	if len(*warnings) != 2 || !strings.Contains((*warnings)[0], "6h0m0s or more ago") {
		t.Errorf("warnings: %q", *warnings)
	}
	if n := len(spooledFiles(t, sp)); n != 0 {
		t.Errorf("%d left", n)
	}
}

func TestFlushStopsAtTransientFailure(t *testing.T) {
	t.Parallel()
	sp, _ := testSpool(t)
	want := spoolMany(t, sp, 250)
	r := &fakeReporter{fail: func(call int, _ []client.CheckReport) error {
		if call == 2 {
			return errUnavailable
		}
		return nil
	}}
	res, err := sp.Flush(context.Background(), r)
	if client.StatusCode(err) != 503 || res != (FlushResult{Sent: 100, Remaining: 150}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if n := len(spooledFiles(t, sp)); n != 150 {
		t.Fatalf("%d left, want 150", n)
	}
	ok := &fakeReporter{}
	if res, err := sp.Flush(context.Background(), ok); err != nil || res.Sent != 150 {
		t.Fatalf("second Flush = %+v, %v", res, err)
	}
	if got := strings.Join(ok.accepted(), ","); got != strings.Join(want[100:], ",") {
		t.Errorf("second flush sent %v", ok.accepted())
	}
}

// A 4xx for a batch must not sink the good reports in it.
func TestFlushRejectedBatchFallsBackToSingles(t *testing.T) {
	t.Parallel()
	sp, warnings := testSpool(t)
	for _, m := range []string{"good 1", "bad", "good 2"} {
		if err := sp.Add(testReport(m, spoolNow)); err != nil {
			t.Fatal(err)
		}
	}
	r := &fakeReporter{fail: func(_ int, reports []client.CheckReport) error {
		for _, rep := range reports {
			if rep.Message == "bad" {
				return &client.APIError{StatusCode: 400, Message: "invalid"}
			}
		}
		return nil
	}}
	res, err := sp.Flush(context.Background(), r)
	if err != nil || res != (FlushResult{Sent: 2, Dropped: 1}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "rejected") {
		t.Errorf("warnings: %q", *warnings)
	}
	if n := len(spooledFiles(t, sp)); n != 0 {
		t.Errorf("%d left", n)
	}
}

// Many cron jobs end in the same minute: their flushes must deliver every
// report exactly once between them.
func TestFlushConcurrent(t *testing.T) {
	t.Parallel()
	sp, _ := testSpool(t)
	want := spoolMany(t, sp, 250)
	r := &fakeReporter{delay: 5 * time.Millisecond}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			other := &Spool{Dir: sp.Dir, Now: sp.Now}
			if _, err := other.Flush(context.Background(), r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := r.accepted()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("delivered %d reports (want 250, each once, in order)", len(got))
	}
}

// Files that vanish under a flusher (an operator cleaning up, a flusher of
// an older version without the lock) are no error.
func TestFlushToleratesVanishedFiles(t *testing.T) {
	t.Parallel()
	sp, warnings := testSpool(t)
	spoolMany(t, sp, 5)
	r := &fakeReporter{fail: func(int, []client.CheckReport) error {
		names, _ := sp.pending()
		for _, n := range names {
			os.Remove(filepath.Join(sp.Dir, n))
		}
		return nil
	}}
	res, err := sp.Flush(context.Background(), r)
	if err != nil || res != (FlushResult{Sent: 5}) || len(*warnings) != 0 {
		t.Fatalf("Flush = %+v, %v, warnings %q", res, err, *warnings)
	}
}

func TestFlushDropsCorruptFiles(t *testing.T) {
	t.Parallel()
	sp, warnings := testSpool(t)
	if err := sp.Add(testReport("fine", spoolNow)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sp.Dir, "00000000000000000000-junk.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := sp.Flush(context.Background(), &fakeReporter{})
	if err != nil || res != (FlushResult{Sent: 1, Dropped: 1}) || len(*warnings) != 1 {
		t.Fatalf("Flush = %+v, %v, warnings %q", res, err, *warnings)
	}
}
