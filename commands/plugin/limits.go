package plugin

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/plugininstall"
	"github.com/urfave/cli/v2"
)

// pluginLimitFlags are the archive limits of the commands that extract archives
// (install, and lock, which hashes every file it would install).
func pluginLimitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "max-extract-size", Usage: fmt.Sprintf(
			"refuse an archive that extracts to more than `SIZE` in total (bytes, or with KiB, MiB, GiB; default %s)",
			formatSize(plugininstall.DefaultMaxExtractSize))},
		&cli.IntFlag{Name: "max-entries", Usage: fmt.Sprintf(
			"refuse an archive with more than `N` entries (default %d)", plugininstall.DefaultMaxEntries)},
	}
}

// pluginLimitsFrom reads the limit flags into opts; unset flags keep the defaults.
func pluginLimitsFrom(c *cli.Context, opts *pluginOptions) error {
	if c.IsSet("max-extract-size") {
		n, err := parseSize(c.String("max-extract-size"))
		if err != nil {
			return cmdutil.UsageError(c, "--max-extract-size: %v", err)
		}
		opts.MaxExtractSize = n
	}
	if c.IsSet("max-entries") {
		n := c.Int("max-entries")
		if n <= 0 {
			return cmdutil.UsageError(c, "--max-entries must be positive, not %d", n)
		}
		opts.MaxEntries = n
	}
	return nil
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10},
	{"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"b", 1},
}

// parseSize reads a positive byte count: 1073741824, 1GiB, 512MiB, 64k (binary units,
// case-insensitive).
func parseSize(s string) (int64, error) {
	num, mult := strings.ToLower(strings.TrimSpace(s)), int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid size %q: want a positive number of bytes, or one with KiB, MiB or GiB", s)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return n * mult, nil
}

func formatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + strings.ToUpper(u.suffix[:1]) + "iB"
		}
	}
	return strconv.FormatInt(n, 10)
}
