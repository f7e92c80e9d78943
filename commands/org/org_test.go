package org_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestOrg(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	api := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST)).StartAPI()
	e.Names["db"], e.Names["api"] = e.DBPath(), api.URL
	e.Names["api with credentials"] = strings.Replace(api.URL, "http://", "http://admin:pa55w0rd@", 1)
	e.Names["api redacted"] = strings.Replace(api.URL, "http://", "http://[REDACTED]@", 1)
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
		// A URL's user-info is never printed, on stderr or in the table.
		{Name: "credentials in --apibase", Opts: cmdtest.RunOpts{Env: map[string]string{"MACKEREL_APIKEY": "k"}, TTY: true},
			Args: []string{"org", "--apibase", "{api with credentials}"}, Want: cmdtest.Want{
				Stdout: "NAME    DISPLAY NAME   BACKEND\nlocal                  {api redacted}\n",
				Stderr: cmdtest.LogLine(true, "info", "backend: {api redacted}"),
			}},
	})
}
