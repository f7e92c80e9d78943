package plugininstall

import (
	"context"
	"errors"
	"fmt"
)

// InstallOptions are the flags of `mkr plugin install <target>...`.
type InstallOptions struct {
	// Overwrite replaces existing files in bin/.
	Overwrite bool
	// Upgrade skips the download when meta/<owner>/<repo>/release_tag already holds the
	// resolved tag, and otherwise installs with Overwrite.
	Upgrade bool
}

// Install installs each target in turn (see ParseTarget for the grammar) and stops at
// the first failure; targets installed before it stay installed. All targets are
// parsed before anything is downloaded.
func (in *Installer) Install(ctx context.Context, targets []string, opts InstallOptions) error {
	if len(targets) == 0 {
		return errors.New("Specify install target") //nolint:staticcheck // upstream wording
	}
	parsed := make([]Target, 0, len(targets))
	for _, s := range targets {
		t, err := ParseTarget(s)
		if err != nil {
			return err
		}
		parsed = append(parsed, t)
	}
	ws, err := openWorkspace(in.prefixFor(nil), true)
	if err != nil {
		return fmt.Errorf("Failed to install plugin while preparing the prefix: %w", err) //nolint:staticcheck // upstream wording
	}
	defer ws.Close()
	for _, t := range parsed {
		if err := in.installTarget(ctx, ws, t, opts); err != nil {
			return err
		}
	}
	return nil
}

// installFailure keeps upstream's "Failed to install plugin while <stage>" wording and
// adds the target, since one call may install several.
func installFailure(t Target, stage string, err error) error {
	return fmt.Errorf("Failed to install plugin %s while %s: %w", shownTarget(t.Raw), stage, err) //nolint:staticcheck // upstream wording
}

func (in *Installer) installTarget(ctx context.Context, ws *workspace, t Target, opts InstallOptions) error {
	rec, err := in.resolveTarget(ctx, t)
	if err != nil {
		return installFailure(t, "making a download URL", err)
	}
	if opts.Upgrade && rec.Repo != "" {
		stored, ok, err := ws.readReleaseTag(rec.Repo)
		if err != nil {
			return installFailure(t, "reading meta", err)
		}
		if ok && stored == rec.Tag {
			in.logf("release_tag %s is already installed. Skip installing for now", rec.Tag)
			return nil
		}
	}
	work, removeWork, err := ws.newWorkDir()
	if err != nil {
		return installFailure(t, "preparing a work directory", err)
	}
	defer removeWork()
	got, err := in.fetch(ctx, ws.root, work, rec.URL)
	if err != nil {
		return installFailure(t, "downloading a plugin", err)
	}
	st, err := stageArchive(ctx, ws.root, got.path, ws.root, in.rules(in.cfg.GOOS))
	if err != nil {
		return installFailure(t, "extracting and placing", err)
	}
	placed, skipped, err := st.commit(ws, opts.Overwrite || opts.Upgrade, in.logf)
	if err != nil {
		return installFailure(t, "extracting and placing", err)
	}
	if err := ws.saveInstall(rec, placed, skipped); err != nil {
		return installFailure(t, "saving meta", err)
	}
	in.logf("Successfully installed %s", shownTarget(t.Raw))
	return nil
}

// resolveTarget finds the repository, tag and asset URL of a target. The returned record
// has no files yet.
func (in *Installer) resolveTarget(ctx context.Context, t Target) (installRecord, error) {
	rec := installRecord{Source: t.source()}
	if t.Kind == KindURL {
		rec.URL = t.URL
		return rec, nil
	}
	owner, repo, err := in.repoOf(ctx, t)
	if err != nil {
		return rec, err
	}
	tag := t.Tag
	if tag == "" {
		if tag, err = in.latestTag(ctx, owner, repo); err != nil {
			return rec, err
		}
	}
	rec.Repo, rec.Tag = owner+"/"+repo, tag
	rec.URL = in.githubAssetURL(owner, repo, tag, in.cfg.GOOS, in.cfg.GOARCH)
	return rec, nil
}

// repoOf returns the GitHub repository of an owner/repo or registry target.
func (in *Installer) repoOf(ctx context.Context, t Target) (owner, repo string, err error) {
	if t.Kind == KindRegistry {
		return in.registrySource(ctx, t.Name)
	}
	return t.Owner, t.Repo, nil
}

func (in *Installer) rules(goos string) archiveRules {
	return archiveRules{goos: goos, maxEntry: in.cfg.MaxFileSize, maxTotal: in.cfg.MaxExtractSize, maxEntries: in.cfg.MaxEntries}
}
