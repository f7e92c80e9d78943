package notificationgroup_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// changedGroups leaves the default group out (so it is left alone), turns
// ops to level all, drops dev and adds sre.
const changedGroups = `{"notificationGroups":[
{"name":"ops","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":["{hook}","{mail}"],"monitors":[{"id":"{m-conn}","skipDefault":true}]},
{"name":"sre","notificationLevel":"critical","childNotificationGroupIds":["{g-ops}"],"childChannelIds":[]}
]}
`

const opsDiff = ` {
   "childChannelIds": [
     "{hook}",
     "{mail}"
   ],
   "childNotificationGroupIds": [
   ],
   "monitors": [
     {
       "id": "{m-conn}",
       "skipDefault": true
     }
   ],
   "name": "ops",
-  "notificationLevel": "critical"
+  "notificationLevel": "all"
 },
`

const devBlock = `@{
@  "id": "{g-dev}",
@  "type": "group",
@  "name": "dev",
@  "notificationLevel": "all",
@  "childNotificationGroupIds": [],
@  "childChannelIds": [],
@  "services": [
@    {
@      "name": "svc"
@    }
@  ]
@},
`

const sreBlock = `@{
@  "name": "sre",
@  "notificationLevel": "critical",
@  "childNotificationGroupIds": [
@    "{g-ops}"
@  ],
@  "childChannelIds": []
@},
`

const opsLocal = `{
  "name": "ops",
  "notificationLevel": "all",
  "childNotificationGroupIds": [],
  "childChannelIds": [
    "{hook}",
    "{mail}"
  ],
  "monitors": [
    {
      "id": "{m-conn}",
      "skipDefault": true
    }
  ]
},
`

func prefixed(block, p string) string { return strings.ReplaceAll(block, "@", p) }

// pushedEnv has the groups of groupsFile on the server and changedGroups
// in {file}.
func pushedEnv(t *testing.T) *cmdtest.Env {
	t.Helper()
	e := newEnv(t)
	e.MustRun("notification-groups", "push", "-F", e.WriteFile("groups.json", e.Expand(groupsFile)))
	recordGroups(t, e)
	e.Names["file"] = e.WriteFile("changed.json", e.Expand(changedGroups))
	return e
}

// TestNotificationGroupsDiff: upstream's diff text for groups; the default
// group the file leaves out is not a group to remove.
func TestNotificationGroupsDiff(t *testing.T) {
	e := pushedEnv(t)
	want := "Summary: 1 modify, 1 append, 1 remove\n\n" + opsDiff + prefixed(devBlock, "-") + prefixed(sreBlock, "+")
	e.Check(e.Run("notification-groups", "diff", "-F", "{file}"), cmdtest.Want{Stdout: want})
	e.Check(e.Run("notification-groups", "diff", "-e", "-F", "{file}"), cmdtest.Want{Code: 1, Stdout: want})
	reverse := "Summary: 1 modify, 1 append, 1 remove\n\n" +
		strings.NewReplacer(`-  "notificationLevel": "critical"`, `-  "notificationLevel": "all"`,
			`+  "notificationLevel": "all"`, `+  "notificationLevel": "critical"`).Replace(opsDiff) +
		prefixed(sreBlock, "-") + prefixed(devBlock, "+")
	e.Check(e.Run("notification-groups", "diff", "--reverse", "-F", "{file}"), cmdtest.Want{Stdout: reverse})

	// Repeated names switch name matching off, as for monitors.
	dup := strings.Replace(e.Expand(changedGroups), `"name":"sre"`, `"name":"ops"`, 1)
	r := e.Run("notification-groups", "diff", "-F", e.WriteFile("dup.json", dup))
	if !strings.HasPrefix(r.Stdout, "Summary: 0 modify, 2 append, 2 remove\n") || r.Code != 0 ||
		r.Stderr != cmdtest.LogLine(false, "Warning: ", "Names of notification groups in "+e.Dir+"/dup.json are not unique.") {
		t.Errorf("repeated names:\n%s", r)
	}
}

