// Package plugininstall installs Mackerel agent plugins from GitHub releases, the
// plugin registry or archive URLs, and manages them declaratively through a manifest
// (mkr-plugins.toml) and a lock (mkr-plugins.lock). It is the library behind
// `mkr plugin …`; it prints nothing itself and never exits.
//
// # Layout
//
// Under the prefix (DefaultPrefix, Config.Prefix or the manifest's prefix):
//
//	bin/<file>                           installed plugin executables (flattened)
//	work/mkr-plugin-installer-XXXX/      downloads, removed after each run
//	meta/<owner>/<repo>/release_tag      the installed tag, no newline (upstream mkr's)
//	meta/<owner>/<repo>/install.json     which files the install placed, with hashes
//	meta/_url/<hash>/install.json        the same for plugins installed from a URL
//
// Upstream mkr reads only release_tag, so both tools can share a prefix.
//
// # Safety
//
// Archives (.zip, .tar.gz/.tgz, .tar; detected by content, then by name) are
// downloaded with a size cap while being hashed, and extracted with the standard
// library through an os.Root. An archive with a "..", absolute, symlink, hard link or
// device entry, or an entry over the size cap, is refused as a whole. So is one with
// more than Config.MaxEntries entries, or one that extracts to more than
// Config.MaxExtractSize bytes in total — counted as the bytes are read, never from the
// headers alone (zip bombs). Plugin files are staged as temporary files in bin/ and
// only renamed into place once the whole archive (and, for manifest installs, every
// plugin) extracted and verified, so a failure leaves existing binaries untouched.
//
// Every request fails with ErrStalled when its server sends nothing for
// Config.IdleTimeout (no response headers, or no more of the body); there is no overall
// download timeout, and the caller's context cancels a request at any time.
//
// # Calling it from a command
//
// Build one Installer per command run:
//
//	cfg := plugininstall.ConfigFromEnv(os.Getenv) // MKR_GITHUB_URL, …, GITHUB_TOKEN/git
//	cfg.Prefix = opts.Prefix                      // --prefix; "" lets the manifest decide
//	cfg.Version = version
//	cfg.Logf = func(format string, a ...any) { io.Info(format, a...) }
//	cfg.Progress, cfg.ProgressIsTerminal = io.ErrOut, io.IsStderrTTY()
//	in, err := plugininstall.New(cfg)
//
// mkr plugin install <target>... [--overwrite] [--upgrade]:
//
//	err = in.Install(ctx, targets, plugininstall.InstallOptions{Overwrite: o.Overwrite, Upgrade: o.Upgrade})
//
// mkr plugin install [--locked] (no target: the manifest in the current directory):
//
//	res, err := in.InstallFromManifest(ctx, plugininstall.ManifestFile,
//		plugininstall.ManifestOptions{Locked: o.Locked})
//	if errors.Is(err, plugininstall.ErrLockMismatch) { /* distinct exit code */ }
//
// mkr plugin lock [--platform linux_arm64]... [--check] [--update]:
//
//	res, err := in.Lock(ctx, plugininstall.ManifestFile,
//		plugininstall.LockOptions{Platforms: o.Platforms, Check: o.Check, Update: o.Update})
//	if errors.Is(err, plugininstall.ErrLockStale) { /* print res.Changes, exit 1 */ }
//
// mkr plugin verify [--manifest mkr-plugins.toml]:
//
//	res, err := in.Verify(ctx, plugininstall.VerifyOptions{ManifestPath: o.Manifest})
//	if errors.Is(err, plugininstall.ErrDrift) { /* print res.Drift(), exit 1 */ }
//
// mkr plugin list [--manifest …] (a table on a terminal, JSON otherwise):
//
//	res, err := in.List(ctx, plugininstall.ListOptions{ManifestPath: o.Manifest})
//
// mkr plugin uninstall <name> [--manifest …]:
//
//	res, err := in.Uninstall(ctx, name, plugininstall.UninstallOptions{ManifestPath: o.Manifest})
//	if errors.Is(err, plugininstall.ErrNotInstalled) { … }
//
// Results carry JSON tags so that the CLI can print them with its JSON printer.
//
// # Manifest and lock
//
// See Manifest for the manifest format. The lock is JSON with sorted keys, written
// only when its content changes:
//
//	{
//	  "plugins": [
//	    {
//	      "platforms": {
//	        "linux_amd64": {
//	          "files": {"mackerel-plugin-sample": {"mode": "0755", "sha256": "…"}},
//	          "sha256": "…",  // the archive
//	          "size": 1234567,
//	          "url": "https://github.com/…/mackerel-plugin-sample_linux_amd64.zip"
//	        }
//	      },
//	      "repo": "mackerelio/mackerel-plugin-sample",
//	      "source": "mackerelio/mackerel-plugin-sample",
//	      "tag": "v0.3.1",
//	      "version": "~> 0.3"
//	    }
//	  ],
//	  "version": 1
//	}
package plugininstall
