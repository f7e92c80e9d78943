package commands

import (
	"testing"
)

func TestMetadataHost(t *testing.T) {
	e := newTestEnv(t)
	e.createHost("web")
	file := e.writeFile("value.json", "[1, 2]\n")
	tty := runOpts{tty: true}
	refuse := logLine(false, "error", "refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)")
	put := func(ns string, rest ...string) []string {
		return append([]string{"metadata", "put", "--host", "{web}", ns}, rest...)
	}
	get := func(ns string, rest ...string) []string {
		return append([]string{"metadata", "get", "-H", "{web}", ns}, rest...)
	}
	usage := func(sub, msg string) want {
		return want{code: 1, stderr: e.helpOf("metadata", sub) + logLine(false, "error", msg)}
	}
	e.runSteps(t, []step{
		{name: "none yet", args: []string{"metadata", "list", "-H", "{web}"}, want: want{stdout: "[]\n"}},
		{name: "none yet on a terminal", opts: tty, args: []string{"metadata", "list", "-H", "{web}"}, want: want{stdout: "NAMESPACE\n"}},
		{name: "put from the argument", args: put("app", `{"b":[1,2.50,12345678901234567890,0.025],"a":"<&>"}`), want: want{
			stderr: logLine(false, "updated", "metadata app"),
		}},
		{name: "get keeps order, numbers and escapes", args: get("app"), want: want{stdout: `{
    "b": [
        1,
        2.50,
        12345678901234567890,
        0.025
    ],
    "a": "<\u0026>"
}
`}},
		{name: "get on a terminal is JSON too", opts: tty, args: get("app", "--jq", "."), want: want{
			stdout: `{"a":"\u003c\u0026\u003e","b":[1,2.50,12345678901234567890,0.025]}` + "\n",
		}},
		{name: "get --jq keeps number precision", args: get("app", "--jq", ".b[2], .b[3], .b[3] * 2, .a"), want: want{
			stdout: "12345678901234567890\n0.025\n0.05\n<&>\n",
		}},
		{name: "put --file", opts: tty, args: put("file", "--file", file), want: want{stderr: logLine(true, "updated", "metadata file")}},
		{name: "get --file value", args: get("file"), want: want{stdout: "[\n    1,\n    2\n]\n"}},
		{name: "put from stdin with -", opts: runOpts{stdin: "\"piped\"\n"}, args: put("pipe", "-"), want: want{
			stderr: logLine(false, "updated", "metadata pipe"),
		}},
		{name: "put from stdin without a value", opts: runOpts{stdin: `{"x": null}`}, args: put("stdin"), want: want{
			stderr: logLine(false, "updated", "metadata stdin"),
		}},
		{name: "get stdin values", args: []string{"metadata", "get", "-H", "{web}", "pipe"}, want: want{stdout: "\"piped\"\n"}},
		{name: "get --jq null prints an empty line", args: get("stdin", "--jq", ".x"), want: want{stdout: "\n"}},
		{name: "list", args: []string{"metadata", "list", "-H", "{web}"}, want: want{
			stdout: "[\n    \"app\",\n    \"file\",\n    \"pipe\",\n    \"stdin\"\n]\n",
		}},
		{name: "list on a terminal", opts: tty, args: []string{"metadata", "list", "-H", "{web}"}, want: want{
			stdout: "NAMESPACE\napp\nfile\npipe\nstdin\n",
		}},

		{name: "invalid JSON", args: put("bad", "{x"), want: usage("put", "the metadata value is not valid JSON")},
		{name: "argument and --file", args: put("bad", "1", "-F", file), want: usage("put", "give the value either as an argument or with --file, not both")},
		{name: "missing file", args: put("bad", "--file", e.dir+"/nope.json"), want: usage("put", "open "+e.dir+"/nope.json: no such file or directory")},
		{name: "reserved namespace", args: put("mackerel-x", "1"), want: want{
			code: 1, stderr: logLine(false, "error", `API request failed: Namespaces beginning with "mackerel" are reserved.`),
		}},
		{name: "unknown host", args: []string{"metadata", "put", "-H", "nope", "ns", "1"}, want: want{
			code: 1, stderr: logLine(false, "error", "API request failed: Metadata not found."),
		}},
		{name: "get without a namespace", args: []string{"metadata", "get", "-H", "{web}"}, want: usage("get", "wrong number of arguments")},
		{name: "list with a namespace", args: []string{"metadata", "list", "-H", "{web}", "app"}, want: usage("list", "wrong number of arguments")},
		{name: "host and service", args: []string{"metadata", "get", "-H", "{web}", "-s", "svc", "app"}, want: usage("get", "--host cannot be combined with --service or --role")},
		{name: "role without service", args: []string{"metadata", "list", "-r", "app"}, want: usage("list", "--role needs --service")},
		{name: "no target", args: []string{"metadata", "delete", "--force", "app"}, want: usage("delete", "one of --host or --service is required")},

		{name: "delete refused off a terminal", args: []string{"metadata", "delete", "-H", "{web}", "app"}, want: want{code: 1, stderr: refuse}},
		{name: "delete declined", opts: runOpts{tty: true, prompter: &fakePrompter{}}, args: []string{"metadata", "delete", "-H", "{web}", "app"},
			want: want{stderr: logLine(true, "info", "canceled.")}, asked: []string{"Delete metadata app. Are you sure?"}},
		{name: "still there", args: get("app", "--jq", ".a"), want: want{stdout: "<&>\n"}},
		{name: "delete accepted", opts: runOpts{tty: true, prompter: &fakePrompter{answer: true}}, args: []string{"metadata", "delete", "-H", "{web}", "app"},
			want: want{stderr: logLine(true, "deleted", "metadata app")}, asked: []string{"Delete metadata app. Are you sure?"}},
		{name: "delete --force", args: []string{"metadata", "delete", "-H", "{web}", "file", "--force"}, want: want{stderr: logLine(false, "deleted", "metadata file")}},
		{name: "get deleted", args: get("app"), want: want{code: 1, stderr: logLine(false, "error", "API request failed: Metadata not found.")}},
		{name: "delete deleted", opts: tty, args: []string{"metadata", "delete", "-H", "{web}", "file", "--force"}, want: want{
			code: 1, stderr: logLine(true, "error", "API request failed: Metadata not found."),
		}},
		{name: "left", args: []string{"metadata", "list", "-H", "{web}", "--jq", ".[]"}, want: want{stdout: "pipe\nstdin\n"}},
	})
}

