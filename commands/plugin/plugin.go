package plugin

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/plugininstall"
	"github.com/urfave/cli/v2"
)

type pluginOptions struct {
	Targets   []string
	Prefix    string
	Manifest  string
	Overwrite bool
	Upgrade   bool
	Locked    bool
	Platforms []string
	Check     bool
	Update    bool
	Print     cmdutil.PrintOptions

	// MaxExtractSize and MaxEntries are the archive limits; 0 keeps the installer's default.
	MaxExtractSize int64
	MaxEntries     int
}

func pluginManifestFlag() cli.Flag {
	return &cli.StringFlag{Name: "manifest", Value: plugininstall.ManifestFile, Usage: "plugin manifest `FILE` (its lock sits next to it)", TakesFile: true}
}

func pluginPrefixFlag() cli.Flag {
	return &cli.StringFlag{Name: "prefix", Usage: "plugin install `DIR` (default /opt/mackerel-agent/plugins, or the manifest's prefix)"}
}

func NewCmdPlugin(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "plugin",
		Usage: "Install and manage mackerel-agent plugins",
		Description: `Install plugins from GitHub releases, the plugin registry or URLs, or declaratively from a
   manifest (mkr-plugins.toml) pinned by a lock file (mkr-plugins.lock) with checksums for every platform.

   Example:
     mkr plugin install mackerelio/mackerel-plugin-sample`,
		Subcommands: []*cli.Command{
			newPluginInstallCommand(f),
			{
				Name:      "lock",
				Usage:     "Resolve the manifest and write the lock without installing",
				ArgsUsage: "[--platform <os_arch>...] [--check] [--update] [--manifest <file>]",
				Description: `Bring mkr-plugins.lock in line with the manifest, hashing every declared platform's asset.
   --check writes nothing and exits 1 when the lock is stale (for CI); --update re-resolves versions.

   Examples:
     mkr plugin lock --platform linux_amd64 --platform linux_arm64
     mkr plugin lock --check`,
				Flags: append([]cli.Flag{
					&cli.StringSliceFlag{Name: "platform", Usage: "also lock `OS_ARCH` such as linux_arm64 (repeatable)"},
					&cli.BoolFlag{Name: "check", Usage: "only report whether the lock is stale"},
					&cli.BoolFlag{Name: "update", Usage: "resolve every version again"},
					pluginManifestFlag(),
				}, pluginLimitFlags()...),
				Action: func(c *cli.Context) error {
					opts := pluginOptions{Manifest: c.String("manifest"), Platforms: c.StringSlice("platform"),
						Check: c.Bool("check"), Update: c.Bool("update")}
					if err := pluginLimitsFrom(c, &opts); err != nil {
						return err
					}
					return runPluginLock(c.Context, f, opts)
				},
			},
			{
				Name:      "verify",
				Usage:     "Re-hash installed plugin files against the lock",
				ArgsUsage: "[--manifest <file>] [--prefix <dir>]",
				Description: `Report installed files that differ from the lock (or from the install records); exit 1 on drift.

   Example:
     mkr plugin verify --prefix /opt/mackerel-agent/plugins`,
				Flags: []cli.Flag{pluginManifestFlag(), pluginPrefixFlag(), cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					opts := pluginOptions{Manifest: c.String("manifest"), Prefix: c.String("prefix"), Print: cmdutil.PrintOptionsFrom(c)}
					return runPluginVerify(c.Context, f, opts)
				},
			},
			{
				Name:      "list",
				Usage:     "List installed plugins",
				ArgsUsage: "[--manifest <file>] [--prefix <dir>]",
				Description: `List installed plugins with their versions and files (a table on a terminal, JSON otherwise).

   Example:
     mkr plugin list --prefix /opt/mackerel-agent/plugins`,
				Flags: []cli.Flag{pluginManifestFlag(), pluginPrefixFlag(), cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					opts := pluginOptions{Manifest: c.String("manifest"), Prefix: c.String("prefix"), Print: cmdutil.PrintOptionsFrom(c)}
					return runPluginList(c.Context, f, opts)
				},
			},
			{
				Name:      "uninstall",
				Usage:     "Remove an installed plugin",
				ArgsUsage: "[--manifest <file>] [--prefix <dir>] <name>",
				Description: `Remove a plugin's files from bin/ and its records from meta/. <name> is owner/repo or the repository name.

   Example:
     mkr plugin uninstall mackerel-plugin-sample`,
				Flags: []cli.Flag{pluginManifestFlag(), pluginPrefixFlag()},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "plugin uninstall needs exactly one <name>")
					}
					return runPluginUninstall(c.Context, f, c.Args().First(), pluginOptions{Manifest: c.String("manifest"), Prefix: c.String("prefix")})
				},
			},
		},
	}
}

func newPluginInstallCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "install",
		Usage:     "Install plugins",
		ArgsUsage: "[--prefix <dir>] [--overwrite] [--upgrade] [--locked] [<owner/repo[@tag]> | <name[@tag]> | <url>]...",
		Description: `Install plugins from GitHub releases (<owner>/<repo>[@<release_tag>]), the plugin registry
   (<name>[@<release_tag>]) or an archive URL (http, https, file). Without targets, install what
   mkr-plugins.toml declares: exactly the locked assets when mkr-plugins.lock exists (every hash is
   verified), otherwise resolve, install and write the lock. --locked never resolves nor writes the lock
   and fails (exit 4) when the manifest and lock disagree or a hash differs, installing nothing.
   Only executables named check-* or mackerel-plugin-* are installed, into <prefix>/bin. An archive
   that extracts to more than --max-extract-size or holds more than --max-entries entries installs
   nothing; a download whose server sends nothing for 30 seconds fails.

   Examples:
     mkr plugin install mackerelio/mackerel-plugin-sample@v0.0.1
     mkr plugin install --locked`,
		Flags: append([]cli.Flag{
			pluginPrefixFlag(),
			&cli.BoolFlag{Name: "overwrite", Usage: "overwrite existing plugin files"},
			&cli.BoolFlag{Name: "upgrade", Usage: "install only when the release tag changed (overwrites)"},
			&cli.BoolFlag{Name: "locked", Usage: "install exactly the lock; fail when it does not match the manifest"},
			pluginManifestFlag(),
		}, pluginLimitFlags()...),
		Action: func(c *cli.Context) error {
			opts := pluginOptions{Targets: c.Args().Slice(), Prefix: c.String("prefix"), Manifest: c.String("manifest"),
				Overwrite: c.Bool("overwrite"), Upgrade: c.Bool("upgrade"), Locked: c.Bool("locked")}
			if opts.Locked && len(opts.Targets) > 0 {
				return cmdutil.UsageError(c, "--locked installs the manifest; it takes no targets")
			}
			if err := pluginLimitsFrom(c, &opts); err != nil {
				return err
			}
			return runPluginInstall(c.Context, f, opts)
		},
	}
}

// newInstaller builds the installer for one run: base URLs and token from
// the environment, prefix and archive limits from the flags, logs through the
// logger, progress on a terminal only.
func newInstaller(f *cmdutil.Factory, opts pluginOptions) (*plugininstall.Installer, error) {
	cfg := plugininstall.ConfigFromEnv(f.Getenv)
	cfg.Prefix = opts.Prefix
	cfg.MaxExtractSize, cfg.MaxEntries = opts.MaxExtractSize, opts.MaxEntries
	cfg.Version = f.Version
	cfg.Logf = func(format string, args ...any) { f.Log().Log("", format, args...) }
	cfg.Progress, cfg.ProgressIsTerminal = f.IO.ErrOut, f.IO.StderrTTY && !f.Global.Quiet
	return plugininstall.New(cfg)
}

