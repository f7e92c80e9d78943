package plugininstall_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestLockAddingAPlatformOnlyAdds(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	before := rawPlatforms(t, p.lock)

	p.writeManifest(t, []string{"linux_amd64", "linux_arm64"}, `
[[plugin]]
source = "o/check-b"
version = "v1"

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"
`)
	p.gh.reset()
	res, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{Platforms: []string{"darwin_amd64"}})
	if err != nil {
		t.Fatal(err)
	}
	// Only the new platforms' assets were fetched: no resolution, no old asset.
	got := p.gh.seen("")
	slices.Sort(got)
	equalLines(t, got, []string{
		"GET /mackerelio/mackerel-plugin-sample/releases/download/v0.3.5/mackerel-plugin-sample_darwin_amd64.zip",
		"GET /mackerelio/mackerel-plugin-sample/releases/download/v0.3.5/mackerel-plugin-sample_linux_arm64.zip",
		"GET /o/check-b/releases/download/v1/check-b_darwin_amd64.zip",
		"GET /o/check-b/releases/download/v1/check-b_linux_arm64.zip",
	})
	if len(res.Changes) != 4 || res.Changes[0].Kind != plugininstall.ChangePlatformAdded {
		t.Errorf("changes = %+v", res.Changes)
	}
	after := rawPlatforms(t, p.lock)
	for key, raw := range before {
		if after[key] != raw {
			t.Errorf("%s changed:\n%s\n→\n%s", key, raw, after[key])
		}
	}
	if len(after) != 6 {
		t.Errorf("lock has %d platform entries, want 6", len(after))
	}
	// Dropping a platform from the manifest never prunes the lock.
	p.writeManifest(t, []string{"linux_amd64"}, `
[[plugin]]
source = "o/check-b"
version = "v1"

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"
`)
	if res, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil || res.Written {
		t.Errorf("lock after dropping a platform: %+v, %v", res, err)
	}
}

// rawPlatforms returns each "source platform" entry of a lock as its exact JSON text.
func rawPlatforms(t *testing.T, lockPath string) map[string]string {
	t.Helper()
	var l struct {
		Plugins []struct {
			Source    string                     `json:"source"`
			Platforms map[string]json.RawMessage `json:"platforms"`
		} `json:"plugins"`
	}
	if err := json.Unmarshal([]byte(readFile(t, lockPath)), &l); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range l.Plugins {
		for pl, raw := range p.Platforms {
			out[p.Source+" "+pl] = string(raw)
		}
	}
	return out
}

func TestLockUpdateAndConstraints(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	p.publish(t, sampleRepo, "v0.3.9", "mackerel-plugin-sample", "linux_amd64")
	p.gh.reset()
	res, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{Update: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].String() != "mackerelio/mackerel-plugin-sample: tag v0.3.5 → v0.3.9" {
		t.Errorf("changes = %v", res.Changes)
	}
	// check-b resolved to the same tag, so its asset was not fetched again.
	if r := p.gh.seen("GET /o/"); r != nil {
		t.Errorf("unchanged entry re-downloaded: %v", r)
	}

	// Constraint styles, non-semver tags and pagination of the release list.
	for i := range 150 {
		p.gh.release("o/many", fmt.Sprintf("v1.%d.0", i), nil)
	}
	p.gh.release("o/many", "v2.0.0", nil)
	for _, tc := range []struct{ version, want string }{
		{"^1.2", "v1.149.0"}, {">= 1.2, < 1.5", "v1.4.0"}, {"~> 1.7.0", "v1.7.0"}, {"*", "v2.0.0"}, {"v1.3.0", "v1.3.0"},
	} {
		p.writeManifest(t, []string{"linux_amd64"}, fmt.Sprintf("[[plugin]]\nsource = \"o/many\"\nversion = %q\n", tc.version))
		p.gh.reset()
		_, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{})
		// o/many has no assets: the lock fails on the download, which names the tag.
		wantErr(t, err, "/o/many/releases/download/"+tc.want+"/many_linux_amd64.zip")
	}
	p.writeManifest(t, []string{"linux_amd64"}, "[[plugin]]\nsource = \"o/many\"\nversion = \"~> 3.0\"\n")
	_, err = in.Lock(ctx, p.manifest, plugininstall.LockOptions{})
	wantErr(t, err, `resolving o/many: no release of o/many matches version "~> 3.0" (151 releases seen)`)
}
