package wrapcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/wrap"
	"github.com/urfave/cli/v2"
)

type wrapOptions struct {
	Args               []string
	Check              wrap.Check
	Timeout, KillAfter time.Duration
	Lock               string // "" none, "auto" for the default path
	OnOverlap          wrap.OverlapPolicy
	LockWait           time.Duration
	ReportDuration     bool
	DurationService    string
	Flush              bool
	// NoReport: the check cannot be reported (an invalid --name, already
	// said before the run); the job still runs.
	NoReport bool
}

// lockFlagValue makes --lock work both bare (default lock file) and as
// --lock=PATH: IsBoolFlag lets the flag package accept it without a value.
type lockFlagValue struct{ path string }

func (v *lockFlagValue) String() string   { return v.path }
func (v *lockFlagValue) IsBoolFlag() bool { return true }
func (v *lockFlagValue) Set(s string) error {
	switch s {
	case "true":
		v.path = "auto"
	case "false", "":
		v.path = ""
	default:
		v.path = s
	}
	return nil
}

func NewCmdWrap(f *cmdutil.Factory) *cli.Command {
	lock := &lockFlagValue{}
	return &cli.Command{
		Name:      "wrap",
		Usage:     "Run a batch job and report its result as a check monitor",
		ArgsUsage: "[--name | -n <name>] [--detail | -d] [--note | -N <note>] [--host | -H <hostId>] [--warning | -w] [--auto-close | -a] [--notification-interval | -I <duration>] [--timeout <duration>] [--lock[=<path>]] [--on-overlap skip|wait|fail] -- /path/to/batch args...",
		Description: `Run a command and report its failure (or, with --auto-close, its recovery) as a check monitor
   result. The command always runs, whatever the state of the configuration, the key or the API, and mkr
   exits with its exit code (124 on --timeout, 126/127 when it cannot run, 128+n when killed by signal n).
   Output is passed through live and a bounded head+tail is kept for --detail. A report the API cannot
   take is spooled under $XDG_STATE_HOME/mkr/backends/<backend>/spool and replayed (for up to 6 hours)
   by the next "mkr wrap", "mkr wrap --flush" or "mkr checks run --report" that reaches it. Without --host or an agent host id, local mode
   registers this machine once and reuses that host.
   Requests "POST /api/v0/monitoring/checks/report". See https://mackerel.io/docs/entry/custom-checks .

   Example:
     mkr wrap --name nightly-backup --detail -- /usr/local/bin/backup.sh --full`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Usage: "check monitor `NAME` (default: derived from the command)"},
			&cli.BoolFlag{Name: "detail", Aliases: []string{"d"}, Usage: "add the command's output to the message"},
			&cli.StringFlag{Name: "note", Aliases: []string{"N"}, Usage: "`NOTE` to add to the message"},
			&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "report for `HOSTID` (default: the agent's host id)"},
			&cli.BoolFlag{Name: "warning", Aliases: []string{"w"}, Usage: "report a failure as WARNING, not CRITICAL"},
			&cli.BoolFlag{Name: "auto-close", Aliases: []string{"a"}, Usage: "report OK after a failure, closing the alert"},
			&cli.DurationFlag{Name: "notification-interval", Aliases: []string{"I"}, Usage: "re-notify every `DURATION` (at least 10m)"},
			&cli.UintFlag{Name: "max-check-attempts", Usage: "alert only after `N` consecutive failures (1-10)"},
			&cli.DurationFlag{Name: "timeout", Usage: "kill the command after `DURATION` (exit 124)"},
			&cli.DurationFlag{Name: "kill-after", Value: 10 * time.Second, Usage: "SIGKILL `DURATION` after SIGTERM"},
			&cli.GenericFlag{Name: "lock", Value: lock, Usage: "prevent overlapping runs with a lock file (--lock, or --lock=`PATH`)"},
			&cli.StringFlag{Name: "on-overlap", Value: "skip", Usage: "when a previous run holds the lock: skip, wait or fail (exit 75)"},
			&cli.DurationFlag{Name: "lock-wait", Usage: "with --on-overlap wait, give up after `DURATION`"},
			&cli.BoolFlag{Name: "report-skipped", Usage: "report a skipped (overlapping) run as WARNING"},
			&cli.BoolFlag{Name: "report-duration", Usage: "also post the run time as metric custom.mkrwrap.<name>.duration"},
			&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "post the duration metric to `SERVICE` instead of the host"},
			&cli.BoolFlag{Name: "flush", Usage: "only replay spooled reports, run nothing"},
			&cli.BoolFlag{Name: "strict", Usage: "refuse to run the command when a wrap flag is wrong (default: say so on stderr and run it)"},
		},
		Action:       func(c *cli.Context) error { return wrapAction(c, f, lock, nil) },
		OnUsageError: wrapUsageError(f, lock),
	}
}

