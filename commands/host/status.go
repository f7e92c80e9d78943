package host

import (
	"context"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type statusOptions struct {
	HostID  string
	Verbose bool
	Print   cmdutil.PrintOptions
}

func NewCmdStatus(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "status",
		Usage:     "Show the host",
		ArgsUsage: "[--verbose | -v] [<hostId>]",
		Description: `Show the information of the host identified with <hostId>.
   Without <hostId>, the host id of the local mackerel-agent (<root>/id) is used.
   With --verbose, the full host, its metric names and the status of each monitor watching it.
   Requests "GET /api/v0/hosts/<hostId>" (and with -v its metric-names and monitored-statuses). See https://mackerel.io/api-docs/entry/hosts#get .

   Examples:
     mkr status 2eQGEaLxibb
     mkr status --verbose --jq '.metrics' 2eQGEaLxibb`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print the full host object, its metric names and monitored statuses"},
			cmdutil.JQFlag(),
			cmdutil.OutputFlag(),
			cmdutil.AllProfilesFlag(),
		},
		Action: func(c *cli.Context) error {
			opts := statusOptions{Verbose: c.Bool("verbose"), Print: cmdutil.PrintOptionsFrom(c)}
			if c.NArg() > 1 {
				return cmdutil.UsageError(c, "status takes at most one host id")
			}
			id, err := hostIDsOrLocal(c, f)
			if err != nil {
				return err
			}
			opts.HostID = id[0]
			if c.Bool("all-profiles") {
				return runStatusAllProfiles(c.Context, f, opts)
			}
			return runStatus(c.Context, f, opts)
		},
	}
}

// hostVerbose is `status -v`: the full host followed by its metric names
// (upstream's output) and, new in mkr, the state of every monitor watching
// it under "monitoredStatuses" (the API's name, which no host field uses).
type hostVerbose struct {
	*client.Host
	Metrics           []string                 `json:"metrics,omitempty"` // omitted when empty, as upstream
	MonitoredStatuses []client.MonitoredStatus `json:"monitoredStatuses"`
}

func runStatus(ctx context.Context, f *cmdutil.Factory, opts statusOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	host, err := cl.FindHost(ctx, opts.HostID)
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	var out cmdutil.Output
	if opts.Verbose {
		// -v asks for the full object: JSON even on a terminal.
		names, err := cl.ListHostMetricNames(ctx, opts.HostID)
		if err != nil {
			return err
		}
		statuses, err := cl.ListMonitoredStatuses(ctx, opts.HostID)
		if err != nil {
			return err
		}
		if statuses == nil {
			statuses = []client.MonitoredStatus{}
		}
		out.JSON = hostVerbose{Host: host, Metrics: names, MonitoredStatuses: statuses}
	} else {
		out.JSON = newHostView(host, loc)
		out.Table = func() *cmdutil.Table { return hostDetailTable(host, loc) }
	}
	return f.Printer(opts.Print).Print(out)
}

func hostDetailTable(h *client.Host, loc *time.Location) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"field", "value"}}
	add := func(k, v string) {
		if v != "" {
			t.Rows = append(t.Rows, []string{k, v})
		}
	}
	add("id", h.ID)
	add("name", h.Name)
	add("display name", h.DisplayName)
	add("custom identifier", h.CustomIdentifier)
	add("status", h.Status)
	add("roles", strings.Join(h.RoleFullnames(), ", "))
	add("memo", h.Memo)
	for _, iface := range h.Interfaces {
		add("interface "+iface.Name, strings.Join(append(iface.IPv4Addresses, iface.IPv6Addresses...), ", "))
	}
	add("created at", time.Unix(h.CreatedAt, 0).In(loc).Format("2006-01-02 15:04:05 -07:00"))
	if h.IsRetired {
		add("retired", "yes")
	}
	return t
}

// hostIDsOrLocal returns the positional host ids, or the local agent's id
// when none is given (status, update and retire behave so upstream).
func hostIDsOrLocal(c *cli.Context, f *cmdutil.Factory) ([]string, error) {
	if c.Args().Present() {
		return c.Args().Slice(), nil
	}
	id, err := f.LocalHostID()
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, cmdutil.UsageError(c, "no host id given, and no mackerel-agent host id file was found (<root>/id)")
	}
	return []string{id}, nil
}
