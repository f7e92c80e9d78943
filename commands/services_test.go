package commands

import (
	"slices"
	"testing"
)

// step is one run of a scenario: the steps of a table share one database
// and run in order.
type step struct {
	name string
	opts runOpts
	args []string
	want want
	// asked is what the fake person must have been asked (with opts.prompter).
	asked []string
}

func (e *testEnv) runSteps(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		r := e.runWith(s.opts, s.args...)
		t.Run(s.name, func(t *testing.T) {
			e.checkT(t, r, s.want)
			if p, ok := s.opts.prompter.(*fakePrompter); ok {
				if !slices.Equal(p.questions, s.asked) || slices.Contains(p.defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.questions, p.defaults, s.asked)
				}
			}
		})
	}
}

func TestServicesAndRoles(t *testing.T) {
	e := newTestEnv(t)
	tty := runOpts{tty: true}
	no := func() runOpts { return runOpts{tty: true, prompter: &fakePrompter{}} }
	yes := func() runOpts { return runOpts{tty: true, prompter: &fakePrompter{answer: true}} }
	refuse := logLine(false, "error", "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)")
	svcNotFound := "API request failed: Service not found."
	e.runSteps(t, []step{
		{name: "no services", args: []string{"services"}, want: want{stdout: "[]\n"}},
		{name: "no services on a terminal", opts: tty, args: []string{"services"}, want: want{stdout: "NAME   ROLES   MEMO\n"}},
		{name: "create", args: []string{"services", "create", "--memo", "<web> & tier", "web"}, want: want{
			stdout: "{\n    \"name\": \"web\",\n    \"memo\": \"<web> \\u0026 tier\",\n    \"roles\": []\n}\n",
			stderr: logLine(false, "created", "service web"),
		}},
		{name: "create on a terminal prints JSON", opts: tty, args: []string{"services", "create", "db"}, want: want{
			stdout: "{\n    \"name\": \"db\",\n    \"memo\": \"\",\n    \"roles\": []\n}\n",
			stderr: logLine(true, "created", "service db"),
		}},
		{name: "create --jq", args: []string{"services", "create", "batch", "--jq", ".name"}, want: want{
			stdout: "batch\n", stderr: logLine(false, "created", "service batch"),
		}},
		{name: "create a duplicate", args: []string{"services", "create", "web"}, want: want{
			code: 1, stderr: logLine(false, "error", "API request failed: service web already exists"),
		}},
		{name: "create an invalid name", opts: tty, args: []string{"services", "create", "x"}, want: want{
			code: 1, stderr: logLine(true, "error", `API request failed: Invalid service name "x": use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`),
		}},
		{name: "create without a name", args: []string{"services", "create"}, want: want{
			code: 1, stderr: e.helpOf("services", "create") + logLine(false, "error", "services create needs exactly one <serviceName>"),
		}},

		{name: "role create", args: []string{"roles", "create", "-s", "web", "--memo", "m", "app"}, want: want{
			stdout: "{\n    \"name\": \"app\",\n    \"memo\": \"m\"\n}\n", stderr: logLine(false, "created", "role web:app"),
		}},
		{name: "role create on a terminal", opts: tty, args: []string{"roles", "create", "api", "--service", "web"}, want: want{
			stdout: "{\n    \"name\": \"api\",\n    \"memo\": \"\"\n}\n", stderr: logLine(true, "created", "role web:api"),
		}},
		{name: "role create in an unknown service", args: []string{"roles", "create", "-s", "nope", "app"}, want: want{
			code: 1, stderr: logLine(false, "error", svcNotFound),
		}},
		{name: "role create without --service", args: []string{"roles", "create", "app"}, want: want{
			code: 1, stderr: e.helpOf("roles", "create") + logLine(false, "error", "--service is required"),
		}},
		{name: "roles list", args: []string{"roles", "list", "-s", "web"}, want: want{
			stdout: "[\n    {\n        \"name\": \"api\",\n        \"memo\": \"\"\n    },\n    {\n        \"name\": \"app\",\n        \"memo\": \"m\"\n    }\n]\n",
		}},
		{name: "roles lists by default", opts: tty, args: []string{"roles", "-s", "web"}, want: want{
			stdout: "NAME   MEMO\napi\napp    m\n",
		}},
		{name: "roles list --jq", args: []string{"roles", "list", "-s", "web", "--jq", ".[].name"}, want: want{stdout: "api\napp\n"}},
		{name: "roles of an empty service", args: []string{"roles", "list", "-s", "db"}, want: want{stdout: "[]\n"}},
		{name: "roles of an unknown service", args: []string{"roles", "-s", "nope"}, want: want{code: 1, stderr: logLine(false, "error", svcNotFound)}},
		{name: "roles without --service", args: []string{"roles"}, want: want{
			code: 1, stderr: e.helpOf("roles") + logLine(false, "error", "--service is required"),
		}},
		{name: "services list roles", args: []string{"services"}, want: want{
			stdout: `[
    {
        "name": "batch",
        "memo": "",
        "roles": []
    },
    {
        "name": "db",
        "memo": "",
        "roles": []
    },
    {
        "name": "web",
        "memo": "<web> \u0026 tier",
        "roles": [
            "api",
            "app"
        ]
    }
]
`}},
		{name: "services table", opts: tty, args: []string{"services"}, want: want{
			stdout: "NAME    ROLES     MEMO\nbatch\ndb\nweb     api,app   <web> & tier\n",
		}},
		{name: "services --jq", opts: tty, args: []string{"services", "--jq", ".[2].roles"}, want: want{stdout: "[\"api\",\"app\"]\n"}},

		{name: "role delete refused off a terminal", args: []string{"roles", "delete", "-s", "web", "app"}, want: want{code: 1, stderr: refuse}},
		{name: "role delete declined", opts: no(), args: []string{"roles", "delete", "-s", "web", "app"},
			want:  want{stderr: logLine(true, "info", "canceled.")},
			asked: []string{"Delete role web:app. Are you sure?"}},
		{name: "role delete accepted", opts: yes(), args: []string{"roles", "delete", "-s", "web", "app"},
			want:  want{stdout: "{\n    \"name\": \"app\",\n    \"memo\": \"m\"\n}\n", stderr: logLine(true, "deleted", "role web:app")},
			asked: []string{"Delete role web:app. Are you sure?"}},
		{name: "role delete --force", args: []string{"roles", "delete", "--force", "-s", "web", "api", "--jq", ".name"}, want: want{
			stdout: "api\n", stderr: logLine(false, "deleted", "role web:api"),
		}},
		{name: "role delete unknown", args: []string{"roles", "delete", "--force", "-s", "web", "api"}, want: want{
			code: 1, stderr: logLine(false, "error", "API request failed: Role not found."),
		}},
		{name: "roles are gone", args: []string{"roles", "-s", "web"}, want: want{stdout: "[]\n"}},

		{name: "service delete refused off a terminal", args: []string{"services", "delete", "db"}, want: want{code: 1, stderr: refuse}},
		{name: "service delete declined", opts: no(), args: []string{"services", "delete", "db"},
			want:  want{stderr: logLine(true, "info", "canceled.")},
			asked: []string{"Delete service db with its roles, metrics, monitors and annotations. Are you sure?"}},
		{name: "service delete accepted", opts: yes(), args: []string{"services", "delete", "db"},
			want:  want{stdout: "{\n    \"name\": \"db\",\n    \"memo\": \"\",\n    \"roles\": []\n}\n", stderr: logLine(true, "deleted", "service db")},
			asked: []string{"Delete service db with its roles, metrics, monitors and annotations. Are you sure?"}},
		{name: "service delete --force", args: []string{"services", "delete", "web", "--force", "--jq", ".memo"}, want: want{
			stdout: "<web> & tier\n", stderr: logLine(false, "deleted", "service web"),
		}},
		{name: "service delete unknown", opts: tty, args: []string{"services", "delete", "--force", "web"}, want: want{
			code: 1, stderr: logLine(true, "error", svcNotFound),
		}},
		{name: "service delete without a name", args: []string{"services", "delete", "--force"}, want: want{
			code: 1, stderr: e.helpOf("services", "delete") + logLine(false, "error", "services delete needs exactly one <serviceName>"),
		}},
		{name: "one service left", args: []string{"services", "--jq", ".[].name"}, want: want{stdout: "batch\n"}},
	})
}
