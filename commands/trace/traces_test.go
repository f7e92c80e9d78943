package trace_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestTracesGet(t *testing.T) {
	e := cmdtest.New(t)
	for _, tty := range []bool{false, true} {
		e.RunSteps(t, []cmdtest.Step{
			{Name: "not found", Opts: cmdtest.RunOpts{TTY: tty}, Args: []string{"traces", "get", "0123456789abcdef0123456789abcdef"}, Want: cmdtest.Want{Code: 1,
				Stderr: cmdtest.LogLine(tty, "error", "trace 0123456789abcdef0123456789abcdef not found (Trace 0123456789abcdef0123456789abcdef not found: this backend receives no traces.)")}},
			{Name: "malformed id", Opts: cmdtest.RunOpts{TTY: tty}, Args: []string{"traces", "get", "xyz"}, Want: cmdtest.Want{Code: 1,
				Stderr: cmdtest.LogLine(tty, "error", `API request failed: traceId must be 32 hexadecimal characters, not "xyz".`)}},
			{Name: "no id", Opts: cmdtest.RunOpts{TTY: tty}, Args: []string{"traces", "get"}, Want: cmdtest.Want{Code: 1,
				Stderr: cmdtest.UsageError(tty, "traces get needs exactly one <traceId>", "traces", "get")}},
		})
	}
}
