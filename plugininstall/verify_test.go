package plugininstall_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestVerifyDetectsDrift(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	if _, err := in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []plugininstall.VerifyOptions{{ManifestPath: p.manifest}, {}} {
		cfg := p.gh.config(p.prefix, &logLines{}) // records live under the prefix
		res, err := mustNew(t, cfg).Verify(ctx, opts)
		if err != nil || len(res.Files) != 2 || len(res.Drift()) != 0 {
			t.Fatalf("clean install (manifest %q): %+v, %v", opts.ManifestPath, res, err)
		}
	}

	sample := filepath.Join(p.prefix, "bin", "mackerel-plugin-sample")
	writeFile(t, sample, "tampered", 0o755)
	if err := os.Chmod(filepath.Join(p.prefix, "bin", "check-b"), 0o700); err != nil {
		t.Fatal(err)
	}
	want := []plugininstall.FileCheck{
		{Plugin: "o/check-b", File: "check-b", Path: filepath.Join(p.prefix, "bin", "check-b"),
			Status: plugininstall.FileModeChanged, Want: "0755", Got: "0700"},
		{Plugin: sampleRepo, File: "mackerel-plugin-sample", Path: sample, Status: plugininstall.FileModified,
			Want: fileSum("mackerel-plugin-sample", "v0.3.5", "linux_amd64"), Got: sha([]byte("tampered"))},
	}
	for _, opts := range []plugininstall.VerifyOptions{{ManifestPath: p.manifest}, {}} {
		res, err := mustNew(t, p.gh.config(p.prefix, &logLines{})).Verify(ctx, opts)
		if err == nil || err.Error() != "installed plugin files differ from what was recorded: 2 of 2 checks failed" ||
			!errors.Is(err, plugininstall.ErrDrift) {
			t.Errorf("error = %v", err)
		}
		drift := res.Drift()
		sortChecks(drift)
		if len(drift) != 2 || drift[0] != want[0] || drift[1] != want[1] {
			t.Errorf("manifest %q: drift = %+v\nwant %+v", opts.ManifestPath, drift, want)
		}
	}

	if err := os.Remove(sample); err != nil {
		t.Fatal(err)
	}
	res, _ := in.Verify(ctx, plugininstall.VerifyOptions{ManifestPath: p.manifest})
	if res.Prefix != p.prefix || res.Platform != "linux_amd64" {
		t.Errorf("result = %+v", res)
	}
	found := false
	for _, c := range res.Drift() {
		found = found || (c.File == "mackerel-plugin-sample" && c.Status == plugininstall.FileMissing)
	}
	if !found {
		t.Errorf("missing file not reported: %+v", res.Drift())
	}

	// A platform the lock does not cover is reported, not silently passed.
	res, err := p.installer(t, "linux_arm64").Verify(ctx, plugininstall.VerifyOptions{ManifestPath: p.manifest})
	if !errors.Is(err, plugininstall.ErrDrift) || len(res.Files) != 2 || res.Files[0].Status != plugininstall.FileNotLocked {
		t.Errorf("uncovered platform: %+v, %v", res, err)
	}
}

func sortChecks(c []plugininstall.FileCheck) {
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j].File < c[i].File {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
}
