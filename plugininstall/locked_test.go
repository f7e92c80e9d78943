package plugininstall_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestLockedInstallRefusesTamperedAsset(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	lockBefore := readFile(t, p.lock)
	tampered := makeZip(t, exe("dist/mackerel-plugin-sample", "evil"), entry{name: "dist/LICENSE", body: "MIT"})
	path := p.gh.assetPath(sampleRepo, "v0.3.5", "linux_amd64")
	p.gh.set(func(f *fakeGitHub) { f.assets[path] = tampered })
	good := p.assets[sampleRepo+" v0.3.5 linux_amd64"]

	// check-b comes first and verifies fine; it must not be installed either.
	_, err := in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
	want := fmt.Sprintf("mackerelio/mackerel-plugin-sample v0.3.5 (linux_amd64) does not match mkr-plugins.lock:\n"+
		"  - %s%s has sha256 %s and %d bytes, the lock has sha256 %s and %d bytes",
		p.gh.srv.URL, path, sha(tampered), len(tampered), sha(good), len(good))
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if !errors.Is(err, plugininstall.ErrLockMismatch) || !errors.Is(err, plugininstall.ErrChecksumMismatch) {
		t.Error("error does not wrap ErrLockMismatch and ErrChecksumMismatch")
	}
	assertNothingInstalled(t, p.prefix)

	// With the archive hash "fixed up" in the lock, the per-file hash still catches it.
	fixed := strings.Replace(lockBefore, sha(good), sha(tampered), 1)
	fixed = strings.Replace(fixed, fmt.Sprintf(`"size": %d`, len(good)), fmt.Sprintf(`"size": %d`, len(tampered)), 1)
	writeFile(t, p.lock, fixed, 0o644)
	_, err = in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
	wantErr(t, err, fmt.Sprintf("  - file mackerel-plugin-sample has sha256 %s, the lock has %s",
		sha([]byte("evil")), fileSum("mackerel-plugin-sample", "v0.3.5", "linux_amd64")))
	assertNothingInstalled(t, p.prefix)

	// Without Locked a hash difference is just as fatal, but it is not a lock mismatch.
	writeFile(t, p.lock, lockBefore, 0o644)
	_, err = in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{})
	if !errors.Is(err, plugininstall.ErrChecksumMismatch) || errors.Is(err, plugininstall.ErrLockMismatch) {
		t.Errorf("unlocked install with a tampered asset: %v", err)
	}
	assertNothingInstalled(t, p.prefix)
	if readFile(t, p.lock) != lockBefore {
		t.Error("lock was rewritten after a checksum failure")
	}
}

// assertNothingInstalled checks that bin/ is empty (not even temporary files) and no
// meta was written.
func assertNothingInstalled(t *testing.T, prefix string) {
	t.Helper()
	for _, d := range []string{"bin", "meta", "work"} {
		entries, err := os.ReadDir(filepath.Join(prefix, d))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("%s/ is not empty: %v", d, entries)
		}
	}
}

func TestLockedInstallMismatchMakesNoRequest(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")

	_, err := in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
	if err == nil || err.Error() != `plugin lock does not match: mkr-plugins.lock does not exist (run "mkr plugin lock" to create it)` ||
		!errors.Is(err, plugininstall.ErrLockMismatch) {
		t.Errorf("no lock: %v", err)
	}
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	p.writeManifest(t, []string{"linux_amd64"}, `
[[plugin]]
source = "o/check-b"
version = "v2"

[[plugin]]
source = "o/check-c"
`)
	p.gh.reset()
	_, err = p.installer(t, "linux_arm64").InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
	want := `mkr-plugins.lock does not match mkr-plugins.toml (run "mkr plugin lock" to update it):
  - o/check-b: mkr-plugins.toml asks for version "v2" but mkr-plugins.lock was made for "v1"
  - o/check-c is in mkr-plugins.toml but not in mkr-plugins.lock
  - mackerelio/mackerel-plugin-sample is in mkr-plugins.lock but not in mkr-plugins.toml`
	if err == nil || err.Error() != want || !errors.Is(err, plugininstall.ErrLockMismatch) {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// The lock covers linux_amd64 only.
	p.writeManifest(t, []string{"linux_amd64"}, `
[[plugin]]
source = "o/check-b"
version = "v1"

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"
`)
	_, err = p.installer(t, "linux_arm64").InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
	wantErr(t, err, "  - o/check-b: mkr-plugins.lock has no entry for platform linux_arm64\n"+
		"  - mackerelio/mackerel-plugin-sample: mkr-plugins.lock has no entry for platform linux_arm64")
	if r := p.gh.seen(""); r != nil {
		t.Errorf("a locked mismatch made requests: %v", r)
	}
	assertNothingInstalled(t, p.prefix)
}