// pluginError gives a lock mismatch its own exit code.
func pluginError(err error) error {
	if errors.Is(err, plugininstall.ErrLockMismatch) {
		return &cmdutil.CodedError{Code: cmdutil.ExitLockMismatch, Err: err}
	}
	return err
}

func runPluginInstall(ctx context.Context, f *cmdutil.Factory, opts pluginOptions) error {
	in, err := newInstaller(f, opts)
	if err != nil {
		return err
	}
	if len(opts.Targets) > 0 {
		return in.Install(ctx, opts.Targets, plugininstall.InstallOptions{Overwrite: opts.Overwrite, Upgrade: opts.Upgrade})
	}
	res, err := in.InstallFromManifest(ctx, opts.Manifest, plugininstall.ManifestOptions{Locked: opts.Locked})
	if err != nil {
		return pluginError(err)
	}
	f.Log().Log("installed", "%d plugins, %d already up to date (prefix %s)", len(res.Installed), len(res.UpToDate), res.Prefix)
	if res.LockWritten {
		f.Log().Log("updated", "%s", res.LockPath)
	}
	return nil
}

func runPluginLock(ctx context.Context, f *cmdutil.Factory, opts pluginOptions) error {
	in, err := newInstaller(f, opts)
	if err != nil {
		return err
	}
	res, err := in.Lock(ctx, opts.Manifest, plugininstall.LockOptions{Platforms: opts.Platforms, Check: opts.Check, Update: opts.Update})
	if res != nil {
		for _, ch := range res.Changes {
			f.Log().Log("lock", "%s", ch)
		}
	}
	if err != nil {
		return err
	}
	if res.Written {
		f.Log().Log("updated", "%s", res.Path)
	} else {
		f.Log().Info("%s is up to date", res.Path)
	}
	return nil
}

// manifestIfPresent returns path when the manifest exists, so that list,
// verify and uninstall also work on machines provisioned without one.
func manifestIfPresent(path string) string {
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
}

func runPluginVerify(ctx context.Context, f *cmdutil.Factory, opts pluginOptions) error {
	in, err := newInstaller(f, opts)
	if err != nil {
		return err
	}
	res, verr := in.Verify(ctx, plugininstall.VerifyOptions{ManifestPath: manifestIfPresent(opts.Manifest)})
	if res == nil {
		return verr
	}
	drift := res.Drift()
	if err := f.Printer(opts.Print).Print(cmdutil.Output{JSON: drift, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"plugin", "file", "status", "want", "got"}}
		for _, d := range drift {
			t.Rows = append(t.Rows, []string{d.Plugin, d.File, string(d.Status), d.Want, d.Got})
		}
		return t
	}}); err != nil {
		return err
	}
	if verr == nil {
		f.Log().Info("%d files verified, no drift", len(res.Files))
	}
	return verr
}

func runPluginList(ctx context.Context, f *cmdutil.Factory, opts pluginOptions) error {
	in, err := newInstaller(f, opts)
	if err != nil {
		return err
	}
	res, err := in.List(ctx, plugininstall.ListOptions{ManifestPath: manifestIfPresent(opts.Manifest)})
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: res, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"plugin", "source", "tag", "files"}}
		for _, p := range res.Plugins {
			t.Rows = append(t.Rows, []string{p.Name, p.Source, p.Tag, fmt.Sprint(len(p.Files))})
		}
		return t
	}})
}

func runPluginUninstall(ctx context.Context, f *cmdutil.Factory, name string, opts pluginOptions) error {
	in, err := newInstaller(f, opts)
	if err != nil {
		return err
	}
	res, err := in.Uninstall(ctx, name, plugininstall.UninstallOptions{ManifestPath: manifestIfPresent(opts.Manifest)})
	if err != nil {
		return err
	}
	for _, file := range res.Removed {
		f.Log().Log("deleted", "%s", file)
	}
	return nil
}
