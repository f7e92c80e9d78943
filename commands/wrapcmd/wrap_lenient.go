package wrapcmd

import (
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// A mistake in wrap's own flags must not cost the job its run: a cron
// line with a typo would otherwise run nothing, and say so only in a mail
// nobody reads. Unless --strict is given, wrap reports each bad flag on
// stderr, leaves it out, and runs the command with the flags that parsed.

// wrapUsageError is wrap's OnUsageError: with --strict, the usual usage
// error (nothing runs); otherwise the flags are parsed again, leniently,
// and the command runs.
func wrapUsageError(f *cmdutil.Factory, lock *lockFlagValue) cli.OnUsageErrorFunc {
	return func(c *cli.Context, err error, sub bool) error {
		refuse := func() error {
			if c.App.OnUsageError != nil {
				return c.App.OnUsageError(c, err, sub)
			}
			return cmdutil.UsageError(c, "%s", err)
		}
		lineage := c.Lineage()
		if len(lineage) < 2 || c.Command == nil {
			return refuse()
		}
		raw := lineage[1].Args().Tail() // the parent's arguments: "wrap" and its own
		set, problems := parseWrapFlagsLeniently(c.Command.Flags, raw)
		if set == nil {
			return refuse()
		}
		lc := cli.NewContext(c.App, set, lineage[1])
		lc.Command = c.Command
		if lc.Bool("strict") || lc.Bool("help") || lc.Bool("flush") {
			return refuse()
		}
		return wrapAction(lc, f, lock, problems)
	}
}

// parseWrapFlagsLeniently parses wrap's flags from raw, skipping each flag
// the parser refuses. It returns
// nil when the flags cannot be defined at all.
func parseWrapFlagsLeniently(flags []cli.Flag, raw []string) (*flag.FlagSet, []string) {
	set := flag.NewFlagSet("wrap", flag.ContinueOnError)
	set.SetOutput(io.Discard)
	for _, fl := range flags {
		if err := fl.Apply(set); err != nil {
			return nil, nil
		}
	}
	var problems []string
	rest := raw
	for {
		err := set.Parse(rest)
		if err == nil {
			break
		}
		problems = append(problems, err.Error())
		rest = set.Args()
		// An unknown flag may have taken a value. When a "--" follows, the
		// command starts there, so a word before it is that value.
		if strings.HasPrefix(err.Error(), "flag provided but not defined") &&
			len(rest) > 1 && !strings.HasPrefix(rest[0], "-") && slices.Contains(rest[1:], "--") {
			problems = append(problems, "ignored "+rest[0]+", taken as the unknown flag's value")
			rest = rest[1:]
		}
	}
	copyAliases(flags, set)
	return set, problems
}

// copyAliases gives every name of a flag the value set under one of them
// (-n to --name), as urfave does after its own parse: each name is a
// separate flag.Flag.
func copyAliases(flags []cli.Flag, set *flag.FlagSet) {
	visited := map[string]bool{}
	set.Visit(func(fl *flag.Flag) { visited[fl.Name] = true })
	for _, fl := range flags {
		names := fl.Names()
		for _, given := range names {
			if !visited[given] {
				continue
			}
			value := set.Lookup(given).Value.String()
			for _, other := range names {
				if other != given {
					_ = set.Set(other, value)
				}
			}
			break
		}
	}
}
