package wrap_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/wrap"
)

// The whole flow of `mkr wrap`: run, decide, deliver (or spool), exit with
// the job's code. It is compiled, not run, by go test.
func Example() {
	ctx := context.Background()
	args := []string{"/usr/local/bin/backup", "--full"} // after "--"
	stateDir := "/var/lib/mkr"                          // $XDG_STATE_HOME/mkr for users
	var apiClient *client.Client                        // nil without an API key
	logf := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "warning "+format+"\n", a...) }

	sigs, stopSignals := wrap.NotifySignals()
	defer stopSignals()

	res, err := wrap.Run(ctx, wrap.Options{
		Args:      args,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Timeout:   time.Hour,
		Signals:   sigs,
		Lock:      "/run/lock/mkr-backup.lock",
		OnOverlap: wrap.OverlapSkip,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // no commands specified
		return
	}

	report, err := wrap.Decide(res, wrap.Check{
		HostID:    "4gCXAW7DTjv",
		Note:      "nightly backup",
		AutoClose: true,
		StateDir:  stateDir,
	}, time.Now())
	if err != nil {
		logf("%v", err)
	}

	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	spool := wrap.NewSpool(stateDir, logf)
	var reporter wrap.Reporter
	if apiClient != nil {
		reporter = apiClient
	}
	if report != nil {
		switch d, err := spool.Deliver(dctx, reporter, *report); d {
		case wrap.Spooled:
			logf("report spooled for a later retry: %v", err)
		case wrap.Dropped:
			logf("failed to post following report to Mackerel: %v\n%s", err, report.Message)
		}
	} else if reporter != nil {
		if _, err := spool.Flush(dctx, reporter); err != nil {
			logf("%v", err)
		}
	}
	// The command returns &ExitError{Code: res.ExitCode, Message: res.Message}
	// when res.ExitCode != 0.
	_ = res.ExitCode
}
