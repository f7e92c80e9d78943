package graphdef_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestGraphDefsDeleteServiceConfirms: deleting a service graph deletes its
// metric data, so it is confirmed like retire — default no on a terminal,
// refused without a terminal unless --force, never assumed.
func TestGraphDefsDeleteServiceConfirms(t *testing.T) {
	refuse := "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)"
	question := "Delete the metrics of graph req.* of service blog (their data cannot be restored). Are you sure?"
	tests := []struct {
		name      string
		opts      cmdtest.RunOpts
		args      []string
		want      cmdtest.Want
		questions []string
		deleted   bool
	}{
		{"piped: refused", cmdtest.RunOpts{Stdin: "y\n"}, nil,
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", refuse)}, nil, false},
		{"declined", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, nil,
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "canceled.")}, []string{question}, false},
		{"accepted", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, nil,
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "deleted", "graph definition req.*")}, []string{question}, true},
		{"--force piped", cmdtest.RunOpts{}, []string{"--force"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "deleted", "graph definition req.*")}, nil, true},
		{"--force on a terminal asks nothing", cmdtest.RunOpts{TTY: true}, []string{"--force"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "deleted", "graph definition req.*")}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			e.SeedService("blog")
			e.Check(e.RunWith(cmdtest.RunOpts{Stdin: fmt.Sprintf("req.get.count 1 %d\nother.x 2 %d\n", hourAgo, hourAgo)}, "throw", "-s", "blog"),
				cmdtest.Want{Stderr: "    thrown 2 values to blog\n"})
			args := append([]string{"graph-defs", "delete", "-s", "blog"}, tt.args...)
			e.Check(e.RunWith(tt.opts, append(args, "req.*")...), tt.want)
			if p, ok := tt.opts.Prompter.(*cmdtest.FakePrompter); ok {
				if !slices.Equal(p.Questions, tt.questions) || slices.Contains(p.Defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.Questions, p.Defaults, tt.questions)
				}
			}
			want := "other.x\nreq.get.count\n"
			if tt.deleted {
				want = "other.x\n"
			}
			if got := e.MustRun("metric-names", "-s", "blog", "--jq", ".[]"); got != want {
				t.Errorf("metric names afterwards: %q, want %q", got, want)
			}
		})
	}
}
