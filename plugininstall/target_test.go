package plugininstall_test

import (
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestParseTarget(t *testing.T) {
	t.Parallel()
	valid := []struct {
		in   string
		want plugininstall.Target
	}{
		{"mackerelio/mackerel-plugin-sample", plugininstall.Target{Kind: plugininstall.KindGitHub, Owner: "mackerelio", Repo: "mackerel-plugin-sample"}},
		{"o/r@v1.2.0", plugininstall.Target{Kind: plugininstall.KindGitHub, Owner: "o", Repo: "r", Tag: "v1.2.0"}},
		{"o/r@v1/x@y", plugininstall.Target{Kind: plugininstall.KindGitHub, Owner: "o", Repo: "r", Tag: "v1/x@y"}},
		{"o/r@@", plugininstall.Target{Kind: plugininstall.KindGitHub, Owner: "o", Repo: "r", Tag: "@"}},
		{"mackerel-plugin-sample", plugininstall.Target{Kind: plugininstall.KindRegistry, Name: "mackerel-plugin-sample"}},
		{"sample@release/2024", plugininstall.Target{Kind: plugininstall.KindRegistry, Name: "sample", Tag: "release/2024"}},
		{"https://example.com/p.zip", plugininstall.Target{Kind: plugininstall.KindURL, URL: "https://example.com/p.zip"}},
		{"http://example.com/p.tgz", plugininstall.Target{Kind: plugininstall.KindURL, URL: "http://example.com/p.tgz"}},
		{"file:///tmp/p@x/a.zip", plugininstall.Target{Kind: plugininstall.KindURL, URL: "file:///tmp/p@x/a.zip"}},
	}
	for _, tc := range valid {
		got, err := plugininstall.ParseTarget(tc.in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", tc.in, err)
			continue
		}
		tc.want.Raw = tc.in
		if got != tc.want {
			t.Errorf("ParseTarget(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for _, in := range []string{"", "a/b/c", "a/", "/x", "@v1", "a/b@", "name@", "../x", "o/..", ".", "ftp://x/y.zip"} {
		_, err := plugininstall.ParseTarget(in)
		if err == nil || err.Error() != "Install target is invalid: "+in {
			t.Errorf("ParseTarget(%q) error = %v, want %q", in, err, "Install target is invalid: "+in)
		}
		if !errors.Is(err, plugininstall.ErrInvalidTarget) {
			t.Errorf("ParseTarget(%q) error does not wrap ErrInvalidTarget", in)
		}
	}
}

func TestTargetKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[plugininstall.TargetKind]string{
		plugininstall.KindGitHub: "github", plugininstall.KindRegistry: "registry", plugininstall.KindURL: "url", 0: "TargetKind(0)",
	} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(k), got, want)
		}
	}
}
