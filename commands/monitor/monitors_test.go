package monitor_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// sevenRules is a monitors.json with one rule of each type, as a person
// writes it: no ids, server defaults left out.
const sevenRules = `{"monitors":[
{"type":"host","name":"cpu","metric":"cpu%","operator":">","warning":80,"critical":90,"duration":3,"scopes":["svc"]},
{"type":"connectivity","name":"conn"},
{"type":"service","name":"svcx","service":"svc","metric":"x","operator":">","warning":1,"critical":2,"duration":1},
{"type":"external","name":"web","url":"https://example.com","service":"svc","responseTimeWarning":500,"responseTimeCritical":1000,"responseTimeDuration":3,"headers":[{"name":"A","value":"b"}]},
{"type":"expression","name":"expr","expression":"max(role(\"svc:web\", \"loadavg5\"))","operator":">","warning":null,"critical":5},
{"type":"anomalyDetection","name":"anom","scopes":["svc: web"],"warningSensitivity":"normal"},
{"type":"query","name":"q","query":"custom.x","operator":">","warning":1,"critical":2,"legend":""}
]}
`

// pulledRules is what pull writes after sevenRules was pushed: ids, the
// server's defaults, client field order, sorted by type then name.
const pulledRules = `{
    "monitors": [
        {
            "id": "{m-conn}",
            "name": "conn",
            "alertStatusOnGone": "CRITICAL",
            "type": "connectivity"
        },
        {
            "id": "{m-cpu}",
            "name": "cpu",
            "type": "host",
            "metric": "cpu%",
            "operator": ">",
            "warning": 80,
            "critical": 90,
            "duration": 3,
            "maxCheckAttempts": 1,
            "scopes": [
                "svc"
            ]
        },
        {
            "id": "{m-svcx}",
            "name": "svcx",
            "type": "service",
            "service": "svc",
            "metric": "x",
            "operator": ">",
            "warning": 1,
            "critical": 2,
            "duration": 1,
            "maxCheckAttempts": 1
        },
        {
            "id": "{m-web}",
            "name": "web",
            "type": "external",
            "method": "GET",
            "url": "https://example.com",
            "maxCheckAttempts": 1,
            "service": "svc",
            "responseTimeCritical": 1000,
            "responseTimeWarning": 500,
            "responseTimeDuration": 3,
            "headers": [
                {
                    "name": "A",
                    "value": "b"
                }
            ]
        },
        {
            "id": "{m-expr}",
            "name": "expr",
            "type": "expression",
            "expression": "max(role(\"svc:web\", \"loadavg5\"))",
            "operator": ">",
            "warning": null,
            "critical": 5
        },
        {
            "id": "{m-anom}",
            "name": "anom",
            "type": "anomalyDetection",
            "warningSensitivity": "normal",
            "maxCheckAttempts": 3,
            "scopes": [
                "svc: web"
            ]
        },
        {
            "id": "{m-q}",
            "name": "q",
            "type": "query",
            "query": "custom.x",
            "operator": ">",
            "warning": 1,
            "critical": 2
        }
    ]
}
`

// newMonitorsEnv is an Env whose server holds the seven rules, their ids
// recorded as {m-<name>}.
func newMonitorsEnv(t *testing.T) *cmdtest.Env {
	t.Helper()
	e := cmdtest.New(t)
	e.SeedService("svc", "web")
	r := e.Run("monitors", "push", "-F", e.WriteFile("seven.json", sevenRules))
	if r.Code != 0 {
		t.Fatalf("seeding push:\n%s", r)
	}
	recordMonitorIDs(t, e)
	return e
}

func recordMonitorIDs(t *testing.T, e *cmdtest.Env) {
	t.Helper()
	ms, err := e.API().FindMonitors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		e.Names["m-"+m.Name()] = m.ID()
	}
}

