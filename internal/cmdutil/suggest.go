package cmdutil

import (
	"slices"
	"strings"

	"github.com/xrash/smetrics"
)

// Jaro-Winkler parameters: urfave/cli's own suggestion routine uses the
// same boost threshold and prefix length with the same library.
const (
	jwBoostThreshold = 0.7
	jwPrefixSize     = 4
	// suggestMinScore keeps "did you mean" for plain typos: "hsots" scores
	// 0.94 against "hosts", while an unrelated word such as "bogus" still
	// scores 0.78 against "logs".
	suggestMinScore = 0.85
	maxSuggestions  = 3
)

// Suggest returns the candidates closest to word, best first: those whose
// Jaro-Winkler similarity reaches suggestMinScore, and those word is a
// prefix of. It returns nil when nothing is close.
func Suggest(word string, candidates []string) []string {
	if word == "" {
		return nil
	}
	type scored struct {
		name  string
		score float64
	}
	var found []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		s := smetrics.JaroWinkler(strings.ToLower(word), strings.ToLower(c), jwBoostThreshold, jwPrefixSize)
		if s >= suggestMinScore || strings.HasPrefix(c, word) {
			found = append(found, scored{c, s})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	var out []string
	for _, f := range found {
		if len(out) == maxSuggestions {
			break
		}
		out = append(out, f.name)
	}
	return out
}
