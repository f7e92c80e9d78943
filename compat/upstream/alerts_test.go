package upstream_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestAlertsMatchUpstream compares `alerts` and `alerts list` for alerts of
// the host, service, external, expression, connectivity and check types,
// all opened by the engine (anomalyDetection and query monitors are not
// evaluated yet, so they open none).
func TestAlertsMatchUpstream(t *testing.T) {
	e, base := servedFleet(t)

	t.Run("alerts", func(t *testing.T) {
		for _, args := range [][]string{{"alerts"}, {"alerts", "--with-closed"}} {
			sameResult(t, strings.Join(args, " "), runUpstream(t, e, t.TempDir(), base, args...), runOurs(t, e, base, args...))
		}
	})

	t.Run("list", func(t *testing.T) {
		for _, args := range [][]string{
			{"alerts", "list", "--color=false"},
			{"alerts", "list", "--color=false", "--service", "shop"},
			{"alerts", "list", "--color=false", "--host-status", "working"},
			{"alerts", "list", "--color=false", "--with-closed"},
		} {
			up := runUpstream(t, e, t.TempDir(), base, args...)
			up.Stdout = withCheckName(t, up.Stdout)
			sameResult(t, strings.Join(args, " "), up, runOurs(t, e, base, args...))
		}
	})

	// Upstream colours the status with a space inside the colour
	// ("CRITICAL "), and --color is on by default; in a pipe fatih/color
	// drops the escapes but not that space, so its piped lines have two
	// spaces after the status. mkr prints one: colour, off in a pipe,
	// changes nothing else.
	t.Run("list, colour flag left on, in a pipe", func(t *testing.T) {
		up := runUpstream(t, e, t.TempDir(), base, "alerts", "list")
		up.Stdout = withCheckName(t, up.Stdout)
		ours := runOurs(t, e, base, "alerts", "list")
		ours.Stdout = statusRe.ReplaceAllString(ours.Stdout, "$1  ")
		sameResult(t, "alerts list (ours with the status's extra space added)", up, ours)
	})
}

var statusRe = regexp.MustCompile(`(?m)^(\S+ \S+ \S+ (?:CRITICAL|WARNING|OK|UNKNOWN)) `)

// withCheckName adds the check's name before the message of the check
// alert's line, as mkr and upstream's HEAD do (mackerelio/mkr#858, merged
// after v0.65.0, the last tag and so the newest version the module proxy
// serves).
func withCheckName(t *testing.T, out string) string {
	t.Helper()
	const msg = " disk /dev/sda is failing..."
	if strings.Count(out, msg) != 1 {
		t.Fatalf("upstream printed the check alert's message %d times:\n%s", strings.Count(out, msg), out)
	}
	return strings.Replace(out, msg, " disk-health"+msg, 1)
}
