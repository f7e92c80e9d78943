package metadata_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestMetadataHost(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	e.CreateHost("web")
	file := e.WriteFile("value.json", "[1, 2]\n")
	tty := cmdtest.RunOpts{TTY: true}
	refuse := cmdtest.LogLine(false, "error", "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)")
	put := func(ns string, rest ...string) []string {
		return append([]string{"metadata", "put", "--host", "{web}", ns}, rest...)
	}
	get := func(ns string, rest ...string) []string {
		return append([]string{"metadata", "get", "-H", "{web}", ns}, rest...)
	}
	usage := func(sub, msg string) cmdtest.Want {
		return cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, msg, "metadata", sub)}
	}
	e.RunSteps(t, []cmdtest.Step{
		{Name: "none yet", Args: []string{"metadata", "list", "-H", "{web}"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "none yet on a terminal", Opts: tty, Args: []string{"metadata", "list", "-H", "{web}"}, Want: cmdtest.Want{Stdout: "NAMESPACE\n"}},
		{Name: "put from the argument", Args: put("app", `{"b":[1,2.50,12345678901234567890,0.025],"a":"<&>"}`), Want: cmdtest.Want{
			Stderr: cmdtest.LogLine(false, "updated", "metadata app"),
		}},
		{Name: "get keeps order, numbers and escapes", Args: get("app"), Want: cmdtest.Want{Stdout: `{
    "b": [
        1,
        2.50,
        12345678901234567890,
        0.025
    ],
    "a": "<\u0026>"
}
`}},
		{Name: "get on a terminal is JSON too", Opts: tty, Args: get("app", "--jq", "."), Want: cmdtest.Want{
			Stdout: `{"a":"\u003c\u0026\u003e","b":[1,2.50,12345678901234567890,0.025]}` + "\n",
		}},
		{Name: "get --jq keeps number precision", Args: get("app", "--jq", ".b[2], .b[3], .b[3] * 2, .a"), Want: cmdtest.Want{
			Stdout: "12345678901234567890\n0.025\n0.05\n<&>\n",
		}},
		{Name: "put --file", Opts: tty, Args: put("file", "--file", file), Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "updated", "metadata file")}},
		{Name: "get --file value", Args: get("file"), Want: cmdtest.Want{Stdout: "[\n    1,\n    2\n]\n"}},
		{Name: "put from stdin with -", Opts: cmdtest.RunOpts{Stdin: "\"piped\"\n"}, Args: put("pipe", "-"), Want: cmdtest.Want{
			Stderr: cmdtest.LogLine(false, "updated", "metadata pipe"),
		}},
		{Name: "put from stdin without a value", Opts: cmdtest.RunOpts{Stdin: `{"x": null}`}, Args: put("stdin"), Want: cmdtest.Want{
			Stderr: cmdtest.LogLine(false, "updated", "metadata stdin"),
		}},
		{Name: "get stdin values", Args: []string{"metadata", "get", "-H", "{web}", "pipe"}, Want: cmdtest.Want{Stdout: "\"piped\"\n"}},
		{Name: "get --jq null prints an empty line", Args: get("stdin", "--jq", ".x"), Want: cmdtest.Want{Stdout: "\n"}},
		{Name: "list", Args: []string{"metadata", "list", "-H", "{web}"}, Want: cmdtest.Want{
			Stdout: "[\n    \"app\",\n    \"file\",\n    \"pipe\",\n    \"stdin\"\n]\n",
		}},
		{Name: "list on a terminal", Opts: tty, Args: []string{"metadata", "list", "-H", "{web}"}, Want: cmdtest.Want{
			Stdout: "NAMESPACE\napp\nfile\npipe\nstdin\n",
		}},

		{Name: "invalid JSON", Args: put("bad", "{x"), Want: usage("put", "the metadata value is not valid JSON")},
		{Name: "argument and --file", Args: put("bad", "1", "-F", file), Want: usage("put", "give the value either as an argument or with --file, not both")},
		{Name: "missing file", Args: put("bad", "--file", e.Dir+"/nope.json"), Want: usage("put", "open "+e.Dir+"/nope.json: no such file or directory")},
		{Name: "reserved namespace", Args: put("mackerel-x", "1"), Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", `API request failed: Namespaces beginning with "mackerel" are reserved.`),
		}},
		{Name: "unknown host", Args: []string{"metadata", "put", "-H", "nope", "ns", "1"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Metadata not found."),
		}},
		{Name: "get without a namespace", Args: []string{"metadata", "get", "-H", "{web}"}, Want: usage("get", "wrong number of arguments")},
		{Name: "list with a namespace", Args: []string{"metadata", "list", "-H", "{web}", "app"}, Want: usage("list", "wrong number of arguments")},
		{Name: "host and service", Args: []string{"metadata", "get", "-H", "{web}", "-s", "svc", "app"}, Want: usage("get", "--host cannot be combined with --service or --role")},
		{Name: "role without service", Args: []string{"metadata", "list", "-r", "app"}, Want: usage("list", "--role needs --service")},
		{Name: "no target", Args: []string{"metadata", "delete", "--force", "app"}, Want: usage("delete", "one of --host or --service is required")},

		{Name: "delete refused off a terminal", Args: []string{"metadata", "delete", "-H", "{web}", "app"}, Want: cmdtest.Want{Code: 1, Stderr: refuse}},
		{Name: "delete declined", Opts: cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, Args: []string{"metadata", "delete", "-H", "{web}", "app"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "info", "canceled.")}, Asked: []string{"Delete metadata app. Are you sure?"}},
		{Name: "still there", Args: get("app", "--jq", ".a"), Want: cmdtest.Want{Stdout: "<&>\n"}},
		{Name: "delete accepted", Opts: cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, Args: []string{"metadata", "delete", "-H", "{web}", "app"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "deleted", "metadata app")}, Asked: []string{"Delete metadata app. Are you sure?"}},
		{Name: "delete --force", Args: []string{"metadata", "delete", "-H", "{web}", "file", "--force"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "deleted", "metadata file")}},
		{Name: "get deleted", Args: get("app"), Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Metadata not found.")}},
		{Name: "delete deleted", Opts: tty, Args: []string{"metadata", "delete", "-H", "{web}", "file", "--force"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(true, "error", "API request failed: Metadata not found."),
		}},
		{Name: "left", Args: []string{"metadata", "list", "-H", "{web}", "--jq", ".[]"}, Want: cmdtest.Want{Stdout: "pipe\nstdin\n"}},
	})
}

