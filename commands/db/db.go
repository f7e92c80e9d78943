// Package db holds `mkr db`: maintenance of the local database.
package db

import (
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// NewCmdDB is `mkr db`.
func NewCmdDB(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "db",
		Usage: "Maintain the local database",
		Description: `Maintenance of the local database (--db, MKR_DB, or the default one), which local mode and
   "mkr serve" use. It has no counterpart in the hosted API.

   Examples:
     mkr db compact
     mkr db backup /backup/mkr.db`,
		Subcommands: []*cli.Command{newCmdCompact(f), newCmdBackup(f)},
	}
}
