package host

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type hostsOptions struct {
	Filter    client.FindHostsParam
	Verbose   bool
	StatusAge bool // add how long each host has been in its status
	Print     cmdutil.PrintOptions
}

func NewCmdHosts(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "hosts",
		Usage:     "List hosts",
		ArgsUsage: "[--verbose | -v] [--name | -n <name>] [--service | -s <service>] [[--role | -r <role>]...] [[--status | --st <status>]...] [--custom-identifier <id>] [--status-age]",
		Description: `List the information of the hosts refined by host name, service name, role name and/or status.
   Without --status only working and standby hosts are listed.
   Requests "GET /api/v0/hosts". See https://mackerel.io/api-docs/entry/hosts#list .

   Examples:
     mkr hosts --service web --role app
     mkr hosts --status standby --jq '.[].id'`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Usage: "list hosts named `NAME`"},
			&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "list hosts in `SERVICE`"},
			&cli.StringSliceFlag{Name: "role", Aliases: []string{"r"}, Usage: "list hosts with `ROLE` of --service (repeatable)"},
			&cli.StringSliceFlag{Name: "status", Aliases: []string{"st"}, Usage: "list hosts with `STATUS` (repeatable)"},
			&cli.StringFlag{Name: "custom-identifier", Usage: "list the host with this custom `IDENTIFIER`"},
			cmdutil.FormatFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print the full host objects"},
			&cli.BoolFlag{Name: "status-age", Usage: "add when each host's status last changed and how long ago (mkr's backend only)"},
			cmdutil.JQFlag(),
			cmdutil.OutputFlag(),
			cmdutil.AllProfilesFlag(),
		},
		Action: func(c *cli.Context) error {
			opts := hostsOptions{
				Filter: client.FindHostsParam{
					Name: c.String("name"), Service: c.String("service"), Roles: c.StringSlice("role"),
					Statuses: c.StringSlice("status"), CustomIdentifier: c.String("custom-identifier"),
				},
				Verbose:   c.Bool("verbose"),
				StatusAge: c.Bool("status-age"),
				Print:     cmdutil.PrintOptionsFrom(c),
			}
			if opts.StatusAge && opts.Verbose {
				return cmdutil.UsageError(c, "--status-age adds to the default view; --verbose prints the API's objects as they are")
			}
			if c.Args().Present() {
				return cmdutil.UsageError(c, "hosts takes no arguments, got %q", c.Args().First())
			}
			if len(opts.Filter.Roles) > 0 && opts.Filter.Service == "" {
				// The API reads role only with service; without it every host would be listed.
				return cmdutil.UsageError(c, "--role needs --service (a role is named within a service)")
			}
			// Meta is printed only by -v and --format (the template gets
			// the whole hosts): otherwise it is not even sent.
			opts.Filter.WithoutMeta = !opts.Verbose && opts.Print.Format == ""
			if c.Bool("all-profiles") {
				return runHostsAllProfiles(c.Context, f, opts)
			}
			return runHosts(c.Context, f, opts)
		},
	}
}

func runHosts(ctx context.Context, f *cmdutil.Factory, opts hostsOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	hosts, err := cl.FindHosts(ctx, opts.Filter)
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	out := cmdutil.Output{Template: hosts}
	if opts.Verbose {
		// -v asks for the full objects: JSON even on a terminal.
		out.JSON = hosts
	} else if opts.StatusAge {
		now := f.Now()
		out.JSON = hostAgeViews(hosts, loc, now)
		out.Table = func() *cmdutil.Table { return hostsAgeTable(hosts, loc, now) }
	} else {
		out.JSON = hostViews(hosts, loc)
		out.Table = func() *cmdutil.Table { return hostsTable(hosts, loc) }
	}
	return f.Printer(opts.Print).Print(out)
}
