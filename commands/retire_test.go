package commands

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

func TestRetire(t *testing.T) {
	refuse := "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)"
	noID := "no host id given, and no mackerel-agent host id file was found (<root>/id)"
	tests := []struct {
		name      string
		opts      runOpts
		idFile    bool
		args      []string
		want      want
		questions []string // asked of the fake person
		retired   string   // names of retired hosts, in order
	}{
		{"declined", runOpts{tty: true, prompter: &fakePrompter{}}, false, []string{"retire", "{web}"},
			want{stderr: logLine(true, "info", "retirement is canceled.")},
			[]string{"Retire following hosts.\n  {web}\nAre you sure?"}, ""},
		{"declined for several hosts", runOpts{tty: true, prompter: &fakePrompter{}}, false, []string{"retire", "{web}", "{db}"},
			want{stderr: logLine(true, "info", "retirement is canceled.")},
			[]string{"Retire following hosts.\n  {web}\n  {db}\nAre you sure?"}, ""},
		{"accepted", runOpts{tty: true, prompter: &fakePrompter{answer: true}}, false, []string{"retire", "{web}"},
			want{stderr: logLine(true, "retired", "{web}")},
			[]string{"Retire following hosts.\n  {web}\nAre you sure?"}, "web"},
		{"accepted for several hosts", runOpts{tty: true, prompter: &fakePrompter{answer: true}}, false, []string{"retire", "{db}", "{web}"},
			want{stderr: logLine(true, "retired", "{db}") + logLine(true, "retired", "{web}")},
			[]string{"Retire following hosts.\n  {db}\n  {web}\nAre you sure?"}, "web db"},
		{"accepted for the local host", runOpts{tty: true, prompter: &fakePrompter{answer: true}}, true, []string{"retire"},
			want{stderr: logLine(true, "retired", "{web}")},
			[]string{"Retire following hosts.\n  {web}\nAre you sure?"}, "web"},

		{"pipes refuse", runOpts{}, false, []string{"retire", "{web}"},
			want{code: 1, stderr: logLine(false, "error", refuse)}, nil, ""},
		{"stdout not a terminal", runOpts{tty: true, ios: func(s *IOStreams) { s.StdoutTTY = false }}, false, []string{"retire", "{web}"},
			want{code: 1, stderr: logLine(true, "error", refuse)}, nil, ""},
		{"stdin not a terminal", runOpts{tty: true, stdin: "y\n", ios: func(s *IOStreams) { s.StdinTTY = false }}, false, []string{"retire", "{web}"},
			want{code: 1, stderr: logLine(true, "error", refuse)}, nil, ""},

		{"--force", runOpts{}, false, []string{"retire", "--force", "{web}"},
			want{stderr: logLine(false, "retired", "{web}")}, nil, "web"},
		{"--force on a terminal asks nothing", runOpts{tty: true}, false, []string{"retire", "{web}", "--force"},
			want{stderr: logLine(true, "retired", "{web}")}, nil, "web"},
		{"--force for the local host", runOpts{}, true, []string{"retire", "--force"},
			want{stderr: logLine(false, "retired", "{web}")}, nil, "web"},
		{"--force for several hosts", runOpts{}, false, []string{"retire", "--force", "{web}", "{db}"},
			want{stderr: logLine(false, "retired", "{web}") + logLine(false, "retired", "{db}")}, nil, "web db"},

		{"unknown host", runOpts{}, false, []string{"retire", "--force", "nope"},
			want{code: 1, stderr: logLine(false, "error", "API request failed: Host Not Found.")}, nil, ""},
		{"an unknown host among several retires none", runOpts{}, false, []string{"retire", "--force", "{web}", "nope"},
			want{code: 1, stderr: logLine(false, "error", "API request failed: Hosts Not Found.")}, nil, ""},
		{"no id", runOpts{}, false, []string{"retire", "--force"},
			want{code: 1, stderr: "{help}" + logLine(false, "error", noID)}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.names["help"] = e.helpOf("retire")
			e.createHost("web")
			e.createHost("db")
			if tt.idFile {
				e.writeHostID(e.names["web"] + "\r\n")
			}
			e.check(e.runWith(tt.opts, tt.args...), tt.want)
			if p, ok := tt.opts.prompter.(*fakePrompter); ok {
				var want []string
				for _, q := range tt.questions {
					want = append(want, e.expand(q))
				}
				if !slices.Equal(p.questions, want) || slices.Contains(p.defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.questions, p.defaults, want)
				}
			}
			e.check(e.run("hosts", "--st", "working", "--jq", ".[].name"), want{stdout: live("web db", tt.retired)})
			e.check(e.run("status", "{web}", "--jq", ".isRetired"), want{stdout: fmt.Sprintln(strings.Contains(tt.retired, "web"))})
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
			e := newTestEnv(t)
			api := e.startAPI()
			ids := make([]string, n)
			var wantErr strings.Builder
			for i := range ids {
				ids[i] = e.seedHost(client.CreateHostParam{Name: fmt.Sprintf("h%02d", i)})
				wantErr.WriteString(logLine(false, "retired", ids[i]))
			}
			api.requests()
			r := e.runRemote(api.URL, "key", runOpts{}, append([]string{"retire", "--force"}, ids...)...)
			e.check(r, want{stderr: wantErr.String()})

			var wantReqs []string
			if n == 1 {
				wantReqs = []string{"POST /api/v0/hosts/" + ids[0] + "/retire null"}
			}
			for start := 0; n > 1 && start < n; start += 30 {
				wantReqs = append(wantReqs, fmt.Sprintf(`POST /api/v0/hosts/bulk-retire {"ids":["%s"]}`, strings.Join(ids[start:min(start+30, n)], `","`)))
			}
			var got []string
			for _, req := range api.requests() {
				got = append(got, req.String())
			}
			if !slices.Equal(got, wantReqs) {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReqs, "\n"))
			}
			e.check(e.run("hosts", "--jq", "length"), want{stdout: "0\n"})
		})
	}
}
