package plugininstall_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestInstallFromManifestWithoutLockWritesIt(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64", "darwin_arm64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	res, err := in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.LockWritten || res.Prefix != p.prefix || len(res.Installed) != 2 {
		t.Errorf("result = %+v", res)
	}
	// The lock covers both declared platforms; the current one was downloaded once.
	if n := len(p.gh.seen("GET /mackerelio/mackerel-plugin-sample/releases/download/v0.3.5/mackerel-plugin-sample_linux_amd64.zip")); n != 1 {
		t.Errorf("current platform downloaded %d times", n)
	}
	if got := keys(rawPlatforms(t, p.lock)); len(got) != 4 {
		t.Errorf("lock entries: %v", got)
	}
	before := rawPlatforms(t, p.lock)
	if got := readFile(t, filepath.Join(p.prefix, "bin", "check-b")); got != "check-b v1 linux_amd64" {
		t.Errorf("check-b = %q", got)
	}
	// The lock is complete: Lock has nothing to add.
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{Check: true}); err != nil {
		t.Errorf("lock written by install is stale: %v", err)
	}

	// Adding a plugin resolves only that one and keeps the others.
	p.publish(t, "o/check-c", "v7", "check-c", "linux_amd64", "darwin_arm64")
	p.writeManifest(t, []string{"linux_amd64", "darwin_arm64"}, `
[[plugin]]
source = "o/check-b"
version = "v1"

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"

[[plugin]]
source = "o/check-c"
`)
	p.gh.reset()
	res, err = in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := p.gh.seen("")
	slices.Sort(got)
	equalLines(t, got, []string{
		"GET /o/check-c/releases/download/v7/check-c_darwin_arm64.zip",
		"GET /o/check-c/releases/download/v7/check-c_linux_amd64.zip",
		"HEAD /o/check-c/releases/latest",
	})
	if !slices.Equal(res.Installed, []string{"o/check-c"}) || len(res.UpToDate) != 2 {
		t.Errorf("result = %+v", res)
	}
	after := rawPlatforms(t, p.lock)
	for key, raw := range before {
		if after[key] != raw {
			t.Errorf("%s changed when a plugin was added", key)
		}
	}
	if len(after) != 6 {
		t.Errorf("lock entries: %v", keys(after))
	}
}
