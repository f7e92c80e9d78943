// Package wrap is the engine behind `mkr wrap -- /path/to/batch`: it runs a
// cron job, decides whether its result must be reported as a check monitor,
// and delivers that report, spooling it to disk when the API is down.
//
// The rules it keeps, in order of importance:
//
//   - The job always runs. Nothing about reporting (no API key, no host id,
//     no state directory, the API being down) can stop it; only a held lock
//     with OverlapSkip or OverlapFail, or a lock file that cannot be used,
//     keeps it from starting, and that is itself reported.
//   - The exit code is the job's own: ExitSignalBase+n when a signal killed
//     it, ExitTimeout (124) on Options.Timeout, ExitNotFound (127),
//     ExitCannotExecute (126) or ExitWrapperError (125) when it could not
//     start, ExitOverlap (75) when a previous run held the lock under
//     OverlapFail. A skipped run exits 0.
//   - Reports follow upstream mkr exactly (CheckName, Message, Decide), and
//     a report the API could not take is kept in the spool and replayed in
//     order, with its original occurredAt, for up to MaxReportAge.
//
// # The three steps
//
// Run executes Options.Args without a shell in its own process group, with
// stdin on /dev/null, stdout and stderr passed through live to separate
// writers and captured, merged and bounded, into Result.Output. It enforces
// Timeout (SIGTERM to the group, SIGKILL after KillAfter), forwards the
// signals arriving on Options.Signals to the group, and holds Options.Lock
// (flock, close-on-exec) for the duration.
//
// Decide turns the Result and a Check (host, name, note, flags) into the
// report to send, or nil, applying upstream's rule: failures always, a
// success only with AutoClose after a failure or no previous result. With
// AutoClose it records the result under <StateDir>/wrap/, under a lock, with
// the report's occurredAt: a check's next report is never said to occur at
// or before it (the API ignores a second report at the same second).
//
// Spool.Deliver posts the report through a Reporter (a *client.Client),
// after flushing older spooled reports. A transient failure (network, 429,
// 5xx, once the client's own retries are spent) spools the report under
// <StateDir>/spool/; a 4xx drops it. Spool.Flush replays the spool, at most
// 100 reports per request, and is safe to run from many processes at once.
//
// # How commands/wrap.go uses it
//
// The command resolves flags, config, host id and the client (all of which
// may fail without consequence for the job), then:
//
//	sigs, stopSignals := wrap.NotifySignals()
//	defer stopSignals() // only after the report is delivered
//
//	// cmd/mkr/main.go cancels ctx on SIGINT/SIGTERM. The job's end is
//	// governed by the forwarded signals instead (the exact signal reaches
//	// it, and nothing else does), so detach Run from that cancellation.
//	res, err := wrap.Run(context.WithoutCancel(ctx), wrap.Options{
//		Args:      args, // after "--"
//		Stdout:    f.IO.Out,
//		Stderr:    f.IO.ErrOut,
//		Timeout:   opts.Timeout,   // --timeout, 0 = none
//		KillAfter: opts.KillAfter, // --kill-after, 0 = 10s
//		Signals:   sigs,
//		Lock:      opts.Lock,      // --lock, "" = none
//		OnOverlap: opts.OnOverlap, // wrap.ParseOverlapPolicy(--on-overlap)
//	})
//	if err != nil {
//		return err // wrap.ErrNoCommand: "no commands specified", exit 1
//	}
//
//	stateDir := xdgStateDir() // e.g. $XDG_STATE_HOME/mkr, never os.TempDir()
//	report, err := wrap.Decide(res, wrap.Check{
//		HostID: hostID, Name: opts.Name, Note: opts.Note, Detail: opts.Detail,
//		Warning: opts.Warning, AutoClose: opts.AutoClose,
//		NotificationInterval: opts.NotificationInterval,
//		StateDir: stateDir,
//	}, f.Now())
//	if err != nil {
//		log.Warn("%v", err) // state file trouble only
//	}
//
//	// Reporting must survive the signal that may have ended the job.
//	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
//	defer cancel()
//	spool := wrap.NewSpool(stateDir, log.Warn)
//	var reporter wrap.Reporter // nil without an API key
//	if apiClient != nil {
//		reporter = apiClient
//	}
//	if report != nil {
//		switch d, err := spool.Deliver(dctx, reporter, *report); d {
//		case wrap.Spooled: // the API is down; the next mkr wrap replays it
//			log.Warn("report spooled for a later retry: %v", err)
//		case wrap.Dropped: // upstream's wording
//			log.Error("failed to post following report to Mackerel: %v\n%s", err, report.Message)
//		}
//	} else if reporter != nil {
//		// Nothing new to say, but an earlier run may have left reports.
//		_, _ = spool.Flush(dctx, reporter)
//	}
//	if res.ExitCode != 0 {
//		return &ExitError{Code: res.ExitCode, Message: res.Message}
//	}
//	return nil
//
// Result.Duration, with DurationMetricName, can be posted as a host metric
// after the report, so that a monitor can alert on jobs that slow down.
//
// A `mkr wrap --flush` (or any command at start-up) can call Spool.Flush on
// its own to replay the spool without running a job.
package wrap
