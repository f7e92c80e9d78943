package promfold

import "fmt"

// watchLimit bounds the names a Watch remembers, so memory stays flat on
// endless input; past it, new names are no longer checked.
const watchLimit = 100_000

// Watch notices Prometheus series that fold into one metric name
// (a="x.y" and a="x_y" both become .a_x_y): their values would overwrite
// each other under one name, silently.
type Watch struct {
	first  map[string]seen // folded name → the first series seen
	warned map[string]bool
}

type seen struct {
	series string
	line   int
}

// NewWatch returns an empty Watch.
func NewWatch() *Watch {
	return &Watch{first: map[string]seen{}, warned: map[string]bool{}}
}

// Check is given each point's folded name, its SeriesID ("" for input
// that is not Prometheus) and its input line; it returns a warning the
// first time a name is reached from a second series, and "" otherwise.
func (w *Watch) Check(name, series string, line int) string {
	if series == "" {
		return ""
	}
	s, ok := w.first[name]
	if !ok {
		if len(w.first) < watchLimit {
			w.first[name] = seen{series, line}
		}
		return ""
	}
	if s.series == series || w.warned[name] {
		return ""
	}
	w.warned[name] = true
	return fmt.Sprintf("line %d: %s and %s (line %d) both become metric %s; their values overwrite each other",
		line, series, s.series, s.line, name)
}
