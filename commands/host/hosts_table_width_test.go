package host_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// A table wider than the terminal has its widest column cut with an
// ellipsis; the width is the terminal's or $COLUMNS. Piped output and a
// table sent to a file keep every character.
func TestHostsTableFitsTheTerminal(t *testing.T) {
	e := cmdtest.New(t)
	e.CreateHost("web", "-R", "frontend:web-application-servers", "-R", "frontend:cache")
	full := "ID            NAME   STATUS    ROLES                                             IP ADDRESSES   CREATED AT\n" +
		"{web}   web    working   frontend:cache,frontend:web-application-servers                  2024-05-06 07:08:09\n"
	cut := "ID            NAME   STATUS    ROLES          IP ADDRESSES   CREATED AT\n" +
		"{web}   web    working   frontend:ca…                  2024-05-06 07:08:09\n"
	at80 := func(ios *cmdutil.IOStreams) { ios.Width = 80 }

	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true, IOS: at80}, "hosts"), cmdtest.Want{Stdout: cut})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true, Env: map[string]string{"COLUMNS": "80"}}, "hosts"), cmdtest.Want{Stdout: cut})
	// $COLUMNS wins over the detected width.
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true, IOS: at80, Env: map[string]string{"COLUMNS": "200"}}, "hosts"), cmdtest.Want{Stdout: full})
	// Unknown width: as wide as it takes.
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "hosts"), cmdtest.Want{Stdout: full})
	// --output table into a pipe: stdout is no terminal, its width is not
	// the terminal's.
	e.Check(e.RunWith(cmdtest.RunOpts{IOS: at80}, "hosts", "--output", "table"), cmdtest.Want{Stdout: full})
	e.Check(e.RunWith(cmdtest.RunOpts{IOS: at80}, "hosts", "--jq", ".[].roleFullnames | join(\",\")"),
		cmdtest.Want{Stdout: "frontend:cache,frontend:web-application-servers\n"})
}
