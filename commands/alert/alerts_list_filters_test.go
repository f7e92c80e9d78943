package alert_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestAlertsListRefusesUnknownHostStatus: a -S value no host can have
// would hide every alert; it is refused before any request, like every
// filter mkr would otherwise ignore (README: "Flags mkr would ignore").
func TestAlertsListRefusesUnknownHostStatus(t *testing.T) {
	fx := newAlertsFixture(t)
	e := fx.e
	msg := `--host-status must be one of working, standby, maintenance, poweroff, not "bogus"`
	for _, tty := range []bool{false, true} {
		r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "alerts", "list", "-S", "working", "-S", "bogus")
		e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(tty, msg, "alerts", "list")})
	}
	r := e.Run("alerts", "list", "-S", "standby")
	if r.Code != 0 || r.Stderr != "" || r.Stdout == "" {
		t.Errorf("-S standby: want db01's alert:\n%s", r)
	}
}