// Services and roles own metadata of their own, apart from each other.
func TestMetadataServiceAndRole(t *testing.T) {
	e := newTestEnv(t)
	e.mustRun("services", "create", "web")
	e.mustRun("roles", "create", "-s", "web", "app")
	svc := func(sub string, rest ...string) []string {
		return append([]string{"metadata", sub, "-s", "web"}, rest...)
	}
	role := func(sub string, rest ...string) []string {
		return append([]string{"metadata", sub, "--service", "web", "--role", "app"}, rest...)
	}
	e.runSteps(t, []step{
		{name: "service put", args: svc("put", "ns", `{"owner":"service"}`), want: want{stderr: logLine(false, "updated", "metadata ns")}},
		{name: "role put from a file", opts: runOpts{tty: true}, args: role("put", "ns", "-F", e.writeFile("role.json", `{"owner":"role"}`)),
			want: want{stderr: logLine(true, "updated", "metadata ns")}},
		{name: "role put from stdin", opts: runOpts{stdin: "[true]"}, args: role("put", "flags"), want: want{stderr: logLine(false, "updated", "metadata flags")}},
		{name: "service get", args: svc("get", "ns"), want: want{stdout: "{\n    \"owner\": \"service\"\n}\n"}},
		{name: "role get", opts: runOpts{tty: true}, args: role("get", "ns", "--jq", ".owner"), want: want{stdout: "role\n"}},
		{name: "service list", args: svc("list"), want: want{stdout: "[\n    \"ns\"\n]\n"}},
		{name: "role list", args: role("list", "--jq", "join(\",\")"), want: want{stdout: "flags,ns\n"}},
		{name: "role delete", args: role("delete", "--force", "ns"), want: want{stderr: logLine(false, "deleted", "metadata ns")}},
		{name: "service keeps its own", args: svc("get", "ns", "--jq", ".owner"), want: want{stdout: "service\n"}},
		{name: "role left", args: role("list", "--jq", ".[]"), want: want{stdout: "flags\n"}},
		{name: "unknown role", args: []string{"metadata", "list", "-s", "web", "-r", "nope"}, want: want{
			code: 1, stderr: logLine(false, "error", "API request failed: Metadata not found."),
		}},
		{name: "unknown service", args: []string{"metadata", "get", "-s", "nope", "ns"}, want: want{
			code: 1, stderr: logLine(false, "error", "API request failed: Metadata not found."),
		}},
	})
}
