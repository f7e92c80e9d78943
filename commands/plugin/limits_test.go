package plugin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestPluginInstallLimits: the archive limit flags reach the installer, and an archive
// over them installs nothing.
func TestPluginInstallLimits(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	gh := newFakeGitHub(t, "v1.0.0")
	o := cmdtest.RunOpts{Env: gh.env()}
	cases := []struct {
		name  string
		flags []string
		want  string // in stderr; "" means success
	}{
		{name: "over the total size", flags: []string{"--max-extract-size", "10"},
			want: "size limit exceeded: archive mackerel-plugin-x_"},
		{name: "over the entry count", flags: []string{"--max-entries", "1"},
			want: "entry limit exceeded: archive mackerel-plugin-x_"},
		{name: "bad size", flags: []string{"--max-extract-size", "1XB"},
			want: `--max-extract-size: invalid size "1XB"`},
		{name: "bad count", flags: []string{"--max-entries", "0"},
			want: "--max-entries must be positive, not 0"},
		{name: "within the limits", flags: []string{"--max-extract-size", "1KiB", "--max-entries", "2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prefix := filepath.Join(e.Dir, strings.ReplaceAll(tc.name, " ", "-"))
			args := append([]string{"plugin", "install", "--prefix", prefix}, tc.flags...)
			r := e.RunWith(o, append(args, "o/mackerel-plugin-x")...)
			_, statErr := os.Stat(filepath.Join(prefix, "bin", "mackerel-plugin-x"))
			if tc.want == "" {
				if r.Code != 0 || statErr != nil {
					t.Fatalf("install: %v: %s", statErr, r)
				}
				return
			}
			if r.Code != 1 || !strings.Contains(r.Stderr, tc.want) {
				t.Fatalf("want exit 1 and %q: %s", tc.want, r)
			}
			if statErr == nil {
				t.Fatal("the plugin was installed")
			}
			if _, err := os.Stat(filepath.Join(prefix, "meta", "o")); err == nil {
				t.Fatal("meta was written")
			}
		})
	}
}
