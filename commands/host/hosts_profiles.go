package host

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// profileHost is a host and the profile it came from: the data of
// --format under --all-profiles ({{.Profile}} beside the host's fields).
type profileHost struct {
	Profile string
	*client.Host
}

// runHostsAllProfiles is `hosts --all-profiles`: the same query against
// every profile at once, each row naming its profile. A profile that fails
// is reported on stderr after the others' hosts, and makes mkr exit 1.
func runHostsAllProfiles(ctx context.Context, f *cmdutil.Factory, opts hostsOptions) error {
	results, err := cmdutil.FanOut(ctx, f, func(ctx context.Context, pf *cmdutil.Factory) ([]*client.Host, error) {
		cl, err := pf.Client(ctx)
		if err != nil {
			return nil, err
		}
		return cl.FindHosts(ctx, opts.Filter)
	})
	if err != nil {
		return err
	}
	if err := printProfileHosts(f, opts.Print, opts.Verbose, cmdutil.Succeeded(results)); err != nil {
		return err
	}
	return cmdutil.ReportProfileFailures(f, results)
}

// printProfileHosts prints hosts of several profiles: as one JSON array
// whose objects start with "profile" (the full hosts with verbose), or a
// table whose first column is the profile.
func printProfileHosts(f *cmdutil.Factory, opts cmdutil.PrintOptions, verbose bool, results []cmdutil.ProfileResult[[]*client.Host]) error {
	loc := f.TimeZone()
	rows := []json.RawMessage{}
	data := []profileHost{}
	table := &cmdutil.Table{Header: slices.Concat([]string{"profile"}, hostsTable(nil, loc).Header)}
	for _, r := range results {
		for _, h := range r.Value {
			var v any = newHostView(h, loc)
			if verbose {
				v = h
			}
			row, err := cmdutil.WithProfile(r.Profile, v)
			if err != nil {
				return fmt.Errorf("printing host %s: %w", h.ID, err)
			}
			rows = append(rows, row)
			data = append(data, profileHost{Profile: r.Profile, Host: h})
		}
		for _, cells := range hostsTable(r.Value, loc).Rows {
			table.Rows = append(table.Rows, slices.Concat([]string{r.Profile}, cells))
		}
	}
	out := cmdutil.Output{JSON: rows, Template: data}
	if !verbose {
		out.Table = func() *cmdutil.Table { return table }
	}
	return f.Printer(opts).Print(out)
}