// remoteJSON is every monitor on the server, for "nothing changed" checks.
func remoteJSON(t *testing.T, e *cmdtest.Env) string {
	t.Helper()
	ms, err := e.API().FindMonitors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ms)
	return string(b)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func infoLines(tty bool, msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(cmdtest.LogLine(tty, "info", m))
	}
	return b.String()
}

// TestMonitorsPushPullRoundTrip: a file of every type pushes (created in
// file order, printed as upstream), pulls back in client field order, and
// the pulled file then diffs and pushes as no change.
func TestMonitorsPushPullRoundTrip(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("svc", "web")
	r := e.Run("monitors", "push", "-F", e.WriteFile("seven.json", sevenRules))
	create := strings.Repeat("Create a new rule.\x00", 7)
	e.Check(r, cmdtest.Want{Stdout: `{
  "name": "cpu",
  "type": "host",
  "metric": "cpu%",
  "operator": ">",
  "warning": 80,
  "critical": 90,
  "duration": 3,
  "scopes": [
    "svc"
  ]
},
{
  "name": "conn",
  "type": "connectivity"
},
{
  "name": "svcx",
  "type": "service",
  "service": "svc",
  "metric": "x",
  "operator": ">",
  "warning": 1,
  "critical": 2,
  "duration": 1
},
{
  "name": "web",
  "type": "external",
  "url": "https://example.com",
  "service": "svc",
  "responseTimeCritical": 1000,
  "responseTimeWarning": 500,
  "responseTimeDuration": 3,
  "headers": [
    {
      "name": "A",
      "value": "b"
    }
  ]
},
{
  "name": "expr",
  "type": "expression",
  "expression": "max(role(\"svc:web\", \"loadavg5\"))",
  "operator": ">",
  "warning": null,
  "critical": 5
},
{
  "name": "anom",
  "type": "anomalyDetection",
  "warningSensitivity": "normal",
  "scopes": [
    "svc: web"
  ]
},
{
  "name": "q",
  "type": "query",
  "query": "custom.x",
  "operator": ">",
  "warning": 1,
  "critical": 2
},
`, Stderr: infoLines(false, strings.Split(strings.TrimSuffix(create, "\x00"), "\x00")...)})
	recordMonitorIDs(t, e)

	pulled := e.Dir + "/pulled.json"
	r = e.Run("monitors", "pull", "-F", pulled)
	e.Check(r, cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "Monitor rules are saved to '"+pulled+"' (7 rules).")})
	cmdtest.Equal(t, "pulled file", readFile(t, pulled), e.Expand(pulledRules))

	r = e.Run("monitors", "diff", "-e", "-F", pulled)
	e.Check(r, cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})
	before := remoteJSON(t, e)
	r = e.Run("monitors", "push", "-F", pulled)
	e.Check(r, cmdtest.Want{})
	cmdtest.Equal(t, "monitors after a no-op push", remoteJSON(t, e), before)

	// -v also prints the rules; `mkr monitors` prints the same array.
	var doc struct{ Monitors json.RawMessage }
	if err := json.Unmarshal([]byte(e.Expand(pulledRules)), &doc); err != nil {
		t.Fatal(err)
	}
	list := strings.ReplaceAll(strings.TrimPrefix(e.Expand(pulledRules), "{\n    \"monitors\": "), "\n    ", "\n")
	list = strings.TrimSuffix(list, "\n}\n") + "\n"
	r = e.Run("monitors", "pull", "-v", "-F", pulled)
	e.Check(r, cmdtest.Want{Stdout: list, Stderr: cmdtest.LogLine(false, "info", "Monitor rules are saved to '"+pulled+"' (7 rules).")})
	e.Check(e.Run("monitors"), cmdtest.Want{Stdout: list})
	e.Check(e.Run("monitors", "--jq", ".[].name"), cmdtest.Want{Stdout: "conn\ncpu\nsvcx\nweb\nexpr\nanom\nq\n"})
	r = e.RunWith(cmdtest.RunOpts{TTY: true}, "monitors")
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "ID ") || !strings.Contains(r.Stdout, "svc x") {
		t.Errorf("table on a terminal:\n%s", r)
	}
}

