package wrap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

var spoolNow = time.Date(2024, 5, 6, 12, 0, 0, 0, time.UTC)

// fakeReporter records every request and answers with fail's error.
type fakeReporter struct {
	mu    sync.Mutex
	calls [][]client.CheckReport
	fail  func(call int, reports []client.CheckReport) error
	delay time.Duration
}

func (f *fakeReporter) PostCheckReports(_ context.Context, reports []client.CheckReport) error {
	time.Sleep(f.delay)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, append([]client.CheckReport(nil), reports...))
	if f.fail != nil {
		return f.fail(len(f.calls), reports)
	}
	return nil
}

// accepted lists the messages of every report in every call, in order.
func (f *fakeReporter) accepted() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		for _, r := range c {
			out = append(out, r.Message)
		}
	}
	return out
}

func failWith(err error) *fakeReporter {
	return &fakeReporter{fail: func(int, []client.CheckReport) error { return err }}
}

var errUnavailable = &client.APIError{StatusCode: 503, Message: "503 Service Unavailable"}

// testSpool returns a spool in a temp dir whose warnings are collected.
func testSpool(t *testing.T) (*Spool, *[]string) {
	t.Helper()
	var mu sync.Mutex
	warnings := &[]string{}
	sp := NewSpool(t.TempDir(), func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		*warnings = append(*warnings, fmt.Sprintf(format, args...))
	})
	sp.Now = func() time.Time { return spoolNow }
	return sp, warnings
}

func testReport(msg string, at time.Time) client.CheckReport {
	return client.CheckReport{
		Source: client.HostCheckSource("host-1"), Name: "job", Status: "CRITICAL",
		Message: msg, OccurredAt: at.Unix(),
	}
}

func spooledFiles(t *testing.T, sp *Spool) []string {
	t.Helper()
	names, err := sp.pending()
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestDeliverSpoolsThenFlushDeliversOnce(t *testing.T) {
	t.Parallel()
	sp, warnings := testSpool(t)
	report := testReport("command exited with code: 1\n% job", spoolNow.Add(-time.Hour))

	d, err := sp.Deliver(context.Background(), failWith(errUnavailable), report)
	if d != Spooled || client.StatusCode(err) != 503 {
		t.Fatalf("Deliver = %v, %v; want spooled after the 503", d, err)
	}
	files := spooledFiles(t, sp)
	if len(files) != 1 {
		t.Fatalf("spool holds %v", files)
	}
	if fi, _ := os.Stat(filepath.Join(sp.Dir, files[0])); fi.Mode().Perm() != 0o600 {
		t.Errorf("spool file mode %v", fi.Mode())
	}
	if fi, _ := os.Stat(sp.Dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("spool dir mode %v", fi.Mode())
	}

	ok := &fakeReporter{}
	res, err := sp.Flush(context.Background(), ok)
	if err != nil || res != (FlushResult{Sent: 1}) {
		t.Fatalf("Flush = %+v, %v", res, err)
	}
	if len(ok.calls) != 1 || len(ok.calls[0]) != 1 || ok.calls[0][0] != report {
		t.Fatalf("replayed %+v; want the original report, occurredAt kept", ok.calls)
	}
	if res, err := sp.Flush(context.Background(), ok); err != nil || res != (FlushResult{}) || len(ok.calls) != 1 {
		t.Fatalf("second Flush sent again: %+v %v", res, err)
	}
	if len(*warnings) != 0 {
		t.Errorf("warnings: %q", *warnings)
	}
}

func TestDeliverClassifiesErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		r    Reporter
		host string
		want Delivery
	}{
		{"accepted", &fakeReporter{}, "host-1", Delivered},
		{"503", failWith(errUnavailable), "host-1", Spooled},
		{"500", failWith(&client.APIError{StatusCode: 500}), "host-1", Spooled},
		{"429", failWith(fmt.Errorf("posting: %w", &client.APIError{StatusCode: 429})), "host-1", Spooled},
		{"network", failWith(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), "host-1", Spooled},
		{"deadline", failWith(context.DeadlineExceeded), "host-1", Spooled},
		{"400", failWith(&client.APIError{StatusCode: 400}), "host-1", Dropped},
		{"401 (a key that can be fixed)", failWith(&client.APIError{StatusCode: 401}), "host-1", Spooled},
		{"403 (a read-only key)", failWith(&client.APIError{StatusCode: 403}), "host-1", Spooled},
		{"404", failWith(&client.APIError{StatusCode: 404}), "host-1", Dropped},
		{"no client", nil, "host-1", Dropped},
		{"nil client", (*client.Client)(nil), "host-1", Dropped},
		{"no host", &fakeReporter{}, "", Dropped},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sp, _ := testSpool(t)
			report := testReport("m", spoolNow)
			report.Source.HostID = tc.host
			d, err := sp.Deliver(context.Background(), tc.r, report)
			if d != tc.want || (err == nil) != (d == Delivered) {
				t.Fatalf("got %v, %v; want %v", d, err, tc.want)
			}
			if n := len(spooledFiles(t, sp)); (n == 1) != (d == Spooled) || n > 1 {
				t.Errorf("%d files spooled", n)
			}
			if tc.host == "" || tc.r == nil {
				if !errors.Is(err, ErrNoCredentials) {
					t.Errorf("err = %v", err)
				}
			}
		})
	}
}

// Deliver sends older spooled reports first, and while the API is down a
// new report queues behind them without a second failing request.
func TestDeliverKeepsOrderBehindSpool(t *testing.T) {
	t.Parallel()
	sp, _ := testSpool(t)
	if err := sp.Add(testReport("older", spoolNow.Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	down := failWith(errUnavailable)
	d, err := sp.Deliver(context.Background(), down, testReport("newer", spoolNow.Add(-time.Minute)))
	if d != Spooled || client.StatusCode(err) != 503 || len(down.calls) != 1 {
		t.Fatalf("API down: %v, %v after %d calls", d, err, len(down.calls))
	}
	up := &fakeReporter{}
	d, err = sp.Deliver(context.Background(), up, testReport("newest", spoolNow))
	if d != Delivered || err != nil {
		t.Fatalf("API up: %v, %v", d, err)
	}
	if got := strings.Join(up.accepted(), ","); got != "older,newer,newest" {
		t.Errorf("sent %s", got)
	}
}

func TestSpoolEmpty(t *testing.T) {
	t.Parallel()
	sp, _ := testSpool(t)
	r := &fakeReporter{}
	if res, err := sp.Flush(context.Background(), r); err != nil || res != (FlushResult{}) || len(r.calls) != 0 {
		t.Fatalf("Flush of a missing spool: %+v %v", res, err)
	}
	if res, err := sp.Flush(context.Background(), nil); err != nil || res != (FlushResult{}) {
		t.Fatalf("Flush without client of an empty spool: %+v %v", res, err)
	}
}

// Without a state directory nothing is spooled, least of all relative to
// the directory cron started in.
func TestSpoolWithoutStateDir(t *testing.T) {
	t.Parallel()
	sp := NewSpool("", nil)
	d, err := sp.Deliver(context.Background(), failWith(errUnavailable), testReport("m", spoolNow))
	if d != Dropped || client.StatusCode(err) != 503 || !errors.Is(err, errNoSpoolDir) {
		t.Fatalf("got %v, %v", d, err)
	}
	if _, err := os.Stat("spool"); err == nil {
		t.Fatal("spooled into the working directory")
	}
}
