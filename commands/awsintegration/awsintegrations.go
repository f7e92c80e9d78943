// Package awsintegration is `mkr aws-integrations`: the AWS integration
// settings.
package awsintegration

import (
	"context"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdAWSIntegrations(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "aws-integrations",
		Usage:     "List AWS integration settings",
		ArgsUsage: "[--jq <formula>]",
		Description: `List the AWS integration settings, as upstream mkr prints them.
   Requests "GET /api/v0/aws-integrations". See https://mackerel.io/api-docs/entry/aws-integration#list .
   mkr's backend keeps and validates the settings but never calls AWS: no host or metric comes from them.

   Examples:
     mkr aws-integrations
     mkr aws-integrations --jq '.[] | .name + " " + .region'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return cmdutil.UsageError(c, "aws-integrations takes no arguments")
			}
			return runAWSIntegrations(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
	}
}

func runAWSIntegrations(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	list, err := cl.FindAWSIntegrations(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: list, Table: func() *cmdutil.Table { return table(list) }})
}

func table(list []*client.AWSIntegration) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"id", "name", "region", "auth", "enabled services"}}
	for _, a := range list {
		auth := "key " + a.Key
		if a.RoleArn != "" {
			auth = "role " + a.RoleArn
		}
		var enabled []string
		for name, s := range a.Services {
			if s != nil && s.Enable {
				enabled = append(enabled, name)
			}
		}
		slices.Sort(enabled)
		t.Rows = append(t.Rows, []string{a.ID, a.Name, a.Region, auth, strings.Join(enabled, ",")})
	}
	return t
}