// changedRules differs from the server: cpu changed and without its id
// (matched by name), svcx missing, a new rule mem.
const changedRules = `{"monitors":[
{"id":"{m-conn}","name":"conn","alertStatusOnGone":"CRITICAL","type":"connectivity"},
{"name":"cpu","type":"host","metric":"cpu%","operator":">","warning":80,"critical":95,"duration":3,"maxCheckAttempts":1,"scopes":["svc","svc: web"]},
{"id":"{m-web}","name":"web","type":"external","method":"GET","url":"https://example.com","maxCheckAttempts":1,"service":"svc","responseTimeCritical":1000,"responseTimeWarning":500,"responseTimeDuration":3,"headers":[{"name":"A","value":"b"}]},
{"id":"{m-expr}","name":"expr","type":"expression","expression":"max(role(\"svc:web\", \"loadavg5\"))","operator":">","warning":null,"critical":5},
{"id":"{m-anom}","name":"anom","type":"anomalyDetection","warningSensitivity":"normal","maxCheckAttempts":3,"scopes":["svc: web"]},
{"id":"{m-q}","name":"q","type":"query","query":"custom.x","operator":">","warning":1,"critical":2},
{"name":"mem","type":"host","metric":"memory%","operator":">","warning":null,"critical":95,"duration":1,"maxCheckAttempts":1}
]}
`

const cpuDiff = ` {
-  "critical": 90,
+  "critical": 95,
   "duration": 3,
   "maxCheckAttempts": 1,
   "metric": "cpu%",
   "name": "cpu",
   "operator": ">",
   "scopes": [
     "svc"
+    "svc: web"
   ],
   "type": "host",
   "warning": 80
 },
`

const svcxBlock = `{
@  "id": "{m-svcx}",
@  "name": "svcx",
@  "type": "service",
@  "service": "svc",
@  "metric": "x",
@  "operator": ">",
@  "warning": 1,
@  "critical": 2,
@  "duration": 1,
@  "maxCheckAttempts": 1
@},
`

const memBlock = `{
@  "name": "mem",
@  "type": "host",
@  "metric": "memory%",
@  "operator": ">",
@  "warning": null,
@  "critical": 95,
@  "duration": 1,
@  "maxCheckAttempts": 1
@},
`

func prefixed(block, p string) string {
	return p + strings.ReplaceAll(block, "@", p)
}

func unprefixed(block string) string { return strings.ReplaceAll(block, "@", "") }

// TestMonitorsDiff: upstream's text for a change, a rule only on the
// server and one only in the file; --reverse; --exit-code.
func TestMonitorsDiff(t *testing.T) {
	e := newMonitorsEnv(t)
	file := e.WriteFile("changed.json", e.Expand(changedRules))
	want := "Summary: 1 modify, 1 append, 1 remove\n\n" + cpuDiff + prefixed(svcxBlock, "-") + prefixed(memBlock, "+")
	e.Check(e.Run("monitors", "diff", "-F", file), cmdtest.Want{Stdout: want})
	e.Check(e.Run("monitors", "diff", "--exit-code", "-F", file), cmdtest.Want{Code: 1, Stdout: want})

	reverseCPU := strings.NewReplacer(`-  "critical": 90,`, `-  "critical": 95,`, `+  "critical": 95,`, `+  "critical": 90,`,
		`     "svc"`+"\n"+`+    "svc: web"`, `     "svc",`+"\n"+`-    "svc: web"`).Replace(cpuDiff)
	wantReverse := "Summary: 1 modify, 1 append, 1 remove\n\n" + reverseCPU + prefixed(memBlock, "-") + prefixed(svcxBlock, "+")
	e.Check(e.Run("monitors", "diff", "--reverse", "-e", "-F", file), cmdtest.Want{Code: 1, Stdout: wantReverse})

	// Repeated names switch name matching off: cpu without an id is then a
	// new rule, and the server's cpu a rule to remove.
	dup := strings.Replace(e.Expand(changedRules), `"name":"mem"`, `"name":"cpu"`, 1)
	r := e.Run("monitors", "diff", "-F", e.WriteFile("dup.json", dup))
	if !strings.HasPrefix(r.Stdout, "Summary: 0 modify, 2 append, 2 remove\n") || r.Stderr != " Warning:  Names of local rules are not unique.\n" || r.Code != 0 {
		t.Errorf("repeated names:\n%s", r)
	}
}

