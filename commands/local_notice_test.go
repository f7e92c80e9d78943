package commands_test

import (
	"path/filepath"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// With no API key, no --apibase and no profile, mkr falls back to a local
// database. It says so on stderr when it creates that database, and on
// every run whose stdout is not a terminal; a person at a terminal hears
// it once.
func TestLocalFallbackIsAnnounced(t *testing.T) {
	e := cmdtest.New(t)
	data := filepath.Join(e.Dir, "data")
	db := filepath.Join(data, "mkr", "mkr.db")
	implicit := map[string]string{"MKR_DB": "", "XDG_DATA_HOME": data}
	creating := "      info no API key or profile is set: creating a local database at " + db +
		" for mkr's embedded backend (--local or MKR_LOCAL=1 chooses it and silences this)\n"
	using := "      info no API key or profile is set: using mkr's embedded backend on the local database " + db +
		" (--local or MKR_LOCAL=1 chooses it and silences this)\n"
	color := func(line string) string { // the prefix as a terminal shows it
		return cmdutil.ANSIBold + cmdutil.ANSIGreen + line[:10] + cmdutil.ANSIReset + line[10:]
	}

	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true, Env: implicit}, "services", "--jq", "length"),
		cmdtest.Want{Stdout: "0\n", Stderr: color(creating)})
	e.Check(e.RunWith(cmdtest.RunOpts{Env: implicit}, "services"), cmdtest.Want{Stdout: "[]\n", Stderr: using})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true, Env: implicit}, "services", "--jq", "length"),
		cmdtest.Want{Stdout: "0\n"})
	// On a terminal for stderr only (stdout piped), it is still said.
	e.Check(e.RunWith(cmdtest.RunOpts{Env: implicit, IOS: func(ios *cmdutil.IOStreams) { ios.StderrTTY = true }}, "services"),
		cmdtest.Want{Stdout: "[]\n", Stderr: color(using)})
}

// Choosing the embedded backend, or --quiet, silences the line, even when
// the database is created.
func TestLocalFallbackNoticeSilenced(t *testing.T) {
	for name, tt := range map[string]struct {
		env  map[string]string
		args []string
	}{
		"--local":     {nil, []string{"--local"}},
		"MKR_LOCAL=1": {map[string]string{"MKR_LOCAL": "1"}, nil},
		"--quiet":     {nil, []string{"--quiet"}},
		"--db":        {nil, []string{"--db", "DB"}},
		"MKR_DB":      {map[string]string{"MKR_DB": "DB"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			e := cmdtest.New(t)
			data := filepath.Join(e.Dir, "data")
			env := map[string]string{"MKR_DB": "", "XDG_DATA_HOME": data}
			for k, v := range tt.env {
				env[k] = v
			}
			if env["MKR_DB"] == "DB" {
				env["MKR_DB"] = filepath.Join(e.Dir, "chosen.db")
			}
			args := append([]string{"services"}, tt.args...)
			for i, a := range args {
				if a == "DB" {
					args[i] = filepath.Join(e.Dir, "chosen.db")
				}
			}
			for range 2 { // creating, then using
				e.Check(e.RunWith(cmdtest.RunOpts{Env: env}, args...), cmdtest.Want{Stdout: "[]\n"})
			}
		})
	}
}
