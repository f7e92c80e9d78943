package profile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/dbdsn"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// maxKeyBytes bounds what --apikey-stdin reads: a key is a few dozen bytes,
// and a file piped by mistake should fail, not be stored.
const maxKeyBytes = 4096

type addOptions struct {
	Profile  cmdutil.Profile
	KeyStdin bool
	Force    bool
}

func newAddCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "Add a profile",
		ArgsUsage: "<name> (--apikey-stdin [--apibase <url>] | --db <path>) [--force]",
		Description: `Add a profile. A remote profile reads its API key from stdin (--apikey-stdin), never from the
   command line, so that it stays out of shell history and ps; --apibase names a server other than
   the hosted API (a self-hosted "mkr serve"). A local profile names a database file (--db).
   An existing profile is replaced only with --force. The new profile is not made the default:
   use "mkr profiles use <name>" for that.

   Examples:
     mkr profiles add acme --apikey-stdin < acme.key
     pass show mackerel/acme | mkr profiles add acme --apikey-stdin
     mkr profiles add lab --apibase http://mkr.lab:8080 --apikey-stdin
     mkr profiles add scratch --db ./scratch.db`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "apikey-stdin", Usage: "read the API key from stdin"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing profile of that name"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "profiles add needs exactly one <name>")
			}
			// --apibase and --db are global flags: the root has put them in f.Global.
			opts := addOptions{
				Profile:  cmdutil.Profile{Name: c.Args().First(), APIBase: f.Global.APIBase, DB: f.Global.DB},
				KeyStdin: c.Bool("apikey-stdin"),
				Force:    c.Bool("force"),
			}
			if opts.KeyStdin && opts.Profile.DB != "" {
				return cmdutil.UsageError(c, "--apikey-stdin and --db cannot be combined: a profile is either remote or a local database")
			}
			if !opts.KeyStdin && opts.Profile.DB == "" {
				return cmdutil.UsageError(c, "give --apikey-stdin (the key on stdin) for a remote profile, or --db <path> for a local one")
			}
			return runAdd(f, opts)
		},
	}
}

func runAdd(f *cmdutil.Factory, opts addOptions) error {
	p := opts.Profile
	// Everything that can be checked is checked before the key is read.
	if err := cmdutil.ValidateProfileName(p.Name); err != nil {
		return err
	}
	if p.APIBase != "" {
		if err := checkAPIBase(p.APIBase); err != nil {
			return err
		}
	}
	if p.DB != "" && !dbdsn.IsPostgres(p.DB) {
		// A relative path would mean something else from another directory.
		abs, err := filepath.Abs(p.DB)
		if err != nil {
			return err
		}
		p.DB = abs
	}
	ps, err := f.LoadProfiles()
	if err != nil {
		return err
	}
	if _, exists := ps.Entries[p.Name]; exists && !opts.Force {
		return fmt.Errorf("profile %q already exists: remove it first or give --force", p.Name)
	}
	if opts.KeyStdin {
		key, err := readKey(f, p.Name)
		if err != nil {
			return err
		}
		p.APIKey = key
	}
	if err := cmdutil.ValidateProfile(&p); err != nil {
		return err
	}
	ps.Entries[p.Name] = &p
	if err := f.SaveProfiles(ps); err != nil {
		return err
	}
	f.Log().Log("added", "profile %s: %s", p.Name, p.Backend())
	return nil
}

// checkAPIBase refuses what cannot be an API base, before a key is read.
func checkAPIBase(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--apibase must be an http(s) URL, not %q", base)
	}
	return nil
}

// readKey reads the API key from stdin: on a terminal one line without
// echo, otherwise everything piped in (trailing newline dropped).
func readKey(f *cmdutil.Factory, name string) (string, error) {
	var raw []byte
	if file, ok := f.IO.In.(*os.File); ok && f.IO.StdinTTY && term.IsTerminal(int(file.Fd())) {
		fmt.Fprintf(f.IO.ErrOut, "API key for profile %s: ", name)
		b, err := term.ReadPassword(int(file.Fd()))
		fmt.Fprintln(f.IO.ErrOut)
		if err != nil {
			return "", fmt.Errorf("reading the API key: %w", err)
		}
		raw = b
	} else {
		var err error
		raw, err = io.ReadAll(io.LimitReader(bufio.NewReader(f.IO.In), maxKeyBytes+1))
		if err != nil {
			return "", fmt.Errorf("reading the API key from stdin: %w", err)
		}
		if len(raw) > maxKeyBytes {
			return "", errors.New("stdin holds more than an API key (over 4096 bytes)")
		}
	}
	key := strings.TrimSpace(string(raw))
	switch {
	case key == "":
		return "", errors.New("no API key on stdin")
	case strings.ContainsAny(key, " \t\r\n"):
		// Never echo it back: it may be a key followed by something else.
		return "", errors.New("stdin holds more than one word; give only the API key")
	}
	return key, nil
}