// TestMonitorsPushDeletes covers who may delete the rules that are only
// on the server: --delete, a yes on a terminal; otherwise they are kept,
// listed, and push exits 2 after creating and updating the others.
func TestMonitorsPushDeletes(t *testing.T) {
	createUpdate := unprefixed(memBlock) + cpuLocal
	tests := []struct {
		name    string
		opts    cmdtest.RunOpts
		args    []string
		want    cmdtest.Want
		deleted bool
		written bool
		asked   bool
	}{
		{"--delete", cmdtest.RunOpts{}, []string{"--delete"}, cmdtest.Want{
			Stdout: unprefixed(memBlock) + unprefixed(svcxBlock) + cpuLocal,
			Stderr: infoLines(false, "Create a new rule.", "Delete a rule.", "Update a rule."),
		}, true, true, false},
		{"not on a terminal", cmdtest.RunOpts{}, nil, cmdtest.Want{
			Code:   2,
			Stdout: createUpdate,
			Stderr: infoLines(false, "Create a new rule.", "Update a rule.") +
				cmdtest.LogLine(false, "warning", `Kept {m-svcx} service "svcx": it is not in {file}.`) +
				cmdtest.LogLine(false, "error", "1 rule(s) not in {file} were not deleted: run mkr monitors push --delete -F {file} to delete them"),
		}, false, true, false},
		{"yes on a terminal", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, nil, cmdtest.Want{
			Stdout: unprefixed(memBlock) + unprefixed(svcxBlock) + cpuLocal,
			Stderr: infoLines(true, "Create a new rule.", "Delete a rule.", "Update a rule."),
		}, true, true, true},
		{"no on a terminal", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: false}}, nil, cmdtest.Want{
			Stdout: createUpdate,
			Stderr: infoLines(true, "Create a new rule.", "Update a rule.") +
				cmdtest.LogLine(true, "warning", `Kept {m-svcx} service "svcx": it is not in {file}.`) +
				cmdtest.LogLine(true, "info", "Deleting is canceled; mkr monitors push --delete -F {file} deletes them without asking."),
		}, false, true, true},
		{"--dry-run", cmdtest.RunOpts{TTY: true}, []string{"--dry-run"}, cmdtest.Want{
			Stdout: createUpdate,
			Stderr: infoLines(true, "Create a new rule.", "Update a rule.") +
				cmdtest.LogLine(true, "warning", `Kept {m-svcx} service "svcx": it is not in {file}.`) +
				cmdtest.LogLine(true, "warning", "1 rule(s) not in {file} would be kept; mkr monitors push --delete -F {file} would delete them."),
		}, false, false, false},
		{"--dry-run --delete", cmdtest.RunOpts{}, []string{"-d", "--delete"}, cmdtest.Want{
			Stdout: unprefixed(memBlock) + unprefixed(svcxBlock) + cpuLocal,
			Stderr: infoLines(false, "Create a new rule.", "Delete a rule.", "Update a rule."),
		}, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMonitorsEnv(t)
			file := e.WriteFile("changed.json", e.Expand(changedRules))
			e.Names["file"] = file
			before := remoteJSON(t, e)
			r := e.RunWith(tt.opts, append([]string{"monitors", "push", "-F", file}, tt.args...)...)
			e.CheckT(t, r, tt.want)

			after := e.Run("monitors", "--jq", ".[].name").Stdout
			switch {
			case !tt.written:
				cmdtest.Equal(t, "monitors after a dry run", remoteJSON(t, e), before)
			case tt.deleted:
				cmdtest.Equal(t, "monitors", after, "conn\ncpu\nmem\nweb\nexpr\nanom\nq\n")
			default:
				cmdtest.Equal(t, "monitors", after, "conn\ncpu\nmem\nsvcx\nweb\nexpr\nanom\nq\n")
			}
			if p, ok := tt.opts.Prompter.(*cmdtest.FakePrompter); ok {
				want := e.Expand("Delete 1 monitor rule(s) that are not in {file}?\n  {m-svcx} service \"svcx\"\nAre you sure?")
				if len(p.Questions) != 1 || p.Questions[0] != want || p.Defaults[0] {
					t.Errorf("questions %q (defaults %v), want %q with default no", p.Questions, p.Defaults, want)
				}
			}
			if tt.written {
				// What the file says is now on the server.
				e.Check(e.Run("monitors", "diff", "-F", file), cmdtest.Want{Stdout: map[bool]string{
					true:  "Summary: 0 modify, 0 append, 0 remove\n\n",
					false: "Summary: 0 modify, 0 append, 1 remove\n\n" + prefixed(svcxBlock, "-"),
				}[tt.deleted]})
			}
		})
	}
}

