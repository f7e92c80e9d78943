package metric

import (
	"context"
	"strconv"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type metricsOptions struct {
	Host     string
	Service  string
	Name     string
	From, To int64
	Chart    bool
	Print    cmdutil.PrintOptions
}

func NewCmdMetrics(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "metrics",
		Usage:     "Fetch metric values",
		ArgsUsage: "(--host | -H <hostId>) | (--service | -s <service>) --name | -n <metricName> [--from <time>] [--to <time>] [--chart]",
		Description: `Fetch the values of one metric of a host or a service between --from and --to.
   Times are epoch seconds, RFC 3339, "now", or relative such as -1h, now-30m, -7d; --to defaults to now.
   Requests "GET /api/v0/hosts/<hostId>/metrics" or "GET /api/v0/services/<service>/metrics".
   See https://mackerel.io/api-docs/entry/host-metrics#get .

   Examples:
     mkr metrics --host 2eQGEaLxibb --name loadavg5 --from -1h
     mkr metrics --service web --name custom.queue.length --from now-30m --to now`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "fetch a metric of `HOSTID`"},
			&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "fetch a metric of `SERVICE`"},
			&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Usage: "metric `NAME`"},
			&cli.StringFlag{Name: "from", Usage: "start `TIME` (default 0)"},
			&cli.StringFlag{Name: "to", Usage: "end `TIME` (default now)"},
			cmdutil.JQFlag(),
			cmdutil.OutputFlag(),
			chartFlag(),
		},
		Action: func(c *cli.Context) error {
			opts := metricsOptions{Host: c.String("host"), Service: c.String("service"), Name: c.String("name"), Chart: c.Bool("chart"), Print: cmdutil.PrintOptionsFrom(c)}
			if opts.Host == "" && opts.Service == "" {
				return cmdutil.UsageError(c, "either --host or --service is required")
			}
			if opts.Name == "" {
				return cmdutil.UsageError(c, "--name is required")
			}
			now := f.Now()
			var err error
			if opts.From, err = cmdutil.OptionalTime(c.String("from"), 0, now); err != nil {
				return cmdutil.UsageError(c, "--from: %s", err)
			}
			if opts.To, err = cmdutil.OptionalTime(c.String("to"), now.Unix(), now); err != nil {
				return cmdutil.UsageError(c, "--to: %s", err)
			}
			if opts.From > opts.To {
				return cmdutil.UsageError(c, "--from is after --to")
			}
			return runMetrics(c.Context, f, opts)
		},
	}
}

func runMetrics(ctx context.Context, f *cmdutil.Factory, opts metricsOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	var values []client.MetricValue
	if opts.Host != "" {
		values, err = cl.FetchHostMetricValues(ctx, opts.Host, opts.Name, opts.From, opts.To)
	} else {
		values, err = cl.FetchServiceMetricValues(ctx, opts.Service, opts.Name, opts.From, opts.To)
	}
	if err != nil {
		return err
	}
	if wantsChart(f, opts) {
		return printChart(f, opts, values)
	}
	loc := f.TimeZone()
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: values, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"time", "value"}}
		for _, v := range values {
			t.Rows = append(t.Rows, []string{time.Unix(v.Time, 0).In(loc).Format("2006-01-02 15:04:05"), strconv.FormatFloat(v.Value, 'g', -1, 64)})
		}
		return t
	}})
}

// fetchChunk is how many host ids go in one tsdb/latest request, keeping
// URLs short (upstream's limit).
const fetchChunk = 100

func NewCmdFetch(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "fetch",
		Usage:     "Fetch latest metric values",
		ArgsUsage: "--name | -n <metricName> [--name | -n <metricName>...] <hostIds...>",
		Description: `Fetch the latest values of the named metrics of the hosts.
   Requests "GET /api/v0/tsdb/latest" (100 hosts per request). See https://mackerel.io/api-docs/entry/host-metrics#get-latest .

   Example:
     mkr fetch --name loadavg5 --name cpu.user.percentage 2eQGEaLxibb 2eQGEaLxibc`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "name", Aliases: []string{"n"}, Usage: "metric `NAME` (repeatable)"},
			cmdutil.JQFlag(),
		},
		Action: func(c *cli.Context) error {
			names := c.StringSlice("name")
			if len(names) == 0 || c.NArg() == 0 {
				return cmdutil.UsageError(c, "fetch needs at least one --name and one host id")
			}
			opts := cmdutil.PrintOptionsFrom(c)
			return runFetch(c.Context, f, c.Args().Slice(), names, opts)
		},
	}
}

func runFetch(ctx context.Context, f *cmdutil.Factory, hostIDs, names []string, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	all := client.LatestMetricValues{}
	for start := 0; start < len(hostIDs); start += fetchChunk {
		chunk := hostIDs[start:min(start+fetchChunk, len(hostIDs))]
		latest, err := cl.FetchLatestMetricValues(ctx, chunk, names)
		if err != nil {
			return err
		}
		for h, m := range latest {
			all[h] = m
		}
	}
	if err := checkFetchedHostsExist(ctx, cl, hostIDs, all); err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: all})
}

func NewCmdMetricNames(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "metric-names",
		Usage:     "List metric names",
		ArgsUsage: "(--host | -H <hostId>) | (--service | -s <service>)",
		Description: `List the metric names of a host or a service.
   Requests "GET /api/v0/hosts/<hostId>/metric-names" or "GET /api/v0/services/<service>/metric-names".

   Examples:
     mkr metric-names --host 2eQGEaLxibb
     mkr metric-names --service web`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "list the metric names of `HOSTID`"},
			&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "list the metric names of `SERVICE`"},
			cmdutil.JQFlag(),
			cmdutil.OutputFlag(),
		},
		Action: func(c *cli.Context) error {
			opts := metricNamesOptions{Host: c.String("host"), Service: c.String("service"), Print: cmdutil.PrintOptionsFrom(c)}
			if opts.Host == "" && opts.Service == "" {
				return cmdutil.UsageError(c, "either --host or --service is required")
			}
			return runMetricNames(c.Context, f, opts)
		},
	}
}

type metricNamesOptions struct {
	Host    string
	Service string
	Print   cmdutil.PrintOptions
}

func runMetricNames(ctx context.Context, f *cmdutil.Factory, opts metricNamesOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	var names []string
	if opts.Host != "" {
		names, err = cl.ListHostMetricNames(ctx, opts.Host)
	} else {
		names, err = cl.ListServiceMetricNames(ctx, opts.Service)
	}
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: names, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"name"}}
		for _, n := range names {
			t.Rows = append(t.Rows, []string{n})
		}
		return t
	}})
}
