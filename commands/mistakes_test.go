package commands_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// A word that names no subcommand is refused by its parent (exit 3), with
// the closest subcommands suggested; the parent's own action never runs.
func TestUnknownSubcommandRefused(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.SeedService("web")
			web := e.SeedHost(client.CreateHostParam{Name: "web"})
			e.Report(e.CheckReport(web, "backup", "CRITICAL", "failed"))
			o := cmdtest.RunOpts{TTY: tty}
			// Before: alerts were listed, nothing closed, exit 0.
			e.Check(e.RunWith(o, "alerts", "clsoe", "some-alert-id"), cmdtest.Want{
				Code: 3, Stderr: cmdtest.UnknownCommand(tty, "clsoe", []string{"alerts"}, "close"),
			})
			if n := len(e.Alerts(false)); n != 1 {
				t.Errorf("%d open alerts, want 1", n)
			}
			// Before: the services were listed.
			e.Check(e.RunWith(o, "services", "lst"), cmdtest.Want{
				Code: 3, Stderr: cmdtest.UnknownCommand(tty, "lst", []string{"services"}),
			})
			e.Check(e.RunWith(o, "monitors", "pu"), cmdtest.Want{
				Code: 3, Stderr: cmdtest.UnknownCommand(tty, "pu", []string{"monitors"}, "pull", "push"),
			})
			// A parent without an action of its own.
			e.Check(e.RunWith(o, "serve", "keys", "revok", "k1"), cmdtest.Want{
				Code: 3, Stderr: cmdtest.UnknownCommand(tty, "revok", []string{"serve", "keys"}, "revoke"),
			})
			// Flags before the word change nothing.
			e.Check(e.RunWith(o, "alerts", "-w", "lsit"), cmdtest.Want{
				Code: 3, Stderr: cmdtest.UnknownCommand(tty, "lsit", []string{"alerts"}, "list"),
			})
		})
	}
}

// `mkr serve bogus` started a server on :8080; it is refused before the
// server starts (the context's deadline only bounds the run without the
// refusal).
func TestServeUnknownSubcommandStartsNothing(t *testing.T) {
	e := cmdtest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	r := e.RunCtx(ctx, cmdtest.RunOpts{}, "serve", "--listen", "127.0.0.1:0", "bogus")
	e.Check(r, cmdtest.Want{Code: 3, Stderr: cmdtest.UnknownCommand(false, "bogus", []string{"serve"})})
}

// Every parent of the tree, including those added later, refuses a word
// that names none of its subcommands, before running anything.
func TestEveryParentRefusesUnknownWords(t *testing.T) {
	app := testApp(t)
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	n := 0
	visitCommands(app.Commands, "", func(path string, c *cli.Command) {
		if !hasSubcommands(c) || c.Hidden {
			return
		}
		n++
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		words := strings.Fields(path)
		r := e.RunCtx(ctx, cmdtest.RunOpts{}, append(words, "zzqx")...)
		e.CheckT(t, r, cmdtest.Want{Code: 3, Stderr: cmdtest.UnknownCommand(false, "zzqx", words)})
	})
	if n < 10 {
		t.Errorf("visited %d parents; the walk is broken", n)
	}
}

// `mkr hsots` says "unknown command" and suggests the closest; so does
// `mkr help hsots`, with upstream's exit 3.
func TestUnknownCommandSuggestions(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			o := cmdtest.RunOpts{TTY: tty}
			hsots := cmdtest.Want{Code: 3, Stderr: cmdtest.UnknownCommand(tty, "hsots", nil, "hosts")}
			e.Check(e.RunWith(o, "hsots"), hsots)
			e.Check(e.RunWith(o, "help", "hsots"), hsots)
			e.Check(e.RunWith(o, "help", "alerts", "clsoe"), cmdtest.Want{
				Code: 3, Stderr: cmdtest.UnknownCommand(tty, "clsoe", []string{"alerts"}, "close"),
			})
			e.Check(e.RunWith(o, "zzqx"), cmdtest.Want{Code: 3, Stderr: cmdtest.UnknownCommand(tty, "zzqx", nil)})
			e.Check(e.RunWith(o, "monitor"), cmdtest.Want{Code: 3, Stderr: cmdtest.UnknownCommand(tty, "monitor", nil, "monitors")})
		})
	}
}

// A usage error is one line with the reason, the closest flags when one is
// unknown, and a pointer to the command's --help, never the whole help.
func TestUsageErrorIsOneLineAndAPointer(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			o := cmdtest.RunOpts{TTY: tty}
			e.Check(e.RunWith(o, "hosts", "--nmae", "web"), cmdtest.Want{
				Code: 1,
				Stderr: cmdtest.LogLine(tty, "error", "flag provided but not defined: -nmae") +
					"\nDid you mean this?\n\t--name\n\nRun 'mkr hosts --help' for usage.\n",
			})
			e.Check(e.RunWith(o, "services", "create"), cmdtest.Want{
				Code: 1, Stderr: cmdtest.UsageError(tty, "services create needs exactly one <serviceName>", "services", "create"),
			})
			r := e.RunWith(o, "alerts", "close")
			if strings.Contains(r.Stderr, "USAGE:") || strings.Contains(r.Stderr, "OPTIONS:") {
				t.Errorf("the whole usage was printed:\n%s", r)
			}
		})
	}
}

// The first Ctrl-C at a confirmation prompt cancels the command with the
// signal's exit code; it is not a silent "no", and mkr does not wait for
// Enter.
func TestInterruptAtPrompt(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.SeedService("web")
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			p := &stuckPrompter{asked: make(chan string, 1)}
			go func() {
				<-p.asked
				cancel(&cmdutil.SignalError{Signal: os.Interrupt})
			}()
			start := time.Now()
			r := e.RunCtx(ctx, cmdtest.RunOpts{TTY: true, Prompter: p, IOS: func(ios *cmdutil.IOStreams) { ios.StderrTTY = tty }},
				"services", "delete", "web")
			e.Check(r, cmdtest.Want{Code: 130, Stderr: "\n" + cmdtest.LogLine(tty, "error", "interrupted by interrupt")})
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the run waited %v for an answer after the interrupt", d)
			}
			e.Check(e.Run("services", "--jq", ".[].name"), cmdtest.Want{Stdout: "web\n"})
		})
	}
}

// stuckPrompter is a person who never answers: a terminal read that the
// signal does not interrupt (it gives up after a while, as Enter would, so
// that a run without the fix ends as a "no").
type stuckPrompter struct{ asked chan string }

func (p *stuckPrompter) Confirm(question string, _ bool) (bool, error) {
	p.asked <- question
	time.Sleep(5 * time.Second)
	return false, nil
}

func hasSubcommands(c *cli.Command) bool {
	for _, s := range c.Subcommands {
		if s.Name != "help" {
			return true
		}
	}
	return false
}
