package alert_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestAlertsListMonitorTypes: alerts opened by the engine from metric
// monitors print in upstream's words (the per-type formats themselves are
// pinned in alerts_monitor_message_internal_test.go).
func TestAlertsListMonitorTypes(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("svc", "web")
	host := e.CreateHost("web01", "--roleFullname", "svc:web")
	rules := fmt.Sprintf(`{"monitors":[
{"type":"connectivity","name":"conn","scopes":["svc"]},
{"type":"host","name":"x high","metric":"custom.x","operator":">","warning":2,"critical":4,"duration":1,"scopes":["svc"]},
{"type":"service","name":"y high","service":"svc","metric":"y","operator":">","warning":10,"critical":20,"duration":1},
{"type":"expression","name":"expr","expression":"max(\n  host(\"%s\", \"custom.x\")\n)","operator":">","warning":1,"critical":100}
]}`, host)
	if r := e.Run("monitors", "push", "-F", e.WriteFile("m.json", rules)); r.Code != 0 {
		t.Fatalf("push:\n%s", r)
	}
	now := e.Clock.Now().Unix()
	for i := int64(0); i < 5; i++ {
		ts := now + 60*i
		e.Clock.Set(time.Unix(ts, 0))
		if r := e.RunWith(cmdtest.RunOpts{Stdin: fmt.Sprintf("x 5 %d\n", ts)}, "throw", "-H", host); r.Code != 0 {
			t.Fatalf("throw:\n%s", r)
		}
		if r := e.RunWith(cmdtest.RunOpts{Stdin: fmt.Sprintf("y 15 %d\n", ts)}, "throw", "-s", "svc"); r.Code != 0 {
			t.Fatalf("throw:\n%s", r)
		}
	}
	e.Clock.Set(time.Unix(now+20*60, 0))
	// The expression cannot be read once x stops (UNKNOWN: the expression
	// alone), and the host has been silent for 10 minutes (connectivity).
	want := []string{
		"2024-05-06 07:28:09 UNKNOWN expr max(host(\"{web01}\", \"custom.x\"))",
		"2024-05-06 07:28:09 CRITICAL conn web01 working [svc:web]",
		"2024-05-06 07:08:09 WARNING y high svc y 15.00 > 10.00",
		"2024-05-06 07:08:09 CRITICAL x high custom.x 5.00 > 4.00 web01 working [svc:web]",
	}
	r := e.Run("alerts", "list")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("alerts list:\n%s", r)
	}
	var ids []string
	for _, a := range e.Alerts(false) {
		ids = append(ids, a.ID)
	}
	var got []string
	for i, line := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
		id, rest, _ := strings.Cut(line, " ")
		if i >= len(ids) || id != ids[i] {
			t.Errorf("line %d: alert id %q, want the alerts' ids %q", i, id, ids)
		}
		got = append(got, rest)
	}
	cmdtest.Equal(t, "alerts list", strings.Join(got, "\n"), e.Expand(strings.Join(want, "\n")))

	// -s keeps a host-less alert by its monitor's service; -S drops it.
	r = e.Run("alerts", "list", "-s", "svc")
	if n := strings.Count(r.Stdout, "\n"); n != 3 || !strings.Contains(r.Stdout, "y high svc y") {
		t.Errorf("-s svc: want the three alerts with svc's host or monitor:\n%s", r)
	}
	r = e.Run("alerts", "list", "-S", "working")
	if n := strings.Count(r.Stdout, "\n"); n != 2 || strings.Contains(r.Stdout, "y high") || strings.Contains(r.Stdout, "expr") {
		t.Errorf("-S working: want the two alerts of web01:\n%s", r)
	}
}
