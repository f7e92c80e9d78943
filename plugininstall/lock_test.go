package plugininstall_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

const sampleRepo = "mackerelio/mackerel-plugin-sample"

// lockProject is a manifest directory plus a fake GitHub with two plugins:
// mackerel-plugin-sample (several releases, locked by constraint) and o/check-b (one
// release, locked by exact tag).
type lockProject struct {
	gh       *fakeGitHub
	dir      string
	manifest string
	lock     string
	prefix   string
	assets   map[string][]byte // "repo tag platform" → archive
}

func newLockProject(t *testing.T, platforms ...string) *lockProject {
	t.Helper()
	p := &lockProject{gh: newFakeGitHub(t), dir: t.TempDir(), assets: map[string][]byte{}}
	p.manifest = filepath.Join(p.dir, "mkr-plugins.toml")
	p.lock = filepath.Join(p.dir, "mkr-plugins.lock")
	p.prefix = filepath.Join(p.dir, "plugins")
	for _, tag := range []string{"v0.2.0", "v0.3.1", "v0.3.5", "nightly", "v0.4.0"} {
		p.publish(t, sampleRepo, tag, "mackerel-plugin-sample", "linux_amd64", "linux_arm64", "darwin_arm64", "darwin_amd64")
	}
	p.publish(t, "o/check-b", "v1", "check-b", "linux_amd64", "linux_arm64", "darwin_arm64", "darwin_amd64")
	p.writeManifest(t, platforms, `
[[plugin]]
source = "o/check-b"
version = "v1"

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"
`)
	return p
}

// publish releases a tag whose archive holds one executable file per platform.
func (p *lockProject) publish(t *testing.T, repo, tag, file string, platforms ...string) {
	assets := map[string][]byte{}
	for _, pl := range platforms {
		assets[pl] = makeZip(t, exe("dist/"+file, file+" "+tag+" "+pl), entry{name: "dist/LICENSE", body: "MIT"})
		p.assets[repo+" "+tag+" "+pl] = assets[pl]
	}
	p.gh.release(repo, tag, assets)
}