// Services and roles own metadata of their own, apart from each other.
func TestMetadataServiceAndRole(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	e.MustRun("services", "create", "web")
	e.MustRun("roles", "create", "-s", "web", "app")
	svc := func(sub string, rest ...string) []string {
		return append([]string{"metadata", sub, "-s", "web"}, rest...)
	}
	role := func(sub string, rest ...string) []string {
		return append([]string{"metadata", sub, "--service", "web", "--role", "app"}, rest...)
	}
	e.RunSteps(t, []cmdtest.Step{
		{Name: "service put", Args: svc("put", "ns", `{"owner":"service"}`), Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "metadata ns")}},
		{Name: "role put from a file", Opts: cmdtest.RunOpts{TTY: true}, Args: role("put", "ns", "-F", e.WriteFile("role.json", `{"owner":"role"}`)),
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "updated", "metadata ns")}},
		{Name: "role put from stdin", Opts: cmdtest.RunOpts{Stdin: "[true]"}, Args: role("put", "flags"), Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "metadata flags")}},
		{Name: "service get", Args: svc("get", "ns"), Want: cmdtest.Want{Stdout: "{\n    \"owner\": \"service\"\n}\n"}},
		{Name: "role get", Opts: cmdtest.RunOpts{TTY: true}, Args: role("get", "ns", "--jq", ".owner"), Want: cmdtest.Want{Stdout: "role\n"}},
		{Name: "service list", Args: svc("list"), Want: cmdtest.Want{Stdout: "[\n    \"ns\"\n]\n"}},
		{Name: "role list", Args: role("list", "--jq", "join(\",\")"), Want: cmdtest.Want{Stdout: "flags,ns\n"}},
		{Name: "role delete", Args: role("delete", "--force", "ns"), Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "deleted", "metadata ns")}},
		{Name: "service keeps its own", Args: svc("get", "ns", "--jq", ".owner"), Want: cmdtest.Want{Stdout: "service\n"}},
		{Name: "role left", Args: role("list", "--jq", ".[]"), Want: cmdtest.Want{Stdout: "flags\n"}},
		{Name: "unknown role", Args: []string{"metadata", "list", "-s", "web", "-r", "nope"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Metadata not found."),
		}},
		{Name: "unknown service", Args: []string{"metadata", "get", "-s", "nope", "ns"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Metadata not found."),
		}},
	})
}
