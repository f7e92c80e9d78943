// Command mkr is a CLI for Mackerel and its embedded, self-hostable backend.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mkr-dev/mkr/commands"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		// A second signal gets the default behaviour: it ends mkr at once.
		signal.Stop(sigs)
		cancel(&commands.SignalError{Signal: s})
	}()
	code := commands.Main(ctx, os.Args, commands.SystemIO(), os.Getenv)
	cancel(nil)
	os.Exit(code)
}
