package wrap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

var reportNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func TestNewReport(t *testing.T) {
	t.Parallel()
	failed := &Result{Args: []string{"job"}, ExitCode: 2, Message: "command exited with code: 2", StartedAt: reportNow}
	ok := &Result{Args: []string{"job"}, Message: "command exited with code: 0", StartedAt: reportNow}
	skipped := &Result{Args: []string{"job"}, Message: msgSkipped, Skipped: true, Overlapped: true}
	check := Check{HostID: "host-1", Name: "job-check", MaxCheckAttempts: 3, NotificationInterval: 5 * time.Minute}

	r := NewReport(failed, check, reportNow)
	want := client.CheckReport{
		Source: client.HostCheckSource("host-1"), Name: "job-check", Status: "CRITICAL",
		Message: "command exited with code: 2\n% job", OccurredAt: reportNow.Unix(),
		NotificationInterval: 10, MaxCheckAttempts: 3,
	}
	if r != want {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
	check.Warning = true
	if s := NewReport(failed, check, reportNow).Status; s != "WARNING" {
		t.Errorf("--warning: %s", s)
	}
	if s := NewReport(ok, check, reportNow).Status; s != "OK" {
		t.Errorf("success: %s", s)
	}
	check.Warning = false
	if s := NewReport(skipped, check, reportNow).Status; s != "WARNING" {
		t.Errorf("skipped: %s", s)
	}
	check.Name = ""
	if n := NewReport(failed, check, reportNow).Name; n != CheckName("", []string{"job"}) {
		t.Errorf("derived name %q", n)
	}
}

func TestNotificationInterval(t *testing.T) {
	t.Parallel()
	cases := map[time.Duration]uint{
		0: 0, 30 * time.Second: 0, -5 * time.Minute: 0, time.Minute: 10,
		9*time.Minute + 59*time.Second: 10, 10 * time.Minute: 10, 20*time.Minute + 30*time.Second: 20,
	}
	for d, want := range cases {
		if got := notificationMinutes(d); got != want {
			t.Errorf("%v: got %d, want %d", d, got, want)
		}
	}
	data, _ := json.Marshal(NewReport(&Result{Args: []string{"x"}}, Check{}, reportNow))
	if strings.Contains(string(data), "notificationInterval") || strings.Contains(string(data), "maxCheckAttempts") {
		t.Errorf("zero fields sent: %s", data)
	}
}

// decideRun runs Decide on a fake result with the given outcome.
func decideRun(t *testing.T, check Check, success bool) *client.CheckReport {
	t.Helper()
	res := &Result{Args: []string{"job", "--flag"}, StartedAt: reportNow, Message: "command exited with code: 0"}
	if !success {
		res.ExitCode, res.Message = 1, "command exited with code: 1"
	}
	report, err := Decide(res, check, reportNow)
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return report
}

func TestDecideAutoCloseSequence(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", AutoClose: true, StateDir: t.TempDir()}
	outcomes := []bool{true, true, false, false, true, true}
	wantReports := []string{"OK", "", "CRITICAL", "CRITICAL", "OK", ""}
	for i, success := range outcomes {
		got := ""
		if r := decideRun(t, check, success); r != nil {
			got = r.Status
		}
		if got != wantReports[i] {
			t.Errorf("run %d (success %v): reported %q, want %q", i+1, success, got, wantReports[i])
		}
	}
	path := StatePath(check.StateDir, CheckName("", []string{"job", "--flag"}))
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v %v", fi, err)
	}
	data, _ := os.ReadFile(path)
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil || st["Success"] != true || st["Msg"] != "command exited with code: 0" {
		t.Errorf("state %s: %v", data, err)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".tmp-*")); len(matches) != 0 {
		t.Errorf("temp files left: %v", matches)
	}
}

func TestDecideWithoutAutoClose(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", StateDir: t.TempDir()}
	for i, success := range []bool{true, false, true, false} {
		r := decideRun(t, check, success)
		if (r != nil) == success {
			t.Errorf("run %d (success %v): report %v", i, success, r)
		}
	}
	if entries, _ := os.ReadDir(check.StateDir); len(entries) != 0 {
		t.Error("state written without auto-close")
	}
}

func TestDecideCorruptState(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", Name: "job", AutoClose: true, StateDir: t.TempDir()}
	path := StatePath(check.StateDir, "job")
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := &Result{Args: []string{"job"}, StartedAt: reportNow, Message: "command exited with code: 0"}
	report, err := Decide(res, check, reportNow)
	if err == nil || !strings.Contains(err.Error(), "discarding auto-close state") {
		t.Errorf("err = %v", err)
	}
	if report == nil || report.Status != "OK" {
		t.Fatalf("corrupt state must count as no previous result: %+v", report)
	}
	if r := decideRun(t, check, true); r != nil {
		t.Errorf("state not rewritten: second success reported %+v", r)
	}
}

func TestDecideAutoCloseWithoutStateDir(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", AutoClose: true}
	res := &Result{Args: []string{"job"}, StartedAt: reportNow, Message: "command exited with code: 0"}
	report, err := Decide(res, check, reportNow)
	if err == nil || report == nil || report.Status != "OK" {
		t.Fatalf("got %+v, %v", report, err)
	}
}

