package profile

import (
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// profileView is a profile as list prints it: never the key, at most its
// last four characters.
type profileView struct {
	Name    string `json:"name"`
	Current bool   `json:"current"`
	APIBase string `json:"apibase,omitempty"`
	DB      string `json:"db,omitempty"`
	KeyHint string `json:"keyHint,omitempty"`
}

func newListCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "List the profiles",
		ArgsUsage: "[--jq <formula>] [--output json|table]",
		Description: `List the profiles: name, backend, the last characters of the key, and which one is current
   (the default when no --profile, MKR_PROFILE or environment key chooses another).

   Examples:
     mkr profiles list
     mkr profiles list --jq '.[].name'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return cmdutil.UsageError(c, "profiles list takes no arguments, got %q", c.Args().First())
			}
			return runList(f, cmdutil.PrintOptionsFrom(c))
		},
	}
}

func runList(f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	ps, err := f.LoadProfiles()
	if err != nil {
		return err
	}
	views := []profileView{}
	for _, name := range ps.Names() {
		p := ps.Entries[name]
		v := profileView{Name: name, Current: name == ps.Current, DB: p.DB, KeyHint: p.KeyHint()}
		if !p.Local() {
			v.APIBase = p.Backend()
		}
		views = append(views, v)
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: views, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"current", "name", "backend", "key"}}
		for _, name := range ps.Names() {
			p := ps.Entries[name]
			mark := ""
			if name == ps.Current {
				mark = "*"
			}
			t.Rows = append(t.Rows, []string{mark, name, p.Backend(), p.KeyHint()})
		}
		return t
	}})
}
