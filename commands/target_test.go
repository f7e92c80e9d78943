package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOrg(t *testing.T) {
	e := newTestEnv(t)
	api := newTestEnv(t).startAPI()
	e.names["db"], e.names["api"] = e.dbPath(), api.URL
	e.runSteps(t, []step{
		{name: "local", args: []string{"org"}, want: want{
			stdout: "{\n    \"name\": \"local\"\n}\n",
			stderr: logLine(false, "info", "backend: local database {db}"),
		}},
		{name: "local on a terminal", opts: runOpts{tty: true}, args: []string{"org"}, want: want{
			stdout: "NAME    DISPLAY NAME   BACKEND\nlocal                  local database {db}\n",
			stderr: logLine(true, "info", "backend: local database {db}"),
		}},
		{name: "jq", args: []string{"org", "--jq", ".name, .displayName"}, want: want{
			stdout: "local\n\n", stderr: logLine(false, "info", "backend: local database {db}"),
		}},
		{name: "remote", opts: runOpts{env: map[string]string{"MACKEREL_APIKEY": "k"}}, args: []string{"org", "--apibase", "{api}"}, want: want{
			stdout: "{\n    \"name\": \"local\"\n}\n",
			stderr: logLine(false, "info", "backend: {api}"),
		}},
	})
}

// The client is remote when an API key or an API base is configured, local
// otherwise or when --local / MKR_LOCAL=1 say so.
func TestBackendChoice(t *testing.T) {
	srv := newTestEnv(t)
	api := srv.startAPI()
	srv.createHost("remote-host")
	api.requests()

	hostsNames := []string{"hosts", "--jq", ".[].name"}
	tests := []struct {
		name    string
		conf    string // agent config; {api} is the server
		env     map[string]string
		args    []string // before hostsNames
		remote  bool
		key     string // X-Api-Key the server must have seen
		pathPfx string
	}{
		{"nothing configured", "", nil, nil, false, "", ""},
		{"env key and --apibase", "", map[string]string{"MACKEREL_APIKEY": "env-key"}, []string{"--apibase", "{api}"}, true, "env-key", ""},
		{"--apibase after the command", "", map[string]string{"MACKEREL_APIKEY": "env-key"}, []string{"hosts", "--apibase", "{api}"}, true, "env-key", ""},
		{"MACKEREL_API_KEY", "", map[string]string{"MACKEREL_API_KEY": "alt-key", "MACKEREL_APIBASE": "{api}"}, nil, true, "alt-key", ""},
		{"conf key and apibase", `apikey = "conf-key"` + "\n" + `apibase = "{api}"`, nil, nil, true, "conf-key", ""},
		{"env key wins over the conf key", `apikey = "conf-key"` + "\n" + `apibase = "{api}"`, map[string]string{"MACKEREL_APIKEY": "env-key"}, nil, true, "env-key", ""},
		{"--apibase wins over the conf apibase", `apikey = "conf-key"` + "\n" + `apibase = "http://127.0.0.1:1"`, nil, []string{"--apibase", "{api}"}, true, "conf-key", ""},
		{"--apibase without a key", "", nil, []string{"--apibase", "{api}"}, true, "", ""},
		{"an --apibase path is kept", "", map[string]string{"MACKEREL_APIKEY": "k"}, []string{"--apibase", "{api}/mackerel/"}, true, "k", "/mackerel"},
		{"--local despite a key", `apikey = "conf-key"` + "\n" + `apibase = "{api}"`, map[string]string{"MACKEREL_APIKEY": "k"}, []string{"--local"}, false, "", ""},
		{"--local after the command", "", map[string]string{"MACKEREL_APIKEY": "k"}, []string{"hosts", "--local", "--apibase", "{api}"}, false, "", ""},
		{"MKR_LOCAL=1 despite a key", "", map[string]string{"MACKEREL_APIKEY": "k", "MKR_LOCAL": "1"}, []string{"--apibase", "{api}"}, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.names["api"] = api.URL
			e.createHost("local-host")
			if tt.conf != "" {
				e.writeConf(e.expand(tt.conf))
			}
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = e.expand(v)
			}
			args := tt.args
			if len(args) == 0 || args[0] != "hosts" {
				args = append(args, hostsNames...)
			} else {
				args = append(args, hostsNames[1:]...)
			}
			r := e.runWith(runOpts{env: env}, args...)
			reqs := api.requests()
			switch {
			case tt.pathPfx != "":
				e.check(r, want{code: 1, stderr: logLine(false, "error", "API request failed: Not found.")})
			case tt.remote:
				e.check(r, want{stdout: "remote-host\n"})
			default:
				e.check(r, want{stdout: "local-host\n"})
			}
			if !tt.remote {
				if len(reqs) != 0 {
					t.Errorf("local run sent %v", reqs)
				}
				return
			}
			if len(reqs) != 1 {
				t.Fatalf("requests %v, want one", reqs)
			}
			req := reqs[0]
			if req.Method != "GET" || req.Path != tt.pathPfx+"/api/v0/hosts" {
				t.Errorf("request %s %s, want GET %s/api/v0/hosts", req.Method, req.Path, tt.pathPfx)
			}
			if got := req.Header.Values("X-Api-Key"); strings.Join(got, ",") != tt.key {
				t.Errorf("X-Api-Key %q, want %q", got, tt.key)
			}
			if got := req.Header.Get("User-Agent"); got != "mkr/1.2.3-test" {
				t.Errorf("User-Agent %q, want mkr/1.2.3-test", got)
			}
		})
	}
}

