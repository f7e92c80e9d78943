package commands_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/commands"
	"github.com/urfave/cli/v2"
)

// Every command's help shows at least one real example (the mechanism is
// described in help.go): a line running this very command, whose flags the
// command has. A command added without one fails here; add an "Examples:"
// paragraph at the end of its Description.
func TestEveryCommandHasAnExample(t *testing.T) {
	app := testApp(t)
	n := 0
	visitCommands(app.Commands, "", func(path string, c *cli.Command) {
		if c.Hidden || isHiddenPath(app, path) {
			return
		}
		n++
		examples := commands.ExamplesOf(c.Description)
		own := 0
		for _, ex := range examples {
			words := shellWords(ex)
			// Input may be piped into mkr, or its output read by the
			// shell (source <(mkr …)): its command starts at "mkr".
			for len(words) > 0 && strings.TrimLeft(words[0], "<$(") != "mkr" {
				words = words[1:]
			}
			if len(words) == 0 {
				t.Errorf("%s: example %q does not run mkr", path, ex)
				continue
			}
			target, rest := resolve(app.Commands, words[1:])
			if target == nil {
				t.Errorf("%s: example %q names no command", path, ex)
				continue
			}
			// A parent's example may run one of its subcommands.
			if named := strings.Join(words[1:len(words)-len(rest)], " "); named == path || strings.HasPrefix(named, path+" ") {
				own++
			}
			if bad := unknownFlags(target, rest); len(bad) > 0 {
				t.Errorf("%s: example %q uses flags %s has not: %s", path, ex, target.Name, strings.Join(bad, ", "))
			}
		}
		if own == 0 {
			t.Errorf("%s: no example in its help (end its Description with an \"Examples:\" paragraph with a line \"mkr %s …\"; see commands/help.go)", path, path)
		}
	})
	if n < 40 {
		t.Errorf("visited %d commands; the walk is broken", n)
	}
}

func isHiddenPath(app *cli.App, path string) bool {
	cmds := app.Commands
	for _, w := range strings.Fields(path) {
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(w) {
				next = c
			}
		}
		if next == nil || next.Hidden {
			return true
		}
		cmds = next.Subcommands
	}
	return false
}

// resolve follows the command words of args, skipping flags before them,
// and returns the command and the arguments after its name.
func resolve(cmds []*cli.Command, args []string) (*cli.Command, []string) {
	var cmd *cli.Command
	for len(args) > 0 {
		var next *cli.Command
		for _, c := range cmds {
			if c.Name != "help" && c.HasName(args[0]) {
				next = c
			}
		}
		if next == nil {
			break
		}
		cmd, cmds, args = next, next.Subcommands, args[1:]
	}
	return cmd, args
}

// unknownFlags lists the flags of args that cmd does not define, up to
// "--" or the end of the mkr command (a pipe or a redirection).
func unknownFlags(cmd *cli.Command, args []string) []string {
	var bad []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "|" || a == ">" || a == "<" || a == "&&" || a == ";" {
			break
		}
		if len(a) < 2 || a[0] != '-' || isNumber(a) {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		fl := findFlag(cmd, name)
		if fl == nil {
			bad = append(bad, a)
			continue
		}
		if !hasValue && !isBool(fl) {
			i++ // its value, even one that starts with "-" (--from -1h)
		}
	}
	return bad
}

func findFlag(cmd *cli.Command, name string) cli.Flag {
	for _, fl := range cmd.Flags {
		for _, n := range fl.Names() {
			if n == name {
				return fl
			}
		}
	}
	if name == "help" || name == "h" {
		return &cli.BoolFlag{Name: "help"}
	}
	return nil
}

func isBool(fl cli.Flag) bool {
	switch v := fl.(type) {
	case *cli.BoolFlag:
		return true
	case *cli.GenericFlag:
		b, ok := v.Value.(interface{ IsBoolFlag() bool })
		return ok && b.IsBoolFlag()
	}
	return false
}

func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && strings.Trim(s, "0123456789.") == ""
}

// shellWords splits a command line as a POSIX shell would for the simple
// quoting examples use: '…', "…" (with \" inside) and backslashes.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == '\'':
			inWord = true
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				cur.WriteString(line[i+1:])
				i = len(line)
				continue
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case ch == '"':
			inWord = true
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) {
					i++
				}
				cur.WriteByte(line[i])
			}
		case ch == '\\' && i+1 < len(line):
			inWord = true
			i++
			cur.WriteByte(line[i])
		case ch == ' ' || ch == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			inWord = true
			cur.WriteByte(ch)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
