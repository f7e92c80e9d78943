package host_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

func TestRetire(t *testing.T) {
	refuse := "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)"
	noID := "no host id given, and no mackerel-agent host id file was found (<root>/id)"
	tests := []struct {
		name      string
		opts      cmdtest.RunOpts
		idFile    bool
		args      []string
		want      cmdtest.Want
		questions []string // asked of the fake person
		retired   string   // names of retired hosts, in order
	}{
		{"declined", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, false, []string{"retire", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "retirement is canceled.")},
			[]string{"Retire following hosts.\n  {web}\nAre you sure?"}, ""},
		{"declined for several hosts", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, false, []string{"retire", "{web}", "{db}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "retirement is canceled.")},
			[]string{"Retire following hosts.\n  {web}\n  {db}\nAre you sure?"}, ""},
		{"accepted", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, false, []string{"retire", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "retired", "{web}")},
			[]string{"Retire following hosts.\n  {web}\nAre you sure?"}, "web"},
		{"accepted for several hosts", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, false, []string{"retire", "{db}", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "retired", "{db}") + cmdtest.LogLine(true, "retired", "{web}")},
			[]string{"Retire following hosts.\n  {db}\n  {web}\nAre you sure?"}, "web db"},
		{"accepted for the local host", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, true, []string{"retire"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "retired", "{web}")},
			[]string{"Retire following hosts.\n  {web}\nAre you sure?"}, "web"},

		{"pipes refuse", cmdtest.RunOpts{}, false, []string{"retire", "{web}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", refuse)}, nil, ""},
		{"stdout not a terminal", cmdtest.RunOpts{TTY: true, IOS: func(s *cmdutil.IOStreams) { s.StdoutTTY = false }}, false, []string{"retire", "{web}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", refuse)}, nil, ""},
		{"stdin not a terminal", cmdtest.RunOpts{TTY: true, Stdin: "y\n", IOS: func(s *cmdutil.IOStreams) { s.StdinTTY = false }}, false, []string{"retire", "{web}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", refuse)}, nil, ""},

		{"--force", cmdtest.RunOpts{}, false, []string{"retire", "--force", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "retired", "{web}")}, nil, "web"},
		{"--force on a terminal asks nothing", cmdtest.RunOpts{TTY: true}, false, []string{"retire", "{web}", "--force"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "retired", "{web}")}, nil, "web"},
		{"--force for the local host", cmdtest.RunOpts{}, true, []string{"retire", "--force"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "retired", "{web}")}, nil, "web"},
		{"--force for several hosts", cmdtest.RunOpts{}, false, []string{"retire", "--force", "{web}", "{db}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "retired", "{web}") + cmdtest.LogLine(false, "retired", "{db}")}, nil, "web db"},

		{"unknown host", cmdtest.RunOpts{}, false, []string{"retire", "--force", "nope"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "host not found: nope (nothing was retired)")}, nil, ""},
		{"an unknown host among several retires none", cmdtest.RunOpts{}, false, []string{"retire", "--force", "{web}", "nope"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "host not found: nope (nothing was retired)")}, nil, ""},
		// Checked before asking: no question about a typo.
		{"unknown hosts on a terminal ask nothing", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, false, []string{"retire", "nope1", "{db}", "nope2"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", "hosts not found: nope1, nope2 (nothing was retired)")}, nil, ""},
		{"a retired host", cmdtest.RunOpts{}, false, []string{"retire", "--force", "{db}", "{gone}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "host already retired: {gone} (nothing was retired)")}, nil, ""},
		{"no id", cmdtest.RunOpts{}, false, []string{"retire", "--force"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, noID, "retire")}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.CreateHost("web")
			e.CreateHost("db")
			e.CreateHost("gone")
			e.MustRun("retire", "--force", "{gone}")
			if tt.idFile {
				e.WriteHostID(e.Names["web"] + "\r\n")
			}
			e.Check(e.RunWith(tt.opts, tt.args...), tt.want)
			if p, ok := tt.opts.Prompter.(*cmdtest.FakePrompter); ok {
				var want []string
				for _, q := range tt.questions {
					want = append(want, e.Expand(q))
				}
				if !slices.Equal(p.Questions, want) || slices.Contains(p.Defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.Questions, p.Defaults, want)
				}
			}
			e.Check(e.Run("hosts", "--st", "working", "--jq", ".[].name"), cmdtest.Want{Stdout: live("web db", tt.retired)})
			e.Check(e.Run("status", "{web}", "--jq", ".isRetired"), cmdtest.Want{Stdout: fmt.Sprintln(strings.Contains(tt.retired, "web"))})
		})
	}
}

// live returns the names of all that are not retired, one per line.
func live(all, retired string) string {
	var b strings.Builder
	for _, n := range strings.Fields(all) {
		if !slices.Contains(strings.Fields(retired), n) {
			b.WriteString(n + "\n")
		}
	}
	return b.String()
}

// Several hosts are retired with bulk requests of at most 30 ids (the
// API's limit); one host with the single-host endpoint.
func TestRetireBulk(t *testing.T) {
	for _, n := range []int{1, 3, 30, 31, 61} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			api := e.StartAPI()
			ids := make([]string, n)
			var wantErr strings.Builder
			for i := range ids {
				ids[i] = e.SeedHost(client.CreateHostParam{Name: fmt.Sprintf("h%02d", i)})
				wantErr.WriteString(cmdtest.LogLine(false, "retired", ids[i]))
			}
			api.Requests()
			r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{}, append([]string{"retire", "--force"}, ids...)...)
			e.Check(r, cmdtest.Want{Stderr: wantErr.String()})

			var wantReqs []string
			if n == 1 {
				wantReqs = []string{"POST /api/v0/hosts/" + ids[0] + "/retire null"}
			}
			for start := 0; n > 1 && start < n; start += 30 {
				wantReqs = append(wantReqs, fmt.Sprintf(`POST /api/v0/hosts/bulk-retire {"ids":["%s"]}`, strings.Join(ids[start:min(start+30, n)], `","`)))
			}
			// Each id is looked up once, all before the first write.
			var got, lookups []string
			for _, req := range api.Requests() {
				if req.Method == "GET" {
					if len(got) > 0 {
						t.Errorf("lookup %s after a write", req)
					}
					lookups = append(lookups, strings.TrimPrefix(req.Path, "/api/v0/hosts/"))
					continue
				}
				got = append(got, req.String())
			}
			slices.Sort(lookups)
			if want := slices.Sorted(slices.Values(ids)); !slices.Equal(lookups, want) {
				t.Errorf("looked up %q, want each of %q once", lookups, want)
			}
			if !slices.Equal(got, wantReqs) {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReqs, "\n"))
			}
			e.Check(e.Run("hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
		})
	}
}