func TestDecideSkipped(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", Name: "job", AutoClose: true, StateDir: t.TempDir()}
	skipped := &Result{Args: []string{"job"}, Message: msgSkipped, Skipped: true, Overlapped: true}
	if r, err := Decide(skipped, check, reportNow); r != nil || err != nil {
		t.Fatalf("skip reported without ReportSkipped: %+v %v", r, err)
	}
	if _, err := os.Stat(StatePath(check.StateDir, "job")); err == nil {
		t.Fatal("a silent skip must not touch the state")
	}
	check.ReportSkipped = true
	r, err := Decide(skipped, check, reportNow)
	if err != nil || r == nil || r.Status != "WARNING" || r.Message != "skipped: previous run still running\n% job" {
		t.Fatalf("got %+v %v", r, err)
	}
	// The WARNING opened an alert; the next success must close it.
	if r := decideRun(t, Check{HostID: "h", Name: "job", AutoClose: true, StateDir: check.StateDir}, true); r == nil || r.Status != "OK" {
		t.Errorf("success after a reported skip: %+v", r)
	}
}

func TestStatePath(t *testing.T) {
	t.Parallel()
	if got := StatePath("/state", "mkrwrap-sh-c9eeae"); got != "/state/wrap/mkrwrap-sh-c9eeae.json" {
		t.Errorf("got %s", got)
	}
	a, b := StatePath("/state", "a/b"), StatePath("/state", "a_b")
	if a == b || filepath.Dir(a) != "/state/wrap" || !strings.HasPrefix(filepath.Base(a), "a_b-") {
		t.Errorf("unsafe names: %s vs %s", a, b)
	}
	if got := StatePath("/state", ".."); filepath.Dir(got) != "/state/wrap" {
		t.Errorf("escaped: %s", got)
	}
}

// With AutoClose a report never occurs at or before the last one decided
// for the check: two runs in one second, or a clock gone back, report one
// second after the last; a success that reports nothing moves nothing.
func TestDecideOccurredAtNeverRepeats(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", Name: "job", AutoClose: true, StateDir: t.TempDir()}
	now := reportNow.Unix()
	steps := []struct {
		success bool
		at      int64 // clock, relative to reportNow
		want    int64 // occurredAt relative to reportNow; -1 for no report
	}{
		{false, 0, 0},
		{true, 0, 1},
		{true, 0, -1},
		{false, 0, 2},
		{false, -60, 3}, // the clock went back
		{true, 100, 100},
		{false, 100, 101},
	}
	for i, s := range steps {
		res := &Result{Args: []string{"job"}, StartedAt: reportNow, Message: "command exited with code: 0"}
		if !s.success {
			res.ExitCode, res.Message = 1, "command exited with code: 1"
		}
		r, err := Decide(res, check, time.Unix(now+s.at, 0))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		got := int64(-1)
		if r != nil {
			got = r.OccurredAt - now
		}
		if got != s.want {
			t.Errorf("step %d (success %v at %+d): occurredAt %+d, want %+d", i, s.success, s.at, got, s.want)
		}
	}
}

// A state file written before mkr kept LastOccurredAt still loads, and the
// field is added with the next report.
func TestDecideOldStateFile(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", Name: "job", AutoClose: true, StateDir: t.TempDir()}
	path := StatePath(check.StateDir, "job")
	os.MkdirAll(filepath.Dir(path), 0o700)
	old := `{"Cmd":["job"],"Name":"job","Note":"","ExitCode":1,"Signaled":false,"Msg":"command exited with code: 1","Success":false}`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := decideRun(t, check, true)
	if r == nil || r.Status != "OK" || r.OccurredAt != reportNow.Unix() {
		t.Fatalf("success after an old failed state: %+v, want OK at now", r)
	}
	data, _ := os.ReadFile(path)
	var st state
	if err := json.Unmarshal(data, &st); err != nil || !st.Success || st.LastOccurredAt != reportNow.Unix() {
		t.Fatalf("state %s: %v", data, err)
	}
}

// Concurrent runs of one check take turns on its state: each report gets
// its own second, whatever the interleaving, and the state ends with the
// last of them.
func TestDecideConcurrent(t *testing.T) {
	t.Parallel()
	check := Check{HostID: "h", Name: "job", AutoClose: true, StateDir: t.TempDir()}
	const n = 40
	reports := make([]*client.CheckReport, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := &Result{Args: []string{"job"}, StartedAt: reportNow, Message: "command exited with code: 0"}
			if i%2 == 0 {
				res.ExitCode, res.Message = 1, "command exited with code: 1"
			}
			reports[i], errs[i] = Decide(res, check, reportNow)
		})
	}
	wg.Wait()
	seen := map[int64]int{}
	last := int64(0)
	for i, r := range reports {
		if errs[i] != nil {
			t.Errorf("run %d: %v", i, errs[i])
		}
		if r == nil {
			continue
		}
		if j, dup := seen[r.OccurredAt]; dup {
			t.Errorf("runs %d and %d both report at %d", j, i, r.OccurredAt)
		}
		seen[r.OccurredAt] = i
		last = max(last, r.OccurredAt)
	}
	if len(seen) < n/2 {
		t.Errorf("%d reports, want at least the %d failures", len(seen), n/2)
	}
	data, _ := os.ReadFile(StatePath(check.StateDir, "job"))
	var st state
	if err := json.Unmarshal(data, &st); err != nil || st.LastOccurredAt != last {
		t.Errorf("state %s (%v), want LastOccurredAt %d", data, err, last)
	}
}
