package invitation_test

import (
	"strconv"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestInvitations(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	// The clock starts at cmdtest's epoch; invitations last a week.
	expires := e.Clock.Now().Unix() + 7*24*3600
	e.Names["expires"] = strconv.FormatInt(expires, 10)
	e.Names["expires table"] = e.Clock.Now().AddDate(0, 0, 7).In(cmdtest.JST).Format("2006-01-02 15:04")
	e.RunSteps(t, []cmdtest.Step{
		{Name: "empty list", Args: []string{"invitations", "list"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "create", Args: []string{"invitations", "create", "--authority", "viewer", "bob@example.com"}, Want: cmdtest.Want{
			Stdout: "{\n    \"email\": \"bob@example.com\",\n    \"authority\": \"viewer\",\n    \"expiresAt\": {expires}\n}\n",
			Stderr: cmdtest.LogLine(false, "created", "invitation of bob@example.com (viewer)")}},
		{Name: "create twice", Args: []string{"invitations", "create", "-a", "manager", "bob@example.com"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "API request failed: email bob@example.com is already invited.")}},
		{Name: "bad authority", Args: []string{"invitations", "create", "-a", "owner", "x@example.com"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.UsageError(false, "--authority must be one of manager, collaborator, viewer", "invitations", "create")}},
		{Name: "table on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"invitations", "list"}, Want: cmdtest.Want{
			Stdout: "EMAIL             AUTHORITY   EXPIRES\nbob@example.com   viewer      {expires table}\n"}},
		{Name: "jq", Args: []string{"invitations", "list", "--jq", ".[].email"}, Want: cmdtest.Want{Stdout: "bob@example.com\n"}},
		{Name: "revoke", Args: []string{"invitations", "revoke", "bob@example.com"}, Want: cmdtest.Want{
			Stderr: cmdtest.LogLine(false, "revoked", "invitation of bob@example.com")}},
		{Name: "revoke again", Args: []string{"invitations", "revoke", "bob@example.com"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "API request failed: Invitation not found.")}},
		{Name: "empty again", Args: []string{"invitations", "list"}, Want: cmdtest.Want{Stdout: "[]\n"}},
	})
}
