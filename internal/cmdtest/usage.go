package cmdtest

import "strings"

// UsageError is the stderr of a usage mistake in `mkr <path...>`: the
// reason as an error line, then where the full usage is.
func UsageError(tty bool, msg string, path ...string) string {
	return LogLine(tty, "error", msg) + "Run '" + strings.Join(append([]string{"mkr"}, path...), " ") + " --help' for usage.\n"
}

// UnknownCommand is the stderr of `mkr <parent...> word` when word names no
// command, offering suggestions (none: no "did you mean" block).
func UnknownCommand(tty bool, word string, parent []string, suggestions ...string) string {
	p := strings.Join(append([]string{"mkr"}, parent...), " ")
	s := LogLine(tty, "error", `unknown command "`+word+`" for "`+p+`"`)
	if len(suggestions) > 0 {
		s += "\nDid you mean this?\n"
		for _, sg := range suggestions {
			s += "\t" + sg + "\n"
		}
		s += "\n"
	}
	return s + "Run '" + p + " --help' for usage.\n"
}
