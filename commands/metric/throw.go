package metric

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
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
}

func NewCmdThrow(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "throw",
		Usage:     "Post metric values",
		ArgsUsage: "(--host | -H <hostId>) | (--service | -s <service>) [--retry | -r <n>] [--input mackerel|prometheus] [--verbose | -v] < stdin",
		Description: `Post metric values read from stdin, one "<name>\t<value>\t<epoch>" per line (the output
   format of mackerel-agent plugins), or the Prometheus text format with --input prometheus (labels are
   folded into the name). Input is streamed in batches, so memory stays flat however long it is.
   Malformed lines are reported with their line number and skipped. Host metric names get the
   "custom." prefix. Requests "POST /api/v0/tsdb" or "POST /api/v0/services/<service>/tsdb".
   Retries are one layer: without --retry a failed batch is retried by the client (3 times within
   seconds, on network errors, 5xx and 429; never in local mode); with --retry N only by throw itself,
   N times with upstream's backoff.
   See https://mackerel.io/api-docs/entry/host-metrics#post .`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "post host metrics to `HOSTID`"},
			&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "post service metrics to `SERVICE`"},
			&cli.IntFlag{Name: "retry", Aliases: []string{"r"}, Usage: "retry a failed batch up to `N` times (15 s doubling to 5 min; never on 4xx)"},
			&cli.StringFlag{Name: "input", Value: "mackerel", Usage: "input `FORMAT`: mackerel or prometheus"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log every value thrown"},
			&cli.IntFlag{Name: "batch-size", Value: 5000, Usage: "points per request (at most 100000)", Hidden: true},
		},
		Action: func(c *cli.Context) error {
			opts := throwOptions{
				Host: c.String("host"), Service: c.String("service"), Retry: c.Int("retry"),
				Input: c.String("input"), Verbose: c.Bool("verbose"), BatchSize: c.Int("batch-size"),
			}
			if opts.Host == "" && opts.Service == "" {
				return cmdutil.UsageError(c, "either --host or --service is required")
			}
			if opts.Host != "" && opts.Service != "" {
				// Upstream lets --host win; saying so beats a silent choice.
				f.Log().Warn("both --host and --service given: posting host metrics to %s", opts.Host)
				opts.Service = ""
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
	if opts.Input == "prometheus" {
		now := f.Now()
		parse = func(line string) (metricLine, bool, error) { return parsePrometheusLine(line, now) }
	}
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
			sender.wait()
			return context.Cause(ctx)
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
			sender.wait()
			return fmt.Errorf("reading stdin: %w", err)
		}
		m, ok, err := parse(string(line))
		if err == nil && ok {
			err = batch.add(m)
		}
		if err != nil {
			log.Warn("line %d: %s; skipped", sc.n, err)
			skipped++
			continue
		}
		if batch.full() {
			if !sender.send(batch.take()) {
				break // a batch failed: stop reading, report below
			}
		}
	}
	if batch.len() > 0 {
		sender.send(batch.take())
	}
	thrown, err := sender.wait()
	dest := opts.Host
	if dest == "" {
		dest = opts.Service
	}
	if err != nil {
		return fmt.Errorf("thrown %d values to %s before a request failed: %w", thrown, dest, err)
	}
	suffix := ""
	if skipped > 0 {
		suffix = fmt.Sprintf(" (%d lines skipped)", skipped)
	}
	log.Log("thrown", "%d values to %s%s", thrown, dest, suffix)
	if skipped > 0 && thrown == 0 {
		return cmdutil.SilentError
	}
	return nil
}

// throwBatch accumulates points already encoded as a JSON array body.
type throwBatch struct {
	opts   throwOptions
	hostID string // JSON-encoded host id, or "" for service metrics
	buf    []byte
	lines  []metricLine // kept only for --verbose
	n      int
}

func newThrowBatch(opts throwOptions) *throwBatch {
	b := &throwBatch{opts: opts}
	if opts.Host != "" {
		b.hostID = jsonString(opts.Host)
	}
	b.reset()
	return b
}

func (b *throwBatch) reset() {
	b.buf = append(make([]byte, 0, b.opts.BatchSize*64), '[')
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
	if b.n > 0 {
		b.buf = append(b.buf, ',')
	}
	b.buf = append(b.buf, '{')
	if b.hostID != "" {
		b.buf = append(b.buf, `"hostId":`...)
		b.buf = append(b.buf, b.hostID...)
		b.buf = append(b.buf, ',')
	}
	b.buf = append(b.buf, `"name":"`...)
	b.buf = append(b.buf, m.Name...)
	b.buf = append(b.buf, `","time":`...)
	b.buf = appendInt(b.buf, m.Time)
	b.buf = append(b.buf, `,"value":`...)
	b.buf = appendFloat(b.buf, m.Value)
	b.buf = append(b.buf, '}')
	if b.opts.Verbose {
		b.lines = append(b.lines, m)
	}
	b.n++
	return nil
}

func (b *throwBatch) full() bool { return b.n >= b.opts.BatchSize }
func (b *throwBatch) len() int   { return b.n }

// take returns the finished batch and starts a new one.
func (b *throwBatch) take() *pendingBatch {
	p := &pendingBatch{body: append(b.buf, ']'), lines: b.lines, n: b.n}
	b.reset()
	return p
}

type pendingBatch struct {
	body  []byte
	lines []metricLine
	n     int
}
