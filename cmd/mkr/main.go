// Command mkr is a CLI for Mackerel and its embedded, self-hostable backend.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/commands"
)

// openBackend is the one place the CLI meets the embedded backend's
// implementation; commands only knows the EmbeddedBackend interface.
func openBackend(ctx context.Context, dsn string, now func() time.Time) (commands.EmbeddedBackend, error) {
	b, err := backend.Open(ctx, dsn, backend.Options{Now: now})
	if err != nil {
		return nil, err
	}
	return b, nil
}

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
	code := commands.Main(ctx, os.Args, commands.SystemIO(), os.Getenv, openBackend)
	cancel(nil)
	os.Exit(code)
}
