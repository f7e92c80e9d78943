package org

import (
	"context"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// profileOrg is one profile's answer to `org --all-profiles`.
type profileOrg struct {
	Profile     string `json:"profile"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	Backend     string `json:"backend"`
}

// runOrgAllProfiles asks every profile's backend for its organization, so
// that an operator of many sees which key belongs to which organization.
// Failures (a revoked key, a server down) are reported after the others.
func runOrgAllProfiles(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	results, err := cmdutil.FanOut(ctx, f, func(ctx context.Context, pf *cmdutil.Factory) (profileOrg, error) {
		cl, err := pf.Client(ctx)
		if err != nil {
			return profileOrg{}, err
		}
		org, err := cl.GetOrg(ctx)
		if err != nil {
			return profileOrg{}, err
		}
		target, err := pf.ResolveTarget()
		if err != nil {
			return profileOrg{}, err
		}
		// The backend without " (profile …)": the profile has its own column.
		backend := *target
		backend.Profile = ""
		return profileOrg{Name: org.Name, DisplayName: org.DisplayName, Backend: backend.String()}, nil
	})
	if err != nil {
		return err
	}
	orgs := []profileOrg{}
	for _, r := range cmdutil.Succeeded(results) {
		o := r.Value
		o.Profile = r.Profile
		orgs = append(orgs, o)
	}
	err = f.Printer(opts).Print(cmdutil.Output{JSON: orgs, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"profile", "name", "display name", "backend"}}
		for _, o := range orgs {
			t.Rows = append(t.Rows, []string{o.Profile, o.Name, o.DisplayName, o.Backend})
		}
		return t
	}})
	if err != nil {
		return err
	}
	return cmdutil.ReportProfileFailures(f, results)
}
