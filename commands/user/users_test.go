package user_test

import (
	"context"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestUsers(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	users, err := e.Store().ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	owner := users[0]
	if err := e.Store().AddUser(context.Background(), &store.User{ID: "member00001", ScreenName: "ann", Email: "ann@example.com", Authority: "viewer", JoinedAt: 1700000000}); err != nil {
		t.Fatal(err)
	}
	e.Names["owner"] = owner.ID
	e.Names["joined"] = time.Unix(owner.JoinedAt, 0).In(cmdtest.JST).Format("2006-01-02T15:04:05-07:00")
	e.Names["joined table"] = time.Unix(owner.JoinedAt, 0).In(cmdtest.JST).Format("2006-01-02 15:04")
	e.RunSteps(t, []cmdtest.Step{
		{Name: "default view", Args: []string{"users"}, Want: cmdtest.Want{Stdout: `[
    {
        "id": "{owner}",
        "screenName": "owner",
        "email": "owner@localhost",
        "authority": "owner",
        "isInRegistrationProcess": false,
        "isMFAEnabled": false,
        "authenticationMethods": [
            "password"
        ],
        "joinedAt": "{joined}"
    },
    {
        "id": "member00001",
        "screenName": "ann",
        "email": "ann@example.com",
        "authority": "viewer",
        "isInRegistrationProcess": false,
        "isMFAEnabled": false,
        "joinedAt": "2023-11-15T07:13:20+09:00"
    }
]
`}},
		{Name: "verbose: the client's objects", Args: []string{"users", "-v", "--jq", ".[1]"}, Want: cmdtest.Want{
			Stdout: `{"authority":"viewer","email":"ann@example.com","id":"member00001","joinedAt":1700000000,"screenName":"ann"}` + "\n"}},
		{Name: "format", Args: []string{"users", "-f", `{{range .}}{{.ScreenName}}={{.Authority}};{{end}}`}, Want: cmdtest.Want{Stdout: "owner=owner;ann=viewer;"}},
		{Name: "format and jq", Args: []string{"users", "-f", "x", "--jq", "."}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "--format and --jq options are incompatible.")}},
		{Name: "table on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"users"}, Want: cmdtest.Want{Stdout: "" +
			"ID            SCREEN NAME   EMAIL             AUTHORITY   LOGIN      JOINED\n" +
			"{owner}   owner         owner@localhost   owner       password   {joined table}\n" +
			"member00001   ann           ann@example.com   viewer                 2023-11-15 07:13\n"}},
	})
}
