package downtime_test

import (
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

func TestDowntimesDelete(t *testing.T) {
	refuse := "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)"
	tests := []struct {
		name     string
		opts     cmdtest.RunOpts
		args     []string
		want     cmdtest.Want
		question string // asked of the fake person
		left     []string
	}{
		{"declined", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, []string{"{a}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "deletion is canceled.")}, "Delete following downtimes.\n  {a}\nAre you sure?", []string{"a", "b", "c"}},
		{"accepted for two", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, []string{"{c}", "{a}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "deleted", "{c} c") + cmdtest.LogLine(true, "deleted", "{a} a")}, "Delete following downtimes.\n  {c}\n  {a}\nAre you sure?", []string{"b"}},
		{"pipes refuse", cmdtest.RunOpts{}, []string{"{a}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", refuse)}, "", []string{"a", "b", "c"}},
		{"stdin not a terminal", cmdtest.RunOpts{TTY: true, Stdin: "y\n", IOS: func(s *cmdutil.IOStreams) { s.StdinTTY = false }}, []string{"{a}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", refuse)}, "", []string{"a", "b", "c"}},
		{"--force", cmdtest.RunOpts{}, []string{"--force", "{b}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "deleted", "{b} b")}, "", []string{"a", "c"}},
		{"--force on a terminal asks nothing", cmdtest.RunOpts{TTY: true}, []string{"{b}", "--force"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "deleted", "{b} b")}, "", []string{"a", "c"}},
		{"stops at an unknown id", cmdtest.RunOpts{}, []string{"--force", "{a}", "nosuch", "{b}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "deleted", "{a} a") + cmdtest.LogLine(false, "error", "API request failed: Downtime not found.")}, "", []string{"b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			for _, n := range []string{"a", "b", "c"} {
				seed(e, client.Downtime{Name: n, Start: epoch, Duration: 10})
			}
			e.Check(e.RunWith(tt.opts, append([]string{"downtimes", "delete"}, tt.args...)...), tt.want)
			if p, ok := tt.opts.Prompter.(*cmdtest.FakePrompter); ok {
				if want := []string{e.Expand(tt.question)}; !slices.Equal(p.Questions, want) || slices.Contains(p.Defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.Questions, p.Defaults, want)
				}
			}
			var left []string
			for _, d := range stored(e) {
				left = append(left, d.Name)
			}
			if !slices.Equal(left, tt.left) {
				t.Errorf("left %v, want %v", left, tt.left)
			}
		})
	}
	e := cmdtest.New(t)
	e.Check(e.Run("downtimes", "delete", "--force"), cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "delete needs at least one downtime id", "downtimes", "delete")})
}
