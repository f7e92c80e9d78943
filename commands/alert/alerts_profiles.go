package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// runAlertsAllProfiles is `alerts --all-profiles`: every profile's alerts
// (the same paging options for each), grouped by profile, each row naming
// it. A profile that fails is reported on stderr after the others'
// alerts, and makes mkr exit 1.
func runAlertsAllProfiles(ctx context.Context, f *cmdutil.Factory, opts alertsOptions) error {
	results, err := cmdutil.FanOut(ctx, f, func(ctx context.Context, pf *cmdutil.Factory) ([]*client.Alert, error) {
		cl, err := pf.Client(ctx)
		if err != nil {
			return nil, err
		}
		return fetchAlerts(ctx, cl, opts.WithClosed, opts.Limit)
	})
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	rows := []json.RawMessage{}
	table := &cmdutil.Table{Header: slices.Concat([]string{"profile"}, alertsTable(nil, loc).Header)}
	for _, r := range cmdutil.Succeeded(results) {
		for _, a := range r.Value {
			row, err := cmdutil.WithProfile(r.Profile, a)
			if err != nil {
				return fmt.Errorf("printing alert %s: %w", a.ID, err)
			}
			rows = append(rows, row)
		}
		for _, cells := range alertsTable(r.Value, loc).Rows {
			table.Rows = append(table.Rows, slices.Concat([]string{r.Profile}, cells))
		}
	}
	err = f.Printer(opts.Print).Print(cmdutil.Output{JSON: rows, Table: func() *cmdutil.Table { return table }})
	if err != nil {
		return err
	}
	return cmdutil.ReportProfileFailures(f, results)
}