// A broken or missing config is a clear error, never a silent fallback.
func TestBrokenConf(t *testing.T) {
	tests := []struct {
		name string
		conf string // "" means no file at all
		args []string
		want string
	}{
		{"bad TOML", "apikey = [", []string{"hosts"}, `failed to load the config "{conf}": toml: line 1 (last key "apikey"): unexpected EOF; expected value`},
		{"bad TOML for create", "apikey = [", []string{"create", "web"}, `failed to load the config "{conf}": toml: line 1 (last key "apikey"): unexpected EOF; expected value`},
		{"bad TOML for org", "root = 1", []string{"org"}, `failed to load the config "{conf}": toml: line 1 (last key "root"): incompatible types: TOML value has type int64; destination has type string`},
		{"missing explicit --conf", "", []string{"hosts"}, "config file not found: {conf}"},
		{"broken include", "include = \"conf.d/*.conf\"\n", []string{"hosts"}, `failed to load the included config "{dir}/conf.d/a.conf": toml: line 1 (last key "apikey"): unexpected EOF; expected value`},
	}
	for _, tt := range tests {
		for _, tty := range []bool{false, true} {
			t.Run(tt.name+"/"+ttyName(tty), func(t *testing.T) {
				e := newTestEnv(t)
				e.names["conf"], e.names["dir"] = e.conf, e.dir
				os.Remove(e.conf)
				if tt.conf != "" {
					e.writeConf(tt.conf)
				}
				if strings.HasPrefix(tt.conf, "include") {
					os.Mkdir(filepath.Join(e.dir, "conf.d"), 0o755)
					e.writeFile("conf.d/a.conf", "apikey = ")
				}
				e.check(e.runWith(runOpts{tty: tty}, tt.args...), want{code: 1, stderr: logLine(tty, "error", tt.want)})
				// Nothing reached the local database either.
				e.check(e.runWith(runOpts{noConf: true}, everyStatus...), want{})
				// --local needs no config at all.
				e.check(e.runWith(runOpts{tty: tty}, "hosts", "--local", "--jq", "length"), want{stdout: "0\n"})
			})
		}
	}
}

// include in the agent config merges files, later ones winning.
func TestConfInclude(t *testing.T) {
	srv := newTestEnv(t)
	api := srv.startAPI()
	e := newTestEnv(t)
	e.writeConf("apikey = \"main-key\"\ninclude = \"conf.d/*.conf\"\n")
	os.Mkdir(filepath.Join(e.dir, "conf.d"), 0o755)
	e.writeFile("conf.d/10-base.conf", "apibase = \"http://127.0.0.1:1\"\napikey = \"first\"\n")
	e.writeFile("conf.d/20-override.conf", "apibase = \""+api.URL+"\"\n")
	e.check(e.run("hosts"), want{stdout: "[]\n"})
	reqs := api.requests()
	if len(reqs) != 1 || reqs[0].Header.Get("X-Api-Key") != "first" {
		t.Errorf("requests %v, want one with the included key", reqs)
	}
}

// DEBUG=1 dumps requests and responses on stderr without the API key.
func TestDebugDump(t *testing.T) {
	srv := newTestEnv(t)
	api := srv.startAPI()
	const key = "very-secret-key"
	tests := []struct {
		name string
		conf string
		env  map[string]string
		args []string
		want want
	}{
		{"remote with the env key", "", map[string]string{"DEBUG": "1", "MACKEREL_APIKEY": key}, []string{"--apibase", "{api}", "org", "--jq", ".name"}, want{
			stdout: "local\n",
			stderr: "> GET {api}/api/v0/org\n> User-Agent: mkr/1.2.3-test\n> X-Api-Key: [REDACTED]\n" +
				"< 200 OK\n< Content-Length: 35\n< Content-Type: application/json; charset=utf-8\n<\n" +
				`{"name":"local","displayName":null}` + "\n" + logLine(false, "info", "backend: {api}"),
		}},
		{"remote with the conf key", `apikey = "` + key + `"`, map[string]string{"DEBUG": "1"}, []string{"retire", "--force", "nope", "--apibase", "{api}"}, want{
			code: 1,
			stderr: "> POST {api}/api/v0/hosts/nope/retire\n> Content-Type: application/json\n> User-Agent: mkr/1.2.3-test\n> X-Api-Key: [REDACTED]\n>\nnull\n" +
				"< 404 Not Found\n< Content-Length: 39\n< Content-Type: application/json; charset=utf-8\n<\n" +
				`{"error":{"message":"Host Not Found."}}` + "\n" + logLine(false, "error", "API request failed: Host Not Found."),
		}},
		{"local", "", map[string]string{"DEBUG": "1", "MACKEREL_APIKEY": key}, []string{"--local", "services"}, want{
			stdout: "[]\n",
			stderr: "> GET http://mkr.local/api/v0/services\n> User-Agent: mkr/1.2.3-test\n" +
				"< 200 OK\n< Content-Type: application/json; charset=utf-8\n<\n" + `{"services":[]}` + "\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.names["api"] = api.URL
			if tt.conf != "" {
				e.writeConf(tt.conf)
			}
			r := e.runWith(runOpts{env: tt.env}, tt.args...)
			e.check(r, tt.want)
			if strings.Contains(r.stdout+r.stderr, key) {
				t.Errorf("the API key leaked:\n%s", r)
			}
			// The key did reach the server.
			if reqs := api.requests(); !strings.HasPrefix(tt.name, "local") && (len(reqs) != 1 || reqs[0].Header.Get("X-Api-Key") != key) {
				t.Errorf("requests %v, want one carrying the key", reqs)
			}
		})
	}
}
