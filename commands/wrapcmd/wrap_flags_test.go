package wrapcmd_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestWrapFlagMistakesStillRun: a mistake in wrap's own flags is said on
// stderr and the job runs anyway (a cron job is never skipped because of
// monitoring), with the flags that parsed; --strict refuses instead.
func TestWrapFlagMistakesStillRun(t *testing.T) {
	const anyway = "; running the command anyway (--strict refuses)"
	tests := []struct {
		name   string
		args   []string // after `wrap -H <host>`
		code   int
		stdout string
		errs   []string // logged errors, in order
		alert  string   // check name of the alert opened; "" for none
	}{
		{"bad duration", []string{"--timeout", "5x", "-n", "job-a", "--", "sh", "-c", "echo ran; exit 3"}, 3, "ran\n",
			[]string{`[mkr wrap] invalid value "5x" for flag -timeout: parse error` + anyway}, "job-a"},
		{"unknown flag with a value before --", []string{"--tiemout", "5s", "-n", "job-b", "--", "sh", "-c", "echo ran; exit 4"}, 4, "ran\n",
			[]string{"[mkr wrap] flag provided but not defined: -tiemout" + anyway, "[mkr wrap] ignored 5s, taken as the unknown flag's value" + anyway}, "job-b"},
		{"unknown flag without --", []string{"--tiemout", "-n", "job-d", "sh", "-c", "echo ran; exit 6"}, 6, "ran\n",
			[]string{"[mkr wrap] flag provided but not defined: -tiemout" + anyway}, "job-d"},
		{"bad overlap policy", []string{"--on-overlap", "sometimes", "-n", "job-c", "echo", "ran"}, 0, "ran\n",
			[]string{`[mkr wrap] invalid overlap policy "sometimes": want skip, wait or fail (using skip)` + anyway}, ""},
		{"invalid check name: runs, reports nothing", []string{"--name", "nightly.backup", "--", "sh", "-c", "echo ran; exit 5"}, 5, "ran\n",
			[]string{`[mkr wrap] --name: invalid check name "nightly.backup": use A-Z a-z 0-9 _ -; the result will not be reported` + anyway}, ""},
	}
	for _, tty := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e := cmdtest.New(t)
				host := e.CreateHost("web01")
				r := e.RunWith(cmdtest.RunOpts{TTY: tty}, append([]string{"wrap", "-H", host}, tt.args...)...)
				want := ""
				for _, msg := range tt.errs {
					want += cmdtest.LogLine(tty, "error", msg)
				}
				if tt.code != 0 {
					want += "command exited with code: " + strconv.Itoa(tt.code) + "\n"
				}
				e.Check(r, cmdtest.Want{Code: tt.code, Stdout: tt.stdout, Stderr: want})
				var names []string
				for _, a := range e.Alerts(false) {
					if m, err := e.API().FindCheckMonitor(context.Background(), a.MonitorID); err == nil {
						names = append(names, m.Name)
					}
				}
				if (tt.alert == "" && len(names) != 0) || (tt.alert != "" && (len(names) != 1 || names[0] != tt.alert)) {
					t.Errorf("alerts of checks %q, want %q", names, tt.alert)
				}
			})
		}
	}
}

// TestWrapStrict: with --strict a wrap flag mistake is a usage error and
// the job does not run.
func TestWrapStrict(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	marker := e.Dir + "/ran"
	job := []string{"--", "sh", "-c", "touch " + marker}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"bad duration", []string{"--strict", "--timeout", "5x"}, `invalid value "5x" for flag -timeout: parse error`},
		{"--strict after the mistake", []string{"--timeout", "5x", "--strict"}, `invalid value "5x" for flag -timeout: parse error`},
		{"invalid check name", []string{"--strict", "-n", "nightly.backup"}, `--name: invalid check name "nightly.backup": use A-Z a-z 0-9 _ -`},
		{"bad overlap policy", []string{"--strict", "--on-overlap", "x"}, `invalid overlap policy "x": want skip, wait or fail`},
	}
	for _, tty := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.RunWith(cmdtest.RunOpts{TTY: tty}, append(append([]string{"wrap", "-H", host}, tt.args...), job...)...)
				if r.Code != 1 || r.Stdout != "" || !strings.Contains(r.Stderr, cmdtest.LogLine(tty, "error", tt.msg)) {
					t.Errorf("got:\n%s\nwant exit 1 with the error %q", r, tt.msg)
				}
				if _, err := os.Stat(marker); err == nil {
					t.Errorf("the job ran")
				}
			})
		}
	}
}
