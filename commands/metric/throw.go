package metric

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/promfold"
	"github.com/urfave/cli/v2"
)

type throwOptions struct {
	Host      string
	Service   string
	Retry     int
	Verbose   bool
	Input     string // "mackerel" or "prometheus"
	BatchSize int
	InFlight  int // 0: 4 on a remote backend, 1 locally
	// ResumeFrom skips the input lines before it (1-based; 0 or 1: none).
	ResumeFrom int
}

func NewCmdThrow(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "throw",
		Usage:     "Post metric values",
		ArgsUsage: "(--host | -H <hostId>) | (--service | -s <service>) [--retry | -r <n>] [--input mackerel|prometheus] [--resume-from <line>] [--verbose | -v] < stdin",
		Description: `Post metric values read from stdin, one "<name>\t<value>\t<epoch>" per line (the output
   format of mackerel-agent plugins), or the Prometheus text format with --input prometheus (labels are
   folded into the name; a sample's timestamp is in milliseconds, but one below 10^11 — before 1973
   in milliseconds — is taken as seconds). Input is streamed in batches, so memory stays flat however
   long it is. Malformed lines are reported with their line number and skipped, as are times more
   than 10 minutes in the future (usually milliseconds given as seconds), which the API refuses.
   Host metric names get the "custom." prefix. Requests "POST /api/v0/tsdb" or
   "POST /api/v0/services/<service>/tsdb".

   The summary counts the values stored and those the server refused, by reason: older than its
   24-hour back-fill window, or for a retired host (mkr's backend reports both; the hosted API does
   not, and throw then says how many values it sent). If every value was refused, throw exits 1.

   Retries are one layer: without --retry a failed batch is retried by the client (3 times within
   seconds, on network errors, 5xx and 429; never in local mode); with --retry N only by throw itself,
   N times with upstream's backoff. When a batch still fails, throw stops, exits 1 and prints the
   first input line not known to be stored, as a command to resume with:
       mkr throw -s blog --resume-from 10001 < file
   Batches are posted several at a time, so some after the failed one may have been stored too;
   sending them again is harmless (a re-posted timestamp overwrites its value).
   See https://mackerel.io/api-docs/entry/host-metrics#post .

   Examples:
     mkr throw --service web < metrics.tsv
     mkr throw --host 2eQGEaLxibb --input prometheus < node.prom`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "post host metrics to `HOSTID`"},
			&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "post service metrics to `SERVICE`"},
			&cli.IntFlag{Name: "retry", Aliases: []string{"r"}, Usage: "retry a failed batch up to `N` times (15 s doubling to 5 min; never on 4xx)"},
			&cli.StringFlag{Name: "input", Value: "mackerel", Usage: "input `FORMAT`: mackerel or prometheus"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log every value thrown"},
			&cli.IntFlag{Name: "resume-from", Usage: "skip the input lines before `LINE` (1-based; the restart point a failed throw prints)"},
			&cli.IntFlag{Name: "batch-size", Value: 5000, Usage: "points per request (at most 100000; a request is also kept under 1 MiB)", Hidden: true},
		},
		Action: func(c *cli.Context) error {
			opts := throwOptions{
				Host: c.String("host"), Service: c.String("service"), Retry: c.Int("retry"),
				Input: c.String("input"), Verbose: c.Bool("verbose"), BatchSize: c.Int("batch-size"),
				ResumeFrom: c.Int("resume-from"),
			}
			if c.IsSet("resume-from") && opts.ResumeFrom < 1 {
				return cmdutil.UsageError(c, "--resume-from must be a line number (1 or more)")
			}
			if opts.Host == "" && opts.Service == "" {
				return cmdutil.UsageError(c, "either --host or --service is required")
			}
			if opts.Host != "" && opts.Service != "" {
				// Upstream lets --host win and ignores --service; which one was meant
				// is a guess, and a guess posts data to the wrong place.
				return cmdutil.UsageError(c, "--host and --service exclude each other: give one")
			}
			if opts.Input != "mackerel" && opts.Input != "prometheus" {
				return cmdutil.UsageError(c, "--input must be mackerel or prometheus, not %q", opts.Input)
			}
			if opts.Retry < 0 {
				return cmdutil.UsageError(c, "--retry must not be negative")
			}
			if opts.BatchSize <= 0 || opts.BatchSize > 100000 {
				return cmdutil.UsageError(c, "--batch-size must be between 1 and 100000")
			}
			return runThrow(c.Context, f, opts)
		},
	}
}

