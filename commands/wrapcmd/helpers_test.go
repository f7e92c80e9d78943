package wrapcmd_test

import (
	"context"
	"io"
	"regexp"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// errorLine matches a logged error, which no successful path may print.
var errorLine = regexp.MustCompile(`(?m)^\s*error `)

// server is `mkr serve` on 127.0.0.1 in this process, over an Env's
// database.
type server struct {
	url  string
	stop func() cmdtest.Result
}

// servedOn matches serve's log line naming the address it listens on.
var servedOn = regexp.MustCompile(`serving \S+ on (http://\S+)\n`)

// serve starts `mkr serve` on a free loopback port and returns once it
// accepts requests.
func serve(e *cmdtest.Env) *server { return serveOn(e, "127.0.0.1:0") }

// serveOn runs `mkr serve --listen addr` (host:port) in-process over the
// Env's database until stop is called (or the test ends).
func serveOn(e *cmdtest.Env, addr string) *server {
	e.T.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &cmdtest.Buffer{}
	done := make(chan cmdtest.Result, 1)
	go func() {
		done <- e.RunCtx(ctx, cmdtest.RunOpts{IOS: func(s *cmdutil.IOStreams) {
			s.ErrOut = io.MultiWriter(s.ErrOut, log)
		}}, "serve", "--listen", addr)
	}()
	s := &server{}
	stopped := false
	s.stop = func() cmdtest.Result {
		if stopped {
			return cmdtest.Result{}
		}
		stopped = true
		cancel()
		return <-done
	}
	e.T.Cleanup(func() { s.stop() })
	deadline := time.After(30 * time.Second)
	for {
		if m := servedOn.FindStringSubmatch(log.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case r := <-done:
			stopped = true
			e.T.Fatalf("mkr serve:\n%s", r)
		case <-deadline:
			e.T.Fatalf("mkr serve did not start:\n%s", log)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
