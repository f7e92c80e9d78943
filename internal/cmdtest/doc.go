// Package cmdtest is the one harness of mkr's command tests. An Env is an
// isolated mkr installation — a SQLite database copied from a migrated
// template, HOME, XDG_STATE_HOME, a mackerel-agent.conf whose root holds the
// agent's id file, a settable clock — and runs the real command tree
// in-process (Run, RunWith) or as the real binary (Command, Exec), returning
// what a person would see: the exit code and both streams.
//
// Nothing here fakes mkr's own code. The stand-ins are the true external
// edges only: the terminal (TTY flags), the person at a prompt
// (FakePrompter), the clock and the time zone.
//
//	e := cmdtest.New(t)
//	id := e.CreateHost("web")
//	e.Check(e.Run("status", "{web}", "--jq", ".name"), cmdtest.Want{Stdout: "web\n"})
//	r := e.RunWith(cmdtest.RunOpts{TTY: true}, "hosts")
//
// See docs/testing.md for which harness to use for what.
package cmdtest
