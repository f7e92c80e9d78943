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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := commands.Main(ctx, os.Args, commands.SystemIO(), os.Getenv)
	stop()
	os.Exit(code)
}
