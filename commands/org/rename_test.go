package org_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestOrgRename(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	e.RunSteps(t, []cmdtest.Step{
		{Name: "rename with a display name", Args: []string{"org", "rename", "--display-name", "ACME, Inc.", "acme"}, Want: cmdtest.Want{
			Stderr: cmdtest.LogLine(false, "updated", "organization of {db} is now acme")}},
		{Name: "org shows it", Args: []string{"org", "--jq", `.name + " / " + .displayName`}, Want: cmdtest.Want{
			Stdout: "acme / ACME, Inc.\n", Stderr: cmdtest.LogLine(false, "info", "backend: local database {db}")}},
		{Name: "bad name", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"org", "rename", "a b"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(true, "error", `organization name "a b": use 1 to 63 letters, digits, - or _, starting with a letter or digit`)}},
		{Name: "no name", Args: []string{"org", "rename"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.UsageError(false, "org rename needs exactly one <name>", "org", "rename")}},
		{Name: "without --display-name it is removed", Args: []string{"org", "rename", "acme2"}, Want: cmdtest.Want{
			Stderr: cmdtest.LogLine(false, "updated", "organization of {db} is now acme2")}},
		{Name: "org again", Args: []string{"org"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"acme2\"\n}\n", Stderr: cmdtest.LogLine(false, "info", "backend: local database {db}")}},
	})
}