// TestNotificationGroupsPushDeletes: groups only on the server are deleted
// only with --delete or a yes on a terminal, as monitors; the default
// group is never deleted.
func TestNotificationGroupsPushDeletes(t *testing.T) {
	info := func(tty bool, msgs ...string) string {
		var b strings.Builder
		for _, m := range msgs {
			b.WriteString(cmdtest.LogLine(tty, "info", m))
		}
		return b.String()
	}
	createUpdate := prefixed(sreBlock, "") + opsLocal
	all := prefixed(sreBlock, "") + prefixed(devBlock, "") + opsLocal
	kept := func(tty bool) string {
		return cmdtest.LogLine(tty, "warning", `Kept {g-dev} "dev": it is not in {file}.`)
	}
	tests := []struct {
		name             string
		opts             cmdtest.RunOpts
		args             []string
		want             cmdtest.Want
		deleted, written bool
	}{
		{"--delete", cmdtest.RunOpts{}, []string{"--delete"}, cmdtest.Want{Stdout: all,
			Stderr: info(false, "Create a new group.", "Delete a group.", "Update a group.")}, true, true},
		{"not on a terminal", cmdtest.RunOpts{}, nil, cmdtest.Want{Code: 2, Stdout: createUpdate,
			Stderr: info(false, "Create a new group.", "Update a group.") + kept(false) +
				cmdtest.LogLine(false, "error", "1 group(s) not in {file} were not deleted: run mkr notification-groups push --delete -F {file} to delete them")}, false, true},
		{"yes on a terminal", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{Answer: true}}, nil, cmdtest.Want{Stdout: all,
			Stderr: info(true, "Create a new group.", "Delete a group.", "Update a group.")}, true, true},
		{"no on a terminal", cmdtest.RunOpts{TTY: true, Prompter: &cmdtest.FakePrompter{}}, nil, cmdtest.Want{Stdout: createUpdate,
			Stderr: info(true, "Create a new group.", "Update a group.") + kept(true) +
				cmdtest.LogLine(true, "info", "Deleting is canceled; mkr notification-groups push --delete -F {file} deletes them without asking.")}, false, true},
		{"--dry-run", cmdtest.RunOpts{TTY: true}, []string{"-d"}, cmdtest.Want{Stdout: createUpdate,
			Stderr: info(true, "Create a new group.", "Update a group.") + kept(true) +
				cmdtest.LogLine(true, "warning", "1 group(s) not in {file} would be kept; mkr notification-groups push --delete -F {file} would delete them.")}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := pushedEnv(t)
			before := serverGroups(t, e)
			e.CheckT(t, e.RunWith(tt.opts, append([]string{"notification-groups", "push", "-F", "{file}"}, tt.args...)...), tt.want)
			if p, ok := tt.opts.Prompter.(*cmdtest.FakePrompter); ok {
				want := e.Expand("Delete 1 notification group(s) that are not in {file}?\n  {g-dev} \"dev\"\nAre you sure?")
				if len(p.Questions) != 1 || p.Questions[0] != want || p.Defaults[0] {
					t.Errorf("questions %q (defaults %v), want %q with default no", p.Questions, p.Defaults, want)
				}
			}
			after := serverGroups(t, e)
			switch {
			case !tt.written:
				cmdtest.Equal(t, "groups after a dry run", after, before)
			case tt.deleted:
				cmdtest.Equal(t, "groups", after, `[["Default","group-default","all",1],["ops","group","all",2],["sre","group","critical",0]]`+"\n")
			default:
				cmdtest.Equal(t, "groups", after, `[["Default","group-default","all",1],["ops","group","all",2],["dev","group","all",0],["sre","group","critical",0]]`+"\n")
			}
		})
	}
}

// TestNotificationGroupsFileErrors: what is wrong with a file is named and
// nothing is written.
func TestNotificationGroupsFileErrors(t *testing.T) {
	e := pushedEnv(t)
	e.Names["dir"] = e.Dir
	before := serverGroups(t, e)
	tests := []struct {
		name, file, want string
		pushOnly         bool // diff shows it; the server refuses the push
	}{
		{"no name", `{"notificationGroups":[{"notificationLevel":"all"}]}`, `a notification group in {dir}/bad.json has no "name"`, false},
		{"two defaults", `{"notificationGroups":[{"type":"group-default","name":"Default"},{"id":"{g-Default}","name":"x"}]}`,
			"2 groups of the file are the default notification group; there is only one", false},
		{"a field of the wrong type", `{"notificationGroups":[{"name":"x","childChannelIds":"c"}]}`,
			`reading {dir}/bad.json: notification group 1: notification group field "childChannelIds": json: cannot unmarshal string into Go value of type []string`, false},
		{"another document", `{"monitors":[]}`, `reading {dir}/bad.json: no "notificationGroups" in the file`, false},
		{"the server refuses", `{"notificationGroups":[{"name":"x","notificationLevel":"loud","childNotificationGroupIds":[],"childChannelIds":[]}]}`,
			"API request failed: notificationLevel must be all or critical, not \"loud\".", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := e.WriteFile("bad.json", e.Expand(tt.file))
			if !tt.pushOnly {
				e.CheckT(t, e.Run("notification-groups", "diff", "-F", file), cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", tt.want)})
			}
			r := e.Run("notification-groups", "push", "--delete", "-F", file)
			if r.Code != 1 || !strings.HasSuffix(r.Stderr, e.Expand(cmdtest.LogLine(false, "error", tt.want))) {
				t.Errorf("push:\n%s", r)
			}
			cmdtest.Equal(t, "groups", serverGroups(t, e), before)
		})
	}
}
