package metric

import "fmt"

// foldWatchLimit bounds the names foldWatch remembers, so memory stays flat
// on endless input; past it, new names are no longer checked.
const foldWatchLimit = 100_000

// foldWatch notices Prometheus series that fold into one metric name
// (a="x.y" and a="x_y" both become .a_x_y): their values would overwrite
// each other under one name, silently.
type foldWatch struct {
	first  map[string]foldSeen // folded name → the first series seen
	warned map[string]bool
}

type foldSeen struct {
	series string
	line   int
}

func newFoldWatch() *foldWatch {
	return &foldWatch{first: map[string]foldSeen{}, warned: map[string]bool{}}
}

// check returns a warning the first time a name is reached from a second
// series, and "" otherwise.
func (w *foldWatch) check(m metricLine, line int) string {
	if m.Series == "" {
		return ""
	}
	seen, ok := w.first[m.Name]
	if !ok {
		if len(w.first) < foldWatchLimit {
			w.first[m.Name] = foldSeen{m.Series, line}
		}
		return ""
	}
	if seen.series == m.Series || w.warned[m.Name] {
		return ""
	}
	w.warned[m.Name] = true
	return fmt.Sprintf("line %d: %s and %s (line %d) both become metric %s; their values overwrite each other",
		line, m.Series, seen.series, seen.line, m.Name)
}
