package org_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestOrg(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	api := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST)).StartAPI()
	e.Names["db"], e.Names["api"] = e.DBPath(), api.URL
	e.RunSteps(t, []cmdtest.Step{
		{Name: "local", Args: []string{"org"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"local\"\n}\n",
			Stderr: cmdtest.LogLine(false, "info", "backend: local database {db}"),
		}},
		{Name: "local on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"org"}, Want: cmdtest.Want{
			Stdout: "NAME    DISPLAY NAME   BACKEND\nlocal                  local database {db}\n",
			Stderr: cmdtest.LogLine(true, "info", "backend: local database {db}"),
		}},
		{Name: "jq", Args: []string{"org", "--jq", ".name, .displayName"}, Want: cmdtest.Want{
			Stdout: "local\n\n", Stderr: cmdtest.LogLine(false, "info", "backend: local database {db}"),
		}},
		{Name: "remote", Opts: cmdtest.RunOpts{Env: map[string]string{"MACKEREL_APIKEY": "k"}}, Args: []string{"org", "--apibase", "{api}"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"local\"\n}\n",
			Stderr: cmdtest.LogLine(false, "info", "backend: {api}"),
		}},
	})
}
