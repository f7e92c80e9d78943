package commands

import (
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// parentsTakingArgs lists commands with subcommands whose own action takes
// positional arguments; every other parent refuses a word that names none
// of its subcommands. Upstream has no such parent (`alerts close <ids>`,
// `retire <ids>` and `status <hostId>` are leaves), so it is empty; it is
// here so that adding one is a decision, not an accident.
var parentsTakingArgs = map[string]bool{}

// rejectUnknownSubcommands makes a parent command refuse a word that is not
// one of its subcommands, with the closest ones suggested: without it
// urfave runs the parent's own action with the word as an argument, so
// `mkr alerts clsoe <id>` listed alerts, closed nothing and exited 0, and
// `mkr serve bogus` started a server.
func rejectUnknownSubcommands(cmd *cli.Command) {
	if !hasRealSubcommands(cmd) || parentsTakingArgs[cmd.Name] {
		return
	}
	action := cmd.Action
	cmd.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return unknownCommand(cmdutil.HelpName(c), cmd.Subcommands, c.Args().First())
		}
		if action == nil {
			// A parent without an action of its own shows its help.
			return cli.ShowSubcommandHelp(c)
		}
		return action(c)
	}
}

// unknownCommand is the error for word given where one of cmds was
// expected; parent is the command path, such as "mkr alerts".
func unknownCommand(parent string, cmds []*cli.Command, word string) error {
	var names []string
	for _, c := range cmds {
		if c.Hidden || c.Name == "help" {
			continue
		}
		names = append(names, c.Name)
	}
	suggestions := cmdutil.Suggest(word, names)
	// A typo of an alias suggests the command's name.
	for _, c := range cmds {
		if c.Hidden || c.Name == "help" || len(suggestions) > 0 {
			continue
		}
		if len(cmdutil.Suggest(word, c.Aliases)) > 0 {
			suggestions = append(suggestions, c.Name)
		}
	}
	return &cmdutil.UnknownCommandError{Word: word, Parent: parent, Suggestions: suggestions}
}

func hasRealSubcommands(cmd *cli.Command) bool {
	for _, sub := range cmd.Subcommands {
		if sub.Name != "help" {
			return true
		}
	}
	return false
}

// usageError is every command's OnUsageError: the parser's reason in one
// line, with the closest flag names when a flag is unknown.
func usageError(c *cli.Context, err error, _ bool) error {
	fe := cmdutil.UsageError(c, "%s", err).(*cmdutil.FlagError)
	const undefined = "flag provided but not defined: "
	msg := err.Error()
	if !strings.HasPrefix(msg, undefined) {
		return fe
	}
	given := strings.TrimLeft(strings.TrimPrefix(msg, undefined), "-")
	flags := c.App.Flags
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		flags = c.Command.Flags
	}
	var names []string
	for _, fl := range flags {
		names = append(names, fl.Names()...)
	}
	var suggestions []string
	for _, name := range cmdutil.Suggest(given, names) {
		if len(name) == 1 {
			suggestions = append(suggestions, "-"+name)
		} else {
			suggestions = append(suggestions, "--"+name)
		}
	}
	return fe.WithSuggestions(suggestions)
}