// cpuLocal is the changed cpu rule as push prints it (the file's body).
const cpuLocal = `{
  "name": "cpu",
  "type": "host",
  "metric": "cpu%",
  "operator": ">",
  "warning": 80,
  "critical": 95,
  "duration": 3,
  "maxCheckAttempts": 1,
  "scopes": [
    "svc",
    "svc: web"
  ]
},
`

// TestMonitorsFileErrors: upstream's validation messages, a missing file,
// a broken one, a field of the wrong type; nothing is written.
func TestMonitorsFileErrors(t *testing.T) {
	e := newMonitorsEnv(t)
	before := remoteJSON(t, e)
	tests := []struct{ name, file, want string }{
		{"no metric", `{"monitors":[{"type":"host","name":"x"}]}`, "Monitor 'local rules' should have 'Metric': "},
		{"query without operator", `{"monitors":[{"type":"query","name":"q","query":"x"}]}`, "Query monitoring 'q' should have 'operator'"},
		{"no type", `{"monitors":[{"name":"x"}]}`, "Monitor 'local rules' should have 'Type': "},
		{"negative duration", `{"monitors":[{"type":"host","name":"x","metric":"m","duration":-1}]}`,
			`reading {dir}/bad.json: monitor field "duration": json: cannot unmarshal number -1 into Go value of type uint64`},
		{"not JSON", `{"monitors":[`, "reading {dir}/bad.json: unexpected EOF"},
	}
	e.Names["dir"] = e.Dir
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := e.WriteFile("bad.json", tt.file)
			for _, verb := range []string{"diff", "push"} {
				r := e.Run("monitors", verb, "--delete", "-F", file)
				if verb == "diff" {
					r = e.Run("monitors", verb, "-F", file)
				}
				e.CheckT(t, r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", tt.want)})
			}
		})
	}
	r := e.Run("monitors", "diff", "-F", e.Dir+"/none.json")
	e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "open "+e.Dir+"/none.json: no such file or directory")})
	cmdtest.Equal(t, "monitors after refused pushes", remoteJSON(t, e), before)
}

