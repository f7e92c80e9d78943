package sqlstore

import (
	"strconv"
	"strings"
	"sync"
)

// rebound caches Rebind's answers: statements are a fixed set of
// constant strings (plus a few built from column lists), so the cache
// stays small and each statement is rewritten once per process.
var rebound sync.Map // string → string

// Rebind turns ? placeholders into PostgreSQL's $1, $2, … . A ? inside a
// quoted string, a quoted identifier or a comment is left alone.
func Rebind(query string) string {
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	out := rebind(query)
	rebound.Store(query, out)
	return out
}

func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// Copy through the closing quote; a doubled quote inside is
			// an escaped one and simply reopens the scan.
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+1])
			i += j
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
