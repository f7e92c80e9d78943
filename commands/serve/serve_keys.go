package serve

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func newServeKeysCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "keys",
		Usage: "Manage the API keys of mkr serve",
		Description: `Create, list and revoke the API keys "mkr serve" accepts. Keys are stored hashed in the database (--db).

   Example:
     mkr serve keys create --name agent`,
		Subcommands: []*cli.Command{
			{
				Name:      "create",
				Usage:     "Create an API key and print it",
				ArgsUsage: "[--read-only] [--name <name>]",
				Description: `Create a key and print it on stdout. It cannot be shown again.

   Example:
     mkr serve keys create --read-only --name grafana`,
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "read-only", Usage: "the key may only read"},
					&cli.StringFlag{Name: "name", Usage: "`NAME` to recognise the key by"},
				},
				Action: func(c *cli.Context) error {
					return runServeKeysCreate(c.Context, f, c.String("name"), c.Bool("read-only"))
				},
			},
			{
				Name:      "list",
				Usage:     "List API keys (never the keys themselves)",
				ArgsUsage: "[--jq <formula>]",
				Description: `List the keys' ids, names, permissions and dates.

   Example:
     mkr serve keys list`,
				Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					opts := cmdutil.PrintOptionsFrom(c)
					return runServeKeysList(c.Context, f, opts)
				},
			},
			{
				Name:      "revoke",
				Usage:     "Revoke an API key",
				ArgsUsage: "<keyId>",
				Description: `Revoke the key with id <keyId>; requests with it are refused from then on.

   Example:
     mkr serve keys revoke 4kS2mC1bN8q`,
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "keys revoke needs exactly one <keyId>")
					}
					return runServeKeysRevoke(c.Context, f, c.Args().First())
				},
			},
		},
	}
}

func runServeKeysCreate(ctx context.Context, f *cmdutil.Factory, name string, readOnly bool) error {
	st, err := f.OpenBackend(ctx, f.DBPath())
	if err != nil {
		return err
	}
	k, key, err := st.CreateAPIKey(ctx, name, readOnly)
	if err != nil {
		return err
	}
	perm := "read-write"
	if k.ReadOnly {
		perm = "read-only"
	}
	f.Log().Log("created", "API key %s (%s)", k.ID, perm)
	return f.Printer(cmdutil.PrintOptions{}).PrintText("%s\n", key)
}

type apiKeyView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ReadOnly  bool   `json:"readOnly"`
	CreatedAt int64  `json:"createdAt"`
	RevokedAt int64  `json:"revokedAt,omitempty"`
}

func runServeKeysList(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	st, err := f.OpenBackend(ctx, f.DBPath())
	if err != nil {
		return err
	}
	keys, err := st.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	views := make([]apiKeyView, len(keys))
	for i, k := range keys {
		views[i] = apiKeyView{ID: k.ID, Name: k.Name, ReadOnly: k.ReadOnly, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt}
	}
	loc := f.TimeZone()
	return f.Printer(opts).Print(cmdutil.Output{JSON: views, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "name", "access", "created at", "revoked at"}}
		for _, k := range views {
			access, revoked := "read-write", ""
			if k.ReadOnly {
				access = "read-only"
			}
			if k.RevokedAt != 0 {
				revoked = time.Unix(k.RevokedAt, 0).In(loc).Format(time.DateTime)
			}
			t.Rows = append(t.Rows, []string{k.ID, k.Name, access, time.Unix(k.CreatedAt, 0).In(loc).Format(time.DateTime), revoked})
		}
		return t
	}})
}

func runServeKeysRevoke(ctx context.Context, f *cmdutil.Factory, id string) error {
	st, err := f.OpenBackend(ctx, f.DBPath())
	if err != nil {
		return err
	}
	if err := st.RevokeAPIKey(ctx, id); err != nil {
		return err
	}
	f.Log().Log("revoked", "API key %s", id)
	return nil
}
