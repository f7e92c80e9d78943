package cmdtest

import (
	"fmt"
	"strings"
	"testing"
)

// Equal fails tb unless got and want print the same (fmt.Sprint), showing
// both quoted: for comparing one value of a run (an exit code, a stream, a
// list of names) or a whole Result.
func Equal(tb testing.TB, what string, got, want any) {
	tb.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		tb.Errorf("%s:\n got: %q\nwant: %q", what, got, want)
	}
}

// Unexpand replaces each id in s with its placeholder (ids maps placeholder
// to id), so that outputs holding random ids can be compared whole: the
// reverse of Expand, for ids not recorded in Names.
func Unexpand(s string, ids map[string]string) string {
	for placeholder, id := range ids {
		s = strings.ReplaceAll(s, id, placeholder)
	}
	return s
}
