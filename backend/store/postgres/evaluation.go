package postgres

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// RecentPoints reads the newest n points since `since` of each matching
// series in one statement: the series are picked by exact name or by a
// glob (translated to an anchored regular expression), and a lateral
// subquery reads each one's newest points through the (series_id, time)
// key.
func (s *Store) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	out := map[string]map[string][]store.Point{}
	if len(names) == 0 || n <= 0 || (owners != nil && len(owners) == 0) {
		return out, nil
	}
	exact, patterns := []string{}, []string{}
	for _, name := range names {
		if strings.ContainsAny(name, "*?[") {
			patterns = append(patterns, globRegexp(name))
		} else {
			exact = append(exact, name)
		}
	}
	q := `SELECT s.owner, s.name, p.time, p.value FROM series s
		CROSS JOIN LATERAL (SELECT time, value FROM points WHERE series_id = s.id AND time >= $4
			ORDER BY time DESC LIMIT $5) p
		WHERE s.kind = $1 AND (s.name = ANY($2) OR s.name ~ ANY($3))`
	args := []any{kind, exact, patterns, since, n}
	if owners != nil {
		q += ` AND s.owner = ANY($6)`
		args = append(args, owners)
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY s.owner, s.name, p.time`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var owner, name string
		var p store.Point
		if err := rows.Scan(&owner, &name, &p.Time, &p.Value); err != nil {
			return nil, err
		}
		if out[owner] == nil {
			out[owner] = map[string][]store.Point{}
		}
		out[owner][name] = append(out[owner][name], p)
	}
	return out, rows.Err()
}

// globRegexp turns a GLOB pattern as SQLite reads it (* any run, ? one
// character, [...] a class, [^...] its complement; case-sensitive, the
// whole name) into an anchored PostgreSQL regular expression.
func globRegexp(glob string) string {
	var b strings.Builder
	b.WriteByte('^')
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteByte('.')
		case '[':
			end := classEnd(glob, i)
			if end < 0 { // no closing bracket: SQLite matches nothing
				return "^$.^"
			}
			b.WriteByte('[')
			for _, cc := range []byte(glob[i+1 : end]) {
				if cc == '\\' {
					b.WriteByte('\\') // a backslash escapes even inside a class here
				}
				b.WriteByte(cc)
			}
			b.WriteByte(']')
			i = end
		default:
			if strings.IndexByte(`\.+()|{}$^`, c) >= 0 {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
	}
	b.WriteByte('$')
	return b.String()
}

// classEnd returns the index of the ] closing the class that opens at
// start; a ] first in the class (after an optional ^) is a member.
func classEnd(glob string, start int) int {
	i := start + 1
	if i < len(glob) && glob[i] == '^' {
		i++
	}
	if i < len(glob) && glob[i] == ']' {
		i++
	}
	for ; i < len(glob); i++ {
		if glob[i] == ']' {
			return i
		}
	}
	return -1
}