func runThrow(ctx context.Context, f *cmdutil.Factory, opts throwOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if opts.Retry > 0 {
		// One retry layer: --retry's own loop (upstream's slow backoff)
		// replaces the client's quick retries instead of nesting them.
		cl = cl.WithoutRetries()
	}
	target, err := f.ResolveTarget()
	if err != nil {
		return err
	}
	if opts.InFlight == 0 {
		opts.InFlight = 4
		if target.Local {
			opts.InFlight = 1 // one writer: more would only queue on the lock
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sender := newBatchSender(ctx, cl, f, opts)
	batch := newThrowBatch(opts)
	log := f.Log()
	parse := func(line string) (metricLine, bool, error) { return parseMackerelLine(line) }
	folds := promfold.NewWatch()
	if opts.Input == "prometheus" {
		now := f.Now()
		parse = func(line string) (metricLine, bool, error) { return parsePrometheusLine(line, now) }
	}
	start := max(opts.ResumeFrom, 1)
	batch.first = start
	skipped := 0
	sc := newLineScanner(f.IO.In)
	for {
		line, err := sc.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if ctx.Err() != nil {
			// Interrupted (SIGINT/SIGTERM): stop reading; what was posted stays.
			sender.abort()
			o := sender.wait(start)
			log.Warn("interrupted: %s", resumeAdvice(opts, o))
			return context.Cause(ctx)
		}
		if sc.n < start && (err == nil || errors.Is(err, errLineTooLong)) {
			continue // --resume-from: done by an earlier run
		}
		if errors.Is(err, errLineTooLong) {
			log.Warn("line %d: %s; skipped", sc.n, err)
			skipped++
			continue
		}
		if err != nil {
			// Let the batches in flight finish: returning cancels ctx,
			// which would drop them half-posted.
			sender.abort()
			sender.wait(start)
			return fmt.Errorf("reading stdin: %w", err)
		}
		m, ok, err := parse(string(line))
		if err == nil && ok {
			err = checkFuture(m, f.Now())
		}
		if err == nil && ok {
			if warning := folds.Check(m.Name, m.Series, sc.n); warning != "" {
				log.Warn("%s", warning)
			}
		}
		if err == nil && ok {
			err = batch.add(m)
			if errors.Is(err, errBatchBytes) {
				// The batch is full by bytes: post it without this line,
				// which starts the next one.
				if !sender.send(batch.take(sc.n - 1)) {
					break
				}
				err = batch.add(m)
			}
		}
		if err != nil {
			log.Warn("line %d: %s; skipped", sc.n, err)
			skipped++
			continue
		}
		if batch.full() {
			if !sender.send(batch.take(sc.n)) {
				break // a batch failed: stop reading, report below
			}
		}
	}
	if batch.len() > 0 {
		sender.send(batch.take(sc.n))
	}
	return throwSummary(f, opts, skipped, sender.wait(start))
}

// throwSummary logs what became of the values and returns the error that
// sets the exit code: a failed request, or every value refused.
func throwSummary(f *cmdutil.Factory, opts throwOptions, skipped int, o throwOutcome) error {
	log := f.Log()
	dest := opts.Host
	if dest == "" {
		dest = opts.Service
	}
	suffix := ""
	if skipped > 0 {
		suffix = fmt.Sprintf(" (%d lines skipped)", skipped)
	}
	refused := o.tooOld + o.retiredHost
	var reasons []string
	if o.tooOld > 0 {
		reasons = append(reasons, fmt.Sprintf("%d too old (over 24 h)", o.tooOld))
	}
	if o.retiredHost > 0 {
		reasons = append(reasons, fmt.Sprintf("%d for a retired host", o.retiredHost))
	}
	allRefused := false
	switch {
	case o.failed != nil && o.sent == 0:
		// Nothing to count: the error below says it all.
	case o.unreported > 0:
		// The hosted API answers {"success":true} and nothing more.
		log.Info("%d values sent to %s%s; the server did not report how many it stored", o.sent, dest, suffix)
	case refused == 0:
		log.Log("thrown", "%d values to %s%s", o.stored, dest, suffix)
	case o.stored == 0 && o.failed == nil:
		allRefused = true
	default:
		log.Log("thrown", "%d values to %s%s: %d stored; refused %s", o.sent, dest, suffix, o.stored, strings.Join(reasons, ", "))
	}
	if o.failed != nil {
		return fmt.Errorf("the request for input %s failed: %w\n%s", lineRange(o.failed.first, o.failed.last), o.failed.err, resumeAdvice(opts, o))
	}
	if allRefused {
		return fmt.Errorf("none of %d values thrown to %s was stored%s; refused %s", o.sent, dest, suffix, strings.Join(reasons, ", "))
	}
	if skipped > 0 && o.sent == 0 {
		return cmdutil.SilentError
	}
	return nil
}

// resumeAdvice says which input lines are done and how to send the rest.
func resumeAdvice(opts throwOptions, o throwOutcome) string {
	target := "--service " + opts.Service
	if opts.Host != "" {
		target = "--host " + opts.Host
	}
	if opts.Input != "mackerel" {
		target += " --input " + opts.Input
	}
	done := ""
	if first := max(opts.ResumeFrom, 1); o.resume > first {
		// Against a server that reports no counts, a success is all we know.
		verb, verbOne := "are stored", "is stored"
		if o.unreported > 0 {
			verb, verbOne = "were accepted", "was accepted"
		}
		if first == o.resume-1 {
			verb = verbOne
		}
		done = fmt.Sprintf("%s %s; ", lineRange(first, o.resume-1), verb)
	}
	advice := fmt.Sprintf("%sresume with: mkr throw %s --resume-from %d < file", done, target, o.resume)
	switch {
	case o.later == 1:
		advice += "\n(1 later request succeeded: its lines are sent again, which is harmless, since a re-posted timestamp overwrites its value)"
	case o.later > 1:
		advice += fmt.Sprintf("\n(%d later requests succeeded: their lines are sent again, which is harmless, since a re-posted timestamp overwrites its value)", o.later)
	}
	return advice
}

// lineRange names input lines first to last.
func lineRange(first, last int) string {
	if first == last {
		return fmt.Sprintf("line %d", first)
	}
	return fmt.Sprintf("lines %d-%d", first, last)
}

// checkFuture refuses a time more than client.MaxMetricTimeAhead after
// now, as the API would (refusing the whole batch with it).
func checkFuture(m metricLine, now time.Time) error {
	if m.Time > now.Add(client.MaxMetricTimeAhead).Unix() {
		return fmt.Errorf("time %d is more than %d minutes in the future (epoch seconds, not milliseconds)", m.Time, client.MaxMetricTimeAhead/time.Minute)
	}
	return nil
}

// maxThrowBody bounds a request body in bytes, as --batch-size bounds its
// points: a batch is posted before a point would take its body past it, so
// a large --batch-size or long names make more requests instead of a 413
// that stores nothing. 1 MiB: the hosted API documents no cap, 1 MiB is
// the default of common front ends (nginx's client_max_body_size) and an
// eighth of mkr's own (backend.Options.MaxBodyBytes, 8 MiB), and the
// default batch of 5,000 typical points (~400 KB) stays one request.
const maxThrowBody = 1 << 20

// errBatchBytes says a point does not fit in the batch's byte budget.
var errBatchBytes = errors.New("batch full")

// throwBatch accumulates points already encoded as a JSON array body.
type throwBatch struct {
	opts     throwOptions
	maxBytes int    // the body's bound (maxThrowBody)
	first    int    // the first input line the batch covers
	hostID   string // JSON-encoded host id, or "" for service metrics
	buf      []byte
	point    []byte       // scratch: the point being added
	lines    []metricLine // kept only for --verbose
	n        int
}

func newThrowBatch(opts throwOptions) *throwBatch {
	b := &throwBatch{opts: opts, maxBytes: maxThrowBody}
	if opts.Host != "" {
		b.hostID = jsonString(opts.Host)
	}
	b.reset()
	return b
}

func (b *throwBatch) reset() {
	b.buf = append(make([]byte, 0, min(b.opts.BatchSize*64, b.maxBytes)), '[')
	b.lines = nil
	b.n = 0
}

func (b *throwBatch) add(m metricLine) error {
	if b.opts.Host != "" && !strings.HasPrefix(m.Name, "custom.") {
		m.Name = "custom." + m.Name
	}
	// A name the API would refuse makes it reject the whole batch, so it
	// is skipped like any bad line; the message says which rule it broke.
	if client.ValidateMetricName(m.Name) != nil {
		if len(m.Name) > client.MaxMetricNameLength {
			return fmt.Errorf("invalid metric name %q: at most %d characters", m.Name, client.MaxMetricNameLength)
		}
		return fmt.Errorf("invalid metric name %q: use A-Z a-z 0-9 . _ -", m.Name)
	}
	pt := append(b.point[:0], '{')
	if b.hostID != "" {
		pt = append(pt, `"hostId":`...)
		pt = append(pt, b.hostID...)
		pt = append(pt, ',')
	}
	pt = append(pt, `"name":"`...)
	pt = append(pt, m.Name...)
	pt = append(pt, `","time":`...)
	pt = appendInt(pt, m.Time)
	pt = append(pt, `,"value":`...)
	pt = appendFloat(pt, m.Value)
	pt = append(pt, '}')
	b.point = pt
	// The body would be buf + "," + pt + "]". A lone point always goes:
	// no split can make it smaller.
	if b.n > 0 && len(b.buf)+len(pt)+2 > b.maxBytes {
		return errBatchBytes
	}
	if b.n > 0 {
		b.buf = append(b.buf, ',')
	}
	b.buf = append(b.buf, pt...)
	if b.opts.Verbose {
		b.lines = append(b.lines, m)
	}
	b.n++
	return nil
}

func (b *throwBatch) full() bool { return b.n >= b.opts.BatchSize }
func (b *throwBatch) len() int   { return b.n }

// take returns the finished batch, which covers the input lines up to
// last, and starts a new one after it.
func (b *throwBatch) take(last int) *pendingBatch {
	p := &pendingBatch{body: append(b.buf, ']'), lines: b.lines, n: b.n, first: b.first, last: last}
	b.reset()
	b.first = last + 1
	return p
}

type pendingBatch struct {
	body        []byte
	lines       []metricLine
	n           int
	first, last int // input lines covered, skipped ones included
}
