package wrap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
