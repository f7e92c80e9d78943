package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/dbdsn"
	"github.com/urfave/cli/v2"
)

type backupOptions struct {
	// File is where the copy goes (a new file).
	File string
}

func newCmdBackup(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "backup",
		Usage:     "Copy the local SQLite database to a file, while it is in use",
		ArgsUsage: "<file>",
		Description: `Write a consistent copy of the local SQLite database (--db, MKR_DB, or the default one) to
   <file>, a new file readable by its owner only, while "mkr serve" and other commands go on
   writing: the copy is the database as it was when the backup started (SQLite's VACUUM INTO,
   so free pages are left out). <file> must not exist. Restore by stopping mkr and putting the
   file in the database's place. A PostgreSQL database is backed up with pg_dump; db backup
   refuses it and prints the command to use.

   Examples:
     mkr db backup /backup/mkr-$(date +%F).db
     mkr db backup --db /var/lib/mkr/mkr.db /backup/mkr.db`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 || c.Args().First() == "" {
				return cmdutil.UsageError(c, "db backup needs exactly one <file>")
			}
			target, err := f.ResolveTarget()
			if err != nil {
				return err
			}
			if !target.Local {
				return cmdutil.UsageError(c, "db backup works on the local database only, and the target is %s: pass --local or --db", target)
			}
			return runBackup(c.Context, f, backupOptions{File: c.Args().First()})
		},
	}
}

func runBackup(ctx context.Context, f *cmdutil.Factory, opts backupOptions) error {
	path := f.DBPath()
	if dbdsn.IsPostgres(path) {
		return fmt.Errorf("db backup copies SQLite databases; back PostgreSQL up with pg_dump (the password left out here): pg_dump --format=custom --file %s %s",
			shellQuote(opts.File), shellQuote(dbdsn.Display(path)))
	}
	b, err := f.OpenBackend(ctx, path)
	if err != nil {
		return err
	}
	size, err := b.Backup(ctx, opts.File)
	if err != nil {
		return err
	}
	f.Log().Log("backed up", "%s to %s (%s)", path, opts.File, byteSize(size))
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// byteSize is n in B, KiB, MiB or GiB, one decimal past bytes.
func byteSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, u := float64(n)/1024, 0
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	for v >= 1024 && u < len(units)-1 {
		v, u = v/1024, u+1
	}
	return fmt.Sprintf("%.1f %s", v, units[u])
}
