package channel_test

import (
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// TestChannelsDelete: asked on a terminal (default no), refused off one
// without --force, never assumed; deleted channels leave the default
// group.
func TestChannelsDelete(t *testing.T) {
	refuse := "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)"
	tests := []struct {
		name     string
		opts     cmdtest.RunOpts
		args     []string
		want     cmdtest.Want
		question string
		left     []string
	}{
		{"declined", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, []string{"{mail}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "deletion is canceled.")}, "Delete following channels.\n  {mail}\nAre you sure?", []string{"mail", "slack", "hook"}},
		{"accepted for two", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, []string{"{hook}", "{slack}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "deleted", "{hook} hook") + cmdtest.LogLine(true, "deleted", "{slack} slack")},
			"Delete following channels.\n  {hook}\n  {slack}\nAre you sure?", []string{"mail"}},
		{"pipes refuse", cmdtest.RunOpts{Stdin: "y\n"}, []string{"{mail}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", refuse)}, "", []string{"mail", "slack", "hook"}},
		{"stdout not a terminal", cmdtest.RunOpts{TTY: true, Stdin: "y\n", IOS: func(s *cmdutil.IOStreams) { s.StdoutTTY = false }}, []string{"{mail}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", refuse)}, "", []string{"mail", "slack", "hook"}},
		{"--force", cmdtest.RunOpts{}, []string{"--force", "{slack}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "deleted", "{slack} slack")}, "", []string{"mail", "hook"}},
		{"stops at an unknown id", cmdtest.RunOpts{}, []string{"--force", "{mail}", "nosuch", "{hook}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "deleted", "{mail} mail") + cmdtest.LogLine(false, "error", "API request failed: Channel not found.")},
			"", []string{"slack", "hook"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			seedThree(e)
			if _, err := e.API().UpdateNotificationGroup(t.Context(), defaultGroupID(e), defaultGroupWith(e, e.Names["slack"])); err != nil {
				t.Fatal(err)
			}
			e.CheckT(t, e.RunWith(tt.opts, append([]string{"channels", "delete"}, tt.args...)...), tt.want)
			if p, ok := tt.opts.Prompter.(*cmdtest.FakePrompter); ok {
				if want := []string{e.Expand(tt.question)}; !slices.Equal(p.Questions, want) || slices.Contains(p.Defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.Questions, p.Defaults, want)
				}
			}
			var left []string
			for _, ch := range mustChannels(e) {
				left = append(left, ch.Name())
			}
			cmdtest.Equal(t, "channels left", left, tt.left)
			wantDefault := []string{}
			if slices.Contains(tt.left, "slack") {
				wantDefault = []string{e.Names["slack"]}
			}
			cmdtest.Equal(t, "default group's channels", defaultGroupChannels(e), wantDefault)
		})
	}
	e := cmdtest.New(t)
	e.Check(e.Run("channels", "delete", "--force"), cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "delete needs at least one channel id", "channels", "delete")})
}