// wrapAction runs wrap with the flags in c. problems are flag mistakes
// already found (by the lenient parse); mistakes in flag values are added
// to them. Without --strict they are logged and the command still runs.
func wrapAction(c *cli.Context, f *cmdutil.Factory, lock *lockFlagValue, problems []string) error {
	strict := c.Bool("strict")
	policy, err := wrap.ParseOverlapPolicy(c.String("on-overlap"))
	if err != nil {
		if strict {
			return cmdutil.UsageError(c, "%s", err)
		}
		problems = append(problems, err.Error()+" (using skip)")
		policy = wrap.OverlapSkip
	}
	mca := c.Uint("max-check-attempts")
	if mca > 10 {
		if strict {
			return cmdutil.UsageError(c, "--max-check-attempts must be between 1 and 10")
		}
		problems = append(problems, "--max-check-attempts must be between 1 and 10 (ignored)")
		mca = 0
	}
	opts := wrapOptions{
		Args: c.Args().Slice(),
		Check: wrap.Check{
			HostID: c.String("host"), Name: c.String("name"), Note: c.String("note"), Detail: c.Bool("detail"),
			Warning: c.Bool("warning"), AutoClose: c.Bool("auto-close"),
			NotificationInterval: c.Duration("notification-interval"), MaxCheckAttempts: mca,
			ReportSkipped: c.Bool("report-skipped"),
		},
		Timeout: c.Duration("timeout"), KillAfter: c.Duration("kill-after"),
		Lock: lock.path, OnOverlap: policy, LockWait: c.Duration("lock-wait"),
		ReportDuration: c.Bool("report-duration"), DurationService: c.String("service"),
		Flush: c.Bool("flush"),
	}
	if len(opts.Args) > 0 && opts.Args[0] == "--" {
		opts.Args = opts.Args[1:]
	}
	if opts.Flush {
		if len(opts.Args) > 0 {
			return cmdutil.UsageError(c, "--flush runs no command")
		}
		return runWrapFlush(c.Context, f)
	}
	if len(opts.Args) == 0 {
		return cmdutil.UsageError(c, "no commands specified")
	}
	if name := opts.Check.Name; name != "" && !client.ValidCheckName(name) {
		// Checked before the run: afterwards the API would refuse the
		// report (400) and the job's result would be lost unannounced.
		msg := fmt.Sprintf("invalid check name %q: use A-Z a-z 0-9 _ -", name)
		if strict {
			return cmdutil.UsageError(c, "--name: %s", msg)
		}
		problems = append(problems, "--name: "+msg+"; the result will not be reported")
		opts.NoReport = true
	}
	for _, p := range problems {
		f.Log().Error("[mkr wrap] %s; running the command anyway (--strict refuses)", p)
	}
	return runWrap(c.Context, f, opts)
}

// runWrap runs the job first and deals with reporting afterwards: nothing
// about configuration, keys or the API may keep the job from running.
func runWrap(ctx context.Context, f *cmdutil.Factory, opts wrapOptions) error {
	// Upstream's wrap forgives a missing or broken agent config: the
	// report still goes to a backend instead of being lost with it.
	f = f.WithLenientConf("[mkr wrap]")
	log := f.Log()
	stateDir := f.StateDir()
	opts.Check.StateDir = stateDir
	if opts.Lock == "auto" {
		opts.Lock = filepath.Join(stateDir, "locks", wrap.CheckName(opts.Check.Name, opts.Args)+".lock")
	}
	sigs, stopSignals := wrap.NotifySignals()
	defer stopSignals()
	res, err := wrap.Run(context.WithoutCancel(ctx), wrap.Options{
		Args: opts.Args, Stdout: f.IO.Out, Stderr: f.IO.ErrOut,
		Timeout: opts.Timeout, KillAfter: opts.KillAfter, Signals: sigs,
		Lock: opts.Lock, OnOverlap: opts.OnOverlap, LockWait: opts.LockWait, Now: f.Now,
	})
	if err != nil {
		return err
	}
	if res.Skipped {
		log.Info("skipped: a previous run of %s still holds %s", wrap.CheckName(opts.Check.Name, opts.Args), opts.Lock)
	}

	// Reporting survives the signal that may have ended the job.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	reporter, cl := wrapReporter(dctx, f, &opts.Check)
	report, err := wrap.Decide(res, opts.Check, f.Now())
	if err != nil {
		log.Warn("%v", err)
	}
	if opts.NoReport {
		report = nil
	}
	if report != nil && !deliverWrapReport(dctx, f, reporter, report) && report.Status == client.CheckStatusOK {
		// The OK that would close the alert is lost: forget the state so
		// that the next success sends it again.
		if err := wrap.ForgetState(stateDir, report.Name); err != nil {
			log.Warn("%v", err)
		}
	}
	if report == nil && reporter != nil {
		f.NewSpool().Flush(dctx, reporter)
	}
	if opts.ReportDuration && res.Ran() && cl != nil {
		postWrapDuration(dctx, f, cl, opts, res)
	}
	if res.ExitCode != 0 {
		return &cmdutil.ExitError{Code: res.ExitCode, Message: res.Message}
	}
	return nil
}

