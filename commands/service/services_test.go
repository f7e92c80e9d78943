package service_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestServicesAndRoles(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	tty := cmdtest.RunOpts{TTY: true}
	no := func() cmdtest.RunOpts { return cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}} }
	yes := func() cmdtest.RunOpts {
		return cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}
	}
	refuse := cmdtest.LogLine(false, "error", "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)")
	svcNotFound := "API request failed: Service not found."
	e.RunSteps(t, []cmdtest.Step{
		{Name: "no services", Args: []string{"services"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "no services on a terminal", Opts: tty, Args: []string{"services"}, Want: cmdtest.Want{Stdout: "NAME   ROLES   MEMO\n"}},
		{Name: "create", Args: []string{"services", "create", "--memo", "<web> & tier", "web"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"web\",\n    \"memo\": \"<web> \\u0026 tier\",\n    \"roles\": []\n}\n",
			Stderr: cmdtest.LogLine(false, "created", "service web"),
		}},
		{Name: "create on a terminal prints JSON", Opts: tty, Args: []string{"services", "create", "db"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"db\",\n    \"memo\": \"\",\n    \"roles\": []\n}\n",
			Stderr: cmdtest.LogLine(true, "created", "service db"),
		}},
		{Name: "create --jq", Args: []string{"services", "create", "batch", "--jq", ".name"}, Want: cmdtest.Want{
			Stdout: "batch\n", Stderr: cmdtest.LogLine(false, "created", "service batch"),
		}},
		{Name: "create a duplicate", Args: []string{"services", "create", "web"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: service web already exists"),
		}},
		{Name: "create an invalid name", Opts: tty, Args: []string{"services", "create", "x"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(true, "error", `API request failed: Invalid service name "x": use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`),
		}},
		{Name: "create without a name", Args: []string{"services", "create"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "services create needs exactly one <serviceName>", "services", "create"),
		}},

		{Name: "role create", Args: []string{"roles", "create", "-s", "web", "--memo", "m", "app"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"app\",\n    \"memo\": \"m\"\n}\n", Stderr: cmdtest.LogLine(false, "created", "role web:app"),
		}},
		{Name: "role create on a terminal", Opts: tty, Args: []string{"roles", "create", "api", "--service", "web"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"api\",\n    \"memo\": \"\"\n}\n", Stderr: cmdtest.LogLine(true, "created", "role web:api"),
		}},
		{Name: "role create in an unknown service", Args: []string{"roles", "create", "-s", "nope", "app"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", svcNotFound),
		}},
		{Name: "role create without --service", Args: []string{"roles", "create", "app"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "--service is required", "roles", "create"),
		}},
		{Name: "roles list", Args: []string{"roles", "list", "-s", "web"}, Want: cmdtest.Want{
			Stdout: "[\n    {\n        \"name\": \"api\",\n        \"memo\": \"\"\n    },\n    {\n        \"name\": \"app\",\n        \"memo\": \"m\"\n    }\n]\n",
		}},
		{Name: "roles lists by default", Opts: tty, Args: []string{"roles", "-s", "web"}, Want: cmdtest.Want{
			Stdout: "NAME   MEMO\napi\napp    m\n",
		}},
		{Name: "roles list --jq", Args: []string{"roles", "list", "-s", "web", "--jq", ".[].name"}, Want: cmdtest.Want{Stdout: "api\napp\n"}},
		{Name: "roles of an empty service", Args: []string{"roles", "list", "-s", "db"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "roles of an unknown service", Args: []string{"roles", "-s", "nope"}, Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", svcNotFound)}},
		{Name: "roles without --service", Args: []string{"roles"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "--service is required", "roles"),
		}},
		{Name: "services list roles", Args: []string{"services"}, Want: cmdtest.Want{
			Stdout: `[
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
		{Name: "services table", Opts: tty, Args: []string{"services"}, Want: cmdtest.Want{
			Stdout: "NAME    ROLES     MEMO\nbatch\ndb\nweb     api,app   <web> & tier\n",
		}},
		{Name: "services --jq", Opts: tty, Args: []string{"services", "--jq", ".[2].roles"}, Want: cmdtest.Want{Stdout: "[\"api\",\"app\"]\n"}},

		{Name: "role delete refused off a terminal", Args: []string{"roles", "delete", "-s", "web", "app"}, Want: cmdtest.Want{Code: 1, Stderr: refuse}},
		{Name: "role delete declined", Opts: no(), Args: []string{"roles", "delete", "-s", "web", "app"},
			Want:  cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "canceled.")},
			Asked: []string{"Delete role web:app. Are you sure?"}},
		{Name: "role delete accepted", Opts: yes(), Args: []string{"roles", "delete", "-s", "web", "app"},
			Want:  cmdtest.Want{Stdout: "{\n    \"name\": \"app\",\n    \"memo\": \"m\"\n}\n", Stderr: cmdtest.LogLine(true, "deleted", "role web:app")},
			Asked: []string{"Delete role web:app. Are you sure?"}},
		{Name: "role delete --force", Args: []string{"roles", "delete", "--force", "-s", "web", "api", "--jq", ".name"}, Want: cmdtest.Want{
			Stdout: "api\n", Stderr: cmdtest.LogLine(false, "deleted", "role web:api"),
		}},
		{Name: "role delete unknown", Args: []string{"roles", "delete", "--force", "-s", "web", "api"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Role not found."),
		}},
		{Name: "roles are gone", Args: []string{"roles", "-s", "web"}, Want: cmdtest.Want{Stdout: "[]\n"}},

		{Name: "service delete refused off a terminal", Args: []string{"services", "delete", "db"}, Want: cmdtest.Want{Code: 1, Stderr: refuse}},
		{Name: "service delete declined", Opts: no(), Args: []string{"services", "delete", "db"},
			Want:  cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "canceled.")},
			Asked: []string{"Delete service db with its roles, metrics, monitors and annotations. Are you sure?"}},
		{Name: "service delete accepted", Opts: yes(), Args: []string{"services", "delete", "db"},
			Want:  cmdtest.Want{Stdout: "{\n    \"name\": \"db\",\n    \"memo\": \"\",\n    \"roles\": []\n}\n", Stderr: cmdtest.LogLine(true, "deleted", "service db")},
			Asked: []string{"Delete service db with its roles, metrics, monitors and annotations. Are you sure?"}},
		{Name: "service delete --force", Args: []string{"services", "delete", "web", "--force", "--jq", ".memo"}, Want: cmdtest.Want{
			Stdout: "<web> & tier\n", Stderr: cmdtest.LogLine(false, "deleted", "service web"),
		}},
		{Name: "service delete unknown", Opts: tty, Args: []string{"services", "delete", "--force", "web"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(true, "error", svcNotFound),
		}},
		{Name: "service delete without a name", Args: []string{"services", "delete", "--force"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "services delete needs exactly one <serviceName>", "services", "delete"),
		}},
		{Name: "one service left", Args: []string{"services", "--jq", ".[].name"}, Want: cmdtest.Want{Stdout: "batch\n"}},
	})
}