// TestMonitorsUnknownPassThrough: a server newer than this mkr (here the
// real backend behind a wrapper that answers as such a server would) adds a
// field to a known type and a monitor type mkr does not know. pull keeps
// both, diff sees no change, and push sends the field back in its update
// and leaves the unknown monitor alone (upstream dropped both silently).
func TestMonitorsUnknownPassThrough(t *testing.T) {
	e := newMonitorsEnv(t)
	cpuID := e.Names["m-cpu"]
	api := e.StartAPIWith(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || r.URL.Path != "/api/v0/monitors" {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := strings.Replace(rec.Body.String(), `{"id":"`+cpuID+`"`, `{"future":{"b":1,"a":[2]},"id":"`+cpuID+`"`, 1)
			end := strings.LastIndex(body, "]}")
			body = body[:end] + `,{"id":"fut1","type":"logs","name":"errors","threshold":1.50}` + body[end:]
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		})
	})
	file := e.Dir + "/pulled.json"
	r := e.RunRemote(api.URL, "", cmdtest.RunOpts{}, "monitors", "pull", "-F", file)
	if r.Code != 0 {
		t.Fatalf("pull:\n%s", r)
	}
	pulled := readFile(t, file)
	for _, want := range []string{
		`            "scopes": [
                "svc"
            ],
            "future": {
                "b": 1,
                "a": [
                    2
                ]
            }
        },`,
		`        {
            "id": "fut1",
            "type": "logs",
            "name": "errors",
            "threshold": 1.50
        }
    ]
}
`} {
		if !strings.Contains(pulled, want) {
			t.Errorf("pulled file lacks\n%s\nin\n%s", want, pulled)
		}
	}
	r = e.RunRemote(api.URL, "", cmdtest.RunOpts{}, "monitors", "diff", "-e", "-F", file)
	e.Check(r, cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})

	api.Requests()
	e.WriteFile("pulled.json", strings.Replace(pulled, `"critical": 90,`, `"critical": 99,`, 1))
	r = e.RunRemote(api.URL, "", cmdtest.RunOpts{}, "monitors", "push", "--delete", "-F", file)
	if r.Code != 0 || r.Stderr != cmdtest.LogLine(false, "info", "Update a rule.") {
		t.Fatalf("push:\n%s", r)
	}
	var writes []string
	for _, req := range api.Requests() {
		if req.Method != http.MethodGet {
			writes = append(writes, req.String())
		}
	}
	want := `PUT /api/v0/monitors/` + cpuID + ` {"id":"` + cpuID + `","name":"cpu","type":"host","metric":"cpu%","operator":"\u003e","warning":80,"critical":99,` +
		`"duration":3,"maxCheckAttempts":1,"scopes":["svc"],"future":{"b":1,"a":[2]}}`
	if len(writes) != 1 || writes[0] != want {
		t.Errorf("writes:\n%s\nwant:\n%s", strings.Join(writes, "\n"), want)
	}
}

// TestMonitorsDefaultFileAndVerbosePush: without -F the file is
// monitors.json in the working directory; push -v dumps its writes (and
// only its writes) on stderr.
func TestMonitorsDefaultFileAndVerbosePush(t *testing.T) {
	e := newMonitorsEnv(t)
	t.Chdir(e.Dir)
	e.Check(e.Run("monitors", "pull"), cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "Monitor rules are saved to 'monitors.json' (7 rules).")})
	cmdtest.Equal(t, "monitors.json", readFile(t, e.Dir+"/monitors.json"), e.Expand(pulledRules))
	e.Check(e.Run("monitors", "diff"), cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})

	e.WriteFile("monitors.json", strings.Replace(e.Expand(pulledRules), `"critical": 90,`, `"critical": 91,`, 1))
	r := e.Run("monitors", "push", "-v")
	if r.Code != 0 || !strings.Contains(r.Stderr, e.Expand("> PUT http://mkr.local/api/v0/monitors/{m-cpu}\n")) ||
		!strings.Contains(r.Stderr, "< 200 OK\n") || strings.Contains(r.Stderr, "> GET") {
		t.Errorf("push -v:\n%s", r)
	}
	e.Check(e.Run("monitors", "diff", "-e"), cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})
}
