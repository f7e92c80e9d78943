package cmdutil

import (
	"errors"
	"io/fs"
	"os"
)

// localNotice is the line mkr logs when it falls back to the embedded
// backend without being told to: with no API key, no --apibase and no
// profile, a command in CI or cron would otherwise answer from (and write
// to) a database on the machine running it, and "Service prod not found"
// would be all anyone saw. It is said when the database is about to be
// created, and on every run whose stdout is not a terminal (a script, a
// pipe, a log); a person at a terminal is told once, at creation. Choosing
// the embedded backend (--local, MKR_LOCAL=1, --db, MKR_DB, a local
// profile) or --quiet silences it. "" when there is nothing to say.
func (f *Factory) localNotice(t *Target) string {
	if !t.Local || !f.localByDefault(t) {
		return ""
	}
	_, err := os.Stat(t.DBPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no API key or profile is set: creating a local database at " + t.DBPath +
			" for mkr's embedded backend (--local or MKR_LOCAL=1 chooses it and silences this)"
	case !f.IO.StdoutTTY:
		return "no API key or profile is set: using mkr's embedded backend on the local database " + t.DBPath +
			" (--local or MKR_LOCAL=1 chooses it and silences this)"
	}
	return ""
}

// localByDefault reports whether the local target t was nobody's choice
// but the fallback of ResolveTarget.
func (f *Factory) localByDefault(t *Target) bool {
	return t.Profile == "" && !f.Global.Local && !Truthy(f.Getenv("MKR_LOCAL")) &&
		f.Global.DB == "" && f.Getenv("MKR_DB") == ""
}
