// Package alertgroupsetting holds `mkr alert-group-settings` and its
// pull, diff and push verbs: alert group settings kept in an
// alert-group-settings.json file, in the as-code style of monitors.
package alertgroupsetting

import (
	"context"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdAlertGroupSettings(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "alert-group-settings",
		Usage:     "Manipulate alert group settings",
		ArgsUsage: "[--jq <formula>]",
		Description: `Manipulate alert group settings: which alerts gather into one alert group. With no subcommand,
   show every setting (JSON, a table on a terminal). pull, diff and push keep them in a file as
   monitors pull, diff and push do.
   Requests APIs under "/api/v0/alert-group-settings". See https://mackerel.io/api-docs/entry/alert-group-settings .

   Example: mkr alert-group-settings --jq '.[].name'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			return runSettings(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: settings.Commands(f, ascode.Verbs[*client.AlertGroupSetting]{
			Command: "alert-group-settings", DefaultFile: defaultFile, APIPath: "/api/v0/alert-group-settings",
			Writes: writes,
		}),
	}
}

func runSettings(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	list, err := cl.FindAlertGroupSettings(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: list, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "name", "services", "roles", "monitors", "interval"}}
		for _, s := range list {
			interval := ""
			if v := s.Raw("notificationInterval"); v != nil && string(v) != "0" {
				interval = string(v) + "m"
			}
			t.Rows = append(t.Rows, []string{s.ID(), s.Name(), strings.Join(s.Strings("serviceScopes"), ","),
				strings.Join(s.Strings("roleScopes"), ","), strings.Join(s.Strings("monitorScopes"), ","), interval})
		}
		return t
	}})
}

// defaultFile is where pull writes and diff/push read.
const defaultFile = "alert-group-settings.json"

// settings is how alert group settings are pulled, matched, diffed and
// pushed.
var settings = ascode.Resource[*client.AlertGroupSetting]{
	Spec: ascode.Spec[*client.AlertGroupSetting]{
		Noun:     "setting",
		LongNoun: "alert group setting",
		Command:  "mkr alert-group-settings",
		Describe: func(s *client.AlertGroupSetting) string { return fmt.Sprintf("%s %q", s.ID(), s.Name()) },
	},
	FileKey: "alertGroupSettings",
	Things:  "Alert group settings",
	Unit:    "settings",
	Find: func(ctx context.Context, cl *client.Client) ([]*client.AlertGroupSetting, error) {
		return cl.FindAlertGroupSettings(ctx)
	},
}