func (p *lockProject) writeManifest(t *testing.T, platforms []string, plugins string) {
	head := fmt.Sprintf("prefix = \"plugins\"\nplatforms = [%s]\n", quoteAll(platforms))
	writeFile(t, p.manifest, head+plugins, 0o644)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// installer returns an installer for a platform, with no Config.Prefix so that the
// manifest's prefix applies.
func (p *lockProject) installer(t *testing.T, platform string) *plugininstall.Installer {
	cfg := p.gh.config("", &logLines{})
	cfg.GOOS, cfg.GOARCH, _ = strings.Cut(platform, "_")
	return mustNew(t, cfg)
}

// fileSum is the sha256 of the single plugin file in an asset made by publish.
func fileSum(file, tag, platform string) string {
	return sha([]byte(file + " " + tag + " " + platform))
}

func TestLockRoundTripForTwoPlatforms(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64", "darwin_arm64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")

	res, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Written || len(res.Changes) != 2 || res.Changes[0].Kind != plugininstall.ChangeAdded {
		t.Errorf("result = %+v", res)
	}
	asset := func(repo, tag, pl, file string) string {
		a := p.assets[repo+" "+tag+" "+pl]
		owner, name, _ := strings.Cut(repo, "/")
		return fmt.Sprintf(`        %q: {
          "files": {
            %q: {
              "mode": "0755",
              "sha256": %q
            }
          },
          "sha256": %q,
          "size": %d,
          "url": "%s/%s/%s/releases/download/%s/%s_%s.zip"
        }`, pl, file, fileSum(file, tag, pl), sha(a), len(a), p.gh.srv.URL, owner, name, tag, name, pl)
	}
	want := `{
  "plugins": [
    {
      "platforms": {
` + asset(sampleRepo, "v0.3.5", "darwin_arm64", "mackerel-plugin-sample") + ",\n" +
		asset(sampleRepo, "v0.3.5", "linux_amd64", "mackerel-plugin-sample") + `
      },
      "repo": "mackerelio/mackerel-plugin-sample",
      "source": "mackerelio/mackerel-plugin-sample",
      "tag": "v0.3.5",
      "version": "~> 0.3"
    },
    {
      "platforms": {
` + asset("o/check-b", "v1", "darwin_arm64", "check-b") + ",\n" +
		asset("o/check-b", "v1", "linux_amd64", "check-b") + `
      },
      "repo": "o/check-b",
      "source": "o/check-b",
      "tag": "v1",
      "version": "v1"
    }
  ],
  "version": 1
}
`
	if got := readFile(t, p.lock); got != want {
		t.Fatalf("lock:\n%s\nwant:\n%s", got, want)
	}
	// The constraint was resolved through the release list (no releases/latest
	// lookup), the exact tag needed no request at all.
	equalLines(t, p.gh.seen("GET /api/"), []string{"GET /api/repos/mackerelio/mackerel-plugin-sample/releases"})
	if h := p.gh.seen("HEAD "); h != nil {
		t.Errorf("HEAD requests: %v", h)
	}

	// Locking again changes nothing and downloads nothing.
	p.gh.reset()
	res, err = in.Lock(ctx, p.manifest, plugininstall.LockOptions{})
	if err != nil || res.Written || len(res.Changes) != 0 || p.gh.seen("") != nil {
		t.Errorf("second lock: %+v, %v, requests %v", res, err, p.gh.seen(""))
	}
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{Check: true}); err != nil {
		t.Errorf("check of a fresh lock: %v", err)
	}

	// A locked install downloads exactly the locked URLs and nothing else.
	for _, pl := range []string{"linux_amd64", "darwin_arm64"} {
		p.gh.reset()
		mr, err := p.installer(t, pl).InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
		if err != nil {
			t.Fatalf("%s: %v", pl, err)
		}
		if !slices.Equal(mr.Installed, []string{"o/check-b", sampleRepo}) || mr.LockWritten {
			t.Errorf("%s: result %+v", pl, mr)
		}
		for _, r := range p.gh.seen("") {
			if !strings.HasPrefix(r, "GET /o/check-b/releases/download/v1/") && !strings.HasPrefix(r, "GET /mackerelio/mackerel-plugin-sample/releases/download/v0.3.5/") {
				t.Errorf("%s: unexpected request %s", pl, r)
			}
		}
		if got := readFile(t, filepath.Join(p.prefix, "bin", "mackerel-plugin-sample")); got != "mackerel-plugin-sample v0.3.5 "+pl {
			t.Errorf("%s: installed %q", pl, got)
		}
	}
	if got := readFile(t, filepath.Join(p.prefix, "meta", "mackerelio", "mackerel-plugin-sample", "release_tag")); got != "v0.3.5" {
		t.Errorf("release_tag = %q", got)
	}

	// Already installed as locked: nothing is downloaded.
	p.gh.reset()
	mr, err := p.installer(t, "darwin_arm64").InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true})
	if err != nil || len(mr.UpToDate) != 2 || len(mr.Installed) != 0 || p.gh.seen("") != nil {
		t.Errorf("re-run: %+v, %v, requests %v", mr, err, p.gh.seen(""))
	}
}

func TestLockCheckDetectsChangedManifest(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")

	res, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{Check: true})
	if err == nil || err.Error() != "plugin lock is out of date: mkr-plugins.lock does not exist" || !errors.Is(err, plugininstall.ErrLockStale) {
		t.Errorf("check without a lock: %v", err)
	}
	if _, err := os.Stat(p.lock); !os.IsNotExist(err) || res == nil {
		t.Errorf("check wrote a lock, or returned no result: %v", err)
	}
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, p.lock)
	p.writeManifest(t, []string{"linux_amd64", "darwin_arm64"}, `
[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.4"

[[plugin]]
source = "o/check-new"
`)
	p.gh.reset()
	res, err = in.Lock(ctx, p.manifest, plugininstall.LockOptions{Check: true, Platforms: []string{"linux_arm64"}})
	want := `mkr-plugins.lock is out of date:
  - mackerelio/mackerel-plugin-sample: version "~> 0.3" → "~> 0.4"
  - o/check-new: not in the lock yet
  - o/check-b: in the lock but no longer in the manifest`
	if err == nil || err.Error() != want || !errors.Is(err, plugininstall.ErrLockStale) {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if len(res.Changes) != 3 || res.Written {
		t.Errorf("result = %+v", res)
	}
	if readFile(t, p.lock) != before || p.gh.seen("") != nil {
		t.Errorf("check wrote the lock or made requests: %v", p.gh.seen(""))
	}
	// A platform missing from a kept entry is stale too.
	p.writeManifest(t, []string{"linux_amd64", "darwin_arm64"}, `
[[plugin]]
source = "o/check-b"
version = "v1"

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"
`)
	_, err = in.Lock(ctx, p.manifest, plugininstall.LockOptions{Check: true})
	wantErr(t, err, "  - o/check-b: no entry for platform darwin_arm64\n  - mackerelio/mackerel-plugin-sample: no entry for platform darwin_arm64")
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{Check: true, Update: true}); err == nil {
		t.Error("check and update together were accepted")
	}
}
