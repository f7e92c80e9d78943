package host

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// profileStatus is one profile's answer to `status --all-profiles`: nil
// when the host is not in that organization.
type profileStatus struct {
	host     *client.Host
	metrics  []string
	statuses []client.MonitoredStatus
}

// runStatusAllProfiles is `status --all-profiles <hostId>`: it looks for
// the host in every profile, since a host id belongs to one organization
// and an operator of dozens may not know which. Profiles that do not have
// the host are not failures; other errors are reported on stderr after the
// hosts found, and make mkr exit 1, as does a host found nowhere. The
// output is an array (one element per profile that has the host) whose
// objects start with "profile".
func runStatusAllProfiles(ctx context.Context, f *cmdutil.Factory, opts statusOptions) error {
	results, err := cmdutil.FanOut(ctx, f, func(ctx context.Context, pf *cmdutil.Factory) (profileStatus, error) {
		cl, err := pf.Client(ctx)
		if err != nil {
			return profileStatus{}, err
		}
		host, err := cl.FindHost(ctx, opts.HostID)
		if client.IsNotFound(err) {
			return profileStatus{}, nil
		}
		if err != nil || !opts.Verbose {
			return profileStatus{host: host}, err
		}
		names, err := cl.ListHostMetricNames(ctx, opts.HostID)
		if err != nil {
			return profileStatus{}, err
		}
		statuses, err := cl.ListMonitoredStatuses(ctx, opts.HostID)
		if err != nil {
			return profileStatus{}, err
		}
		if statuses == nil {
			statuses = []client.MonitoredStatus{}
		}
		return profileStatus{host: host, metrics: names, statuses: statuses}, nil
	})
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	rows := []json.RawMessage{}
	table := &cmdutil.Table{Header: []string{"field", "value"}}
	for _, r := range cmdutil.Succeeded(results) {
		s := r.Value
		if s.host == nil {
			continue
		}
		var v any = newHostView(s.host, loc)
		if opts.Verbose {
			v = hostVerbose{Host: s.host, Metrics: s.metrics, MonitoredStatuses: s.statuses}
		}
		row, err := cmdutil.WithProfile(r.Profile, v)
		if err != nil {
			return fmt.Errorf("printing host %s: %w", s.host.ID, err)
		}
		rows = append(rows, row)
		table.Rows = append(table.Rows, []string{"profile", r.Profile})
		table.Rows = slices.Concat(table.Rows, hostDetailTable(s.host, loc).Rows)
	}
	if len(rows) == 0 {
		if err := cmdutil.ReportProfileFailures(f, results); err != nil {
			return err
		}
		return fmt.Errorf("host %s not found in any profile", opts.HostID)
	}
	out := cmdutil.Output{JSON: rows}
	if !opts.Verbose {
		out.Table = func() *cmdutil.Table { return table }
	}
	if err := f.Printer(opts.Print).Print(out); err != nil {
		return err
	}
	return cmdutil.ReportProfileFailures(f, results)
}
