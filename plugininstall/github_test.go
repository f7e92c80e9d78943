package plugininstall_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

// TestLatestTagFromLocation drives the releases/latest redirect with the Location
// shapes GitHub sends (and some it must not be trusted with). A bad shape falls back to
// the API, which knows no release here, so the error shows why the redirect failed.
func TestLatestTagFromLocation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		location string // "{}" stands for the fake's base URL
		tag      string // "" means the shape is refused
	}{
		{"{}/o/r/releases/tag/v0.5.1", "v0.5.1"},
		{"/o/r/releases/tag/v0.5.1", "v0.5.1"}, // relative
		{"{}/o/r/releases/tag/release%2Fv0.5.1", "release/v0.5.1"},
		{"{}/o/r/releases/tag/v1%40x", "v1@x"},
		{"{}/O/R/releases/tag/v2", "v2"}, // GitHub canonicalises case
		{"{}/o/r/releases/tag/v1/", ""},
		{"{}/o/r/releases/tag/", ""},
		{"{}/o/r/releases", ""},
		{"{}/o/r/releases/tag/a/b", ""},
		{"{}/x/y/releases/tag/v1", ""},
		{"http://evil.example/o/r/releases/tag/v1", ""},
	}
	for _, tc := range cases {
		gh := newFakeGitHub(t)
		loc := strings.ReplaceAll(tc.location, "{}", gh.srv.URL)
		gh.locations["o/r"] = loc
		if tc.tag != "" {
			gh.assets[gh.assetPath("o/r", tc.tag, "linux_amd64")] = makeZip(t, exe("check-r", "r"))
		}
		prefix := t.TempDir()
		err := mustNew(t, gh.config(prefix, &logLines{})).Install(context.Background(), []string{"o/r"}, plugininstall.InstallOptions{})
		if tc.tag == "" {
			wantErr(t, err, "finding the latest release of o/r: http response not OK. code: 404, url: "+
				gh.srv.URL+"/api/repos/o/r/releases/latest (releases/latest redirect: unexpected Location header: ")
			continue
		}
		if err != nil {
			t.Errorf("Location %s: %v", loc, err)
			continue
		}
		if got := readFile(t, filepath.Join(prefix, "meta", "o", "r", "release_tag")); got != tc.tag {
			t.Errorf("Location %s: release_tag %q, want %q", loc, got, tc.tag)
		}
		if api := gh.seen("GET /api/"); api != nil {
			t.Errorf("Location %s: API called: %v", loc, api)
		}
	}
}

func TestLatestTagUnparsableLocation(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.locations["o/r"] = gh.srv.URL + "/o/r/releases/tag/v1%zz"
	err := mustNew(t, gh.config(t.TempDir(), &logLines{})).Install(context.Background(), []string{"o/r"}, plugininstall.InstallOptions{})
	wantErr(t, err, `failed to parse Location header "`+gh.srv.URL+`/o/r/releases/tag/v1%zz"`)
}

func TestLatestTagFollowsRepositoryTransfers(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	// old0 → old1 → … → old4 → new: five hops are followed.
	for i := range 4 {
		gh.transfers["o/old"+string(rune('0'+i))] = "o/old" + string(rune('0'+i+1))
	}
	gh.transfers["o/old4"] = "o/new"
	gh.latest["o/new"] = "v3"
	gh.assets[gh.assetPath("o/old0", "v3", "linux_amd64")] = makeZip(t, exe("check-x", "x"))
	prefix := t.TempDir()
	in := mustNew(t, gh.config(prefix, &logLines{}))
	if err := in.Install(context.Background(), []string{"o/old0"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(gh.seen("HEAD ")) != 6 || gh.seen("GET /api/") != nil {
		t.Errorf("requests: %v", gh.seen(""))
	}
	// Meta and the download keep the name the user typed, as upstream does.
	if got := readFile(t, filepath.Join(prefix, "meta", "o", "old0", "release_tag")); got != "v3" {
		t.Errorf("release_tag = %q", got)
	}

	// One hop more is too many; the API fallback is tried and its error reported.
	gh.transfers["o/older"] = "o/old0"
	err := in.Install(context.Background(), []string{"o/older"}, plugininstall.InstallOptions{})
	wantErr(t, err, "(releases/latest redirect: too many redirects)")
}

func TestLatestTagAPIFallbackSendsTokenOnlyToAPI(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.apiLatest["o/r"] = "v9" // no releases/latest redirect for o/r
	gh.assets[gh.assetPath("o/r", "v9", "linux_amd64")] = makeZip(t, exe("check-r", "r"))
	gh.release("o/s", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-s", "s"))})
	var calls atomic.Int32
	cfg := gh.config(t.TempDir(), &logLines{})
	cfg.Token = func(context.Context) string { calls.Add(1); return "s3cret" }
	in := mustNew(t, cfg)

	// The redirect works for o/s, so the token is never even looked up.
	if err := in.Install(context.Background(), []string{"o/s"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 0 {
		t.Errorf("token looked up %d times without an API call", calls.Load())
	}
	if err := in.Install(context.Background(), []string{"o/r"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gh.auth, []string{"/api/repos/o/r/releases/latest Bearer s3cret"}) {
		t.Errorf("Authorization sent with: %v", gh.auth)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"MKR_GITHUB_URL":          "http://gh.test/",
		"MKR_GITHUB_API_URL":      "http://api.gh.test",
		"MKR_PLUGIN_REGISTRY_URL": "http://reg.test/base",
		"GITHUB_TOKEN":            "from-env",
	}
	cfg := plugininstall.ConfigFromEnv(func(k string) string { return env[k] })
	if cfg.GitHubURL != "http://gh.test/" || cfg.GitHubAPIURL != "http://api.gh.test" || cfg.RegistryURL != "http://reg.test/base" {
		t.Errorf("cfg = %+v", cfg)
	}
	if got := cfg.Token(context.Background()); got != "from-env" {
		t.Errorf("token = %q", got)
	}
	for _, bad := range []plugininstall.Config{{GitHubURL: "ftp://x"}, {GitHubAPIURL: "http://"}, {RegistryURL: "::"}, {GOOS: "lunix"}} {
		bad.Prefix = "/p"
		if _, err := plugininstall.New(bad); err == nil {
			t.Errorf("New(%+v) accepted a bad config", bad)
		}
	}
	_, err := plugininstall.New(plugininstall.Config{Prefix: "/p", GOOS: "linux", GOARCH: "amd46"})
	wantErr(t, err, `platform "linux_amd46" is invalid: unknown GOARCH "amd46"`)
}

// TestDefaultTokenSourceReadsGitConfig runs the real git against a private global
// config; it cannot run in parallel because it sets environment variables.
func TestDefaultTokenSourceReadsGitConfig(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitconfig := filepath.Join(dir, "gitconfig")
	t.Setenv("GIT_CONFIG_GLOBAL", gitconfig)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Chdir(dir) // outside any repository, so no local config applies
	none := func(string) string { return "" }
	if got := plugininstall.DefaultTokenSource(none)(context.Background()); got != "" {
		t.Errorf("token without config = %q", got)
	}
	if err := os.WriteFile(gitconfig, []byte("[github]\n\ttoken = from-git\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := plugininstall.DefaultTokenSource(none)(context.Background()); got != "from-git" {
		t.Errorf("token = %q, want from-git", got)
	}
}
