package commands

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// normalizeArgs lets flags follow positional arguments (`mkr retire H1
// --force`), as upstream's urfave/cli v3 allows: for the command the
// arguments select, flag tokens found after a positional argument are moved
// in front of it. Everything after "--" is left alone, and so are commands
// that take a command line of their own (SkipFlagParsing).
func normalizeArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	// urfave only completes when its completion flag is the last argument
	// (the scripts send `mkr hosts - --generate-bash-completion`), and a
	// "--" anywhere (such as the word being completed) would make it run
	// the command instead: drop it, completion never runs an action.
	if n, last := len(args), "--"+cli.BashCompletionFlag.Names()[0]; args[n-1] == last {
		head := slices.DeleteFunc(slices.Clone(args[:n-1]), func(s string) bool { return s == "--" })
		return append(normalizeArgs(app, head), last)
	}
	out := []string{args[0]}
	rest := args[1:]
	flags := app.Flags
	commands := app.Commands
	var cmd *cli.Command
	// Walk down the command path, copying leading flags as they are.
	for len(rest) > 0 {
		tok := rest[0]
		if tok == "--" {
			return append(out, rest...)
		}
		if isFlagToken(tok) {
			n := flagTokens(flags, rest)
			out = append(out, rest[:n]...)
			rest = rest[n:]
			continue
		}
		next := findCommand(commands, tok)
		if next == nil {
			break
		}
		cmd = next
		out = append(out, tok)
		rest = rest[1:]
		flags, commands = cmd.Flags, cmd.Subcommands
		if cmd.SkipFlagParsing || takesCommandLine(cmd.Name) {
			return append(out, rest...)
		}
	}
	if cmd == nil || len(cmd.Subcommands) > 0 && len(rest) > 0 && findCommand(cmd.Subcommands, rest[0]) != nil {
		return append(out, rest...)
	}
	var moved, positional []string
	for len(rest) > 0 {
		tok := rest[0]
		if tok == "--" {
			// The flag parser drops "--" only where a flag could be, so it
			// goes before the positional arguments seen so far.
			out = append(append(out, moved...), "--")
			out = append(out, positional...)
			return append(out, rest[1:]...)
		}
		if isFlagToken(tok) {
			n := flagTokens(flags, rest)
			moved = append(moved, rest[:n]...)
			rest = rest[n:]
			continue
		}
		positional = append(positional, tok)
		rest = rest[1:]
	}
	out = append(out, moved...)
	return append(out, positional...)
}

// takesCommandLine reports commands whose arguments are a command line of
// their own: everything after the first argument belongs to it, so
// `mkr wrap echo -n hi` runs `echo -n hi` (upstream took -n as --name).
func takesCommandLine(name string) bool { return name == "wrap" }

func isFlagToken(tok string) bool {
	return len(tok) > 1 && tok[0] == '-' && tok != "--"
}

// flagTokens returns how many tokens the flag at rest[0] consumes.
func flagTokens(flags []cli.Flag, rest []string) int {
	name := strings.TrimLeft(rest[0], "-")
	if strings.Contains(name, "=") {
		return 1
	}
	for _, fl := range flags {
		for _, n := range fl.Names() {
			if n != name {
				continue
			}
			if isBoolish(fl) {
				return 1
			}
			if len(rest) > 1 {
				return 2
			}
			return 1
		}
	}
	return 1 // unknown flag: let the parser report it
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// isBoolish reports whether a flag takes no separate value.
func isBoolish(fl cli.Flag) bool {
	switch v := fl.(type) {
	case *cli.BoolFlag:
		return true
	case *cli.GenericFlag:
		b, ok := v.Value.(interface{ IsBoolFlag() bool })
		return ok && b.IsBoolFlag()
	}
	return false
}
