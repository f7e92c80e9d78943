package plugininstall

import (
	"fmt"
	"slices"
	"strings"
)

// validatePlatform accepts GOOS_GOARCH pairs of known values, so that a typo such as
// "linux_amd46" fails when the manifest is read instead of as a 404 from GitHub.
func validatePlatform(p string) error {
	goos, goarch, ok := strings.Cut(p, "_")
	if !ok || goos == "" || goarch == "" {
		return fmt.Errorf("platform %q is invalid: want GOOS_GOARCH, such as linux_amd64", p)
	}
	if !knownGOOS(goos) {
		return fmt.Errorf("platform %q is invalid: unknown GOOS %q", p, goos)
	}
	if !knownGOARCH(goarch) {
		return fmt.Errorf("platform %q is invalid: unknown GOARCH %q", p, goarch)
	}
	return nil
}

func splitPlatform(p string) (goos, goarch string) {
	goos, goarch, _ = strings.Cut(p, "_")
	return goos, goarch
}

// knownGOOS and knownGOARCH list the values of `go tool dist list`.
func knownGOOS(s string) bool {
	switch s {
	case "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js",
		"linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows":
		return true
	}
	return false
}

func knownGOARCH(s string) bool {
	switch s {
	case "386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le",
		"mipsle", "ppc64", "ppc64le", "riscv64", "s390x", "wasm":
		return true
	}
	return false
}

// unionPlatforms returns the sorted, de-duplicated union of platform lists.
func unionPlatforms(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