// deliverWrapReport posts the report, or keeps it in the spool when the
// backend cannot take it now — also when no client could be built, as long
// as mkr knows which backend the report is for. It reports false when the
// report is lost.
func deliverWrapReport(ctx context.Context, f *cmdutil.Factory, reporter wrap.Reporter, report *client.CheckReport) bool {
	log := f.Log()
	spool := f.NewSpool()
	if report.Source.HostID == "" {
		log.Error("[mkr wrap] failed to load hostID. Try to specify -host option explicitly")
		return false
	}
	if reporter == nil {
		if _, err := f.ResolveTarget(); err != nil {
			log.Error("failed to post following report to Mackerel: %v\n%s", err, report.Message)
			return false
		}
		if err := spool.Add(*report); err != nil {
			log.Error("failed to spool following report: %v\n%s", err, report.Message)
			return false
		}
		log.Warn("the backend could not be reached; the report was spooled for a later retry")
		return true
	}
	switch d, err := spool.Deliver(ctx, reporter, *report); d {
	case wrap.Spooled:
		log.Warn("the report could not be posted and was spooled for a later retry: %v", err)
	case wrap.Dropped:
		log.Error("failed to post following report to Mackerel: %v\n%s", err, report.Message)
		return false
	}
	return true
}

// wrapReporter returns the client to report with (nil when there is none)
// and fills the check's host id: --host, the agent's id file, or in local
// mode this machine's own host.
func wrapReporter(ctx context.Context, f *cmdutil.Factory, check *wrap.Check) (wrap.Reporter, *client.Client) {
	log := f.Log()
	if check.HostID == "" {
		id, err := f.LocalHostID()
		if err != nil {
			log.Error("[mkr wrap] %v", err)
		}
		check.HostID = id
	}
	cl, err := f.Client(ctx)
	if err != nil {
		log.Error("[mkr wrap] %v", err)
		return nil, nil
	}
	if check.HostID == "" {
		if t, err := f.ResolveTarget(); err == nil && t.Local {
			id, err := ensureLocalHost(ctx, cl)
			if err != nil {
				log.Error("[mkr wrap] registering this machine: %v", err)
			}
			check.HostID = id
		}
	}
	return cl, cl
}

// ensureLocalHost finds or registers this machine in the local backend,
// keyed by a custom identifier so that concurrent first runs agree on one
// host (the backend keeps custom identifiers unique).
func ensureLocalHost(ctx context.Context, cl *client.Client) (string, error) {
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "localhost"
	}
	ci := "mkr-local:" + name
	for attempt := 0; attempt < 2; attempt++ {
		h, err := cl.FindHostByCustomIdentifier(ctx, ci, false)
		if err == nil {
			return h.ID, nil
		}
		if !client.IsNotFound(err) {
			return "", err
		}
		id, err := cl.CreateHost(ctx, &client.CreateHostParam{Name: name, CustomIdentifier: ci})
		if err == nil {
			return id, nil
		}
		if client.StatusCode(err) != 400 {
			return "", err
		}
		// Another process registered it first: look it up again.
	}
	return "", errors.New("could not register this machine")
}

func postWrapDuration(ctx context.Context, f *cmdutil.Factory, cl *client.Client, opts wrapOptions, res *wrap.Result) {
	name := wrap.DurationMetricName(wrap.CheckName(opts.Check.Name, res.Args))
	at := res.FinishedAt.Unix()
	secs := res.Duration.Seconds()
	var err error
	if opts.DurationService != "" {
		err = cl.PostServiceMetricValues(ctx, opts.DurationService, []client.MetricValue{{Name: name, Time: at, Value: secs}})
	} else if opts.Check.HostID != "" {
		err = cl.PostHostMetricValues(ctx, []client.HostMetricValue{{HostID: opts.Check.HostID, Name: name, Time: at, Value: secs}})
	}
	if err != nil {
		f.Log().Warn("posting %s: %v", name, err)
	}
}

func runWrapFlush(ctx context.Context, f *cmdutil.Factory) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	res, err := f.NewSpool().Flush(ctx, cl)
	if err != nil {
		return err
	}
	f.Log().Info("spool: %d reports sent, %d dropped, %d remaining", res.Sent, res.Dropped, res.Remaining)
	return nil
}
