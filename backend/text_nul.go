package backend

import (
	"bytes"
	"net/http"
	"strings"
)

// The API refuses the NUL character (U+0000) in every string it is sent:
// JSON strings and keys of a body, path segments and query parameters.
// PostgreSQL's text cannot hold it (the statement fails, a 500) while
// SQLite stores it, so without this rule one request would get a
// different answer on each engine; refused here, before the store, it is
// the same 400 naming the field on both, and nothing is written.

// nulProblem completes the message about a value holding a NUL.
const nulProblem = "must not contain a NUL character (\\u0000)"

// nulInJSON finds a string or key holding a NUL in the JSON value raw
// (already known to be valid JSON) and returns the problem, naming it by
// its path below root ("checks[0].memo must not contain …"), or "" when
// there is none. Below the top-level keys named in verbatim nothing is
// checked.
//
// Free-form JSON stored as sent (host meta, metadata values) is exempt:
// both engines keep its bytes, the escape \u0000 included, and serve them
// back unchanged, and an agent whose meta happened to hold one must still
// be able to update its host. Such documents are never checked here.
func nulInJSON(raw []byte, root string, verbatim ...string) string {
	// Valid JSON can only carry a NUL as the escape \u0000 (a raw control
	// character is a syntax error), so most bodies are passed at once.
	if !bytes.Contains(raw, []byte(`\u0000`)) {
		return ""
	}
	return findBadString(raw, root, stringRule{
		bad:   func(_ []byte, s string) bool { return strings.IndexByte(s, 0) >= 0 },
		value: nulProblem,
		key:   "has a key that contains a NUL character (\\u0000)",
		skip:  skipSet(verbatim),
	})
}

// refuseNULInRequest is a 400 naming the path wildcard or query parameter
// of r that holds a NUL (sent as %00), or nil.
func refuseNULInRequest(r *http.Request) error {
	if strings.IndexByte(r.URL.Path, 0) < 0 && !strings.Contains(r.URL.RawQuery, "%00") {
		return nil
	}
	for _, name := range patternWildcards(r.Pattern) {
		if strings.IndexByte(r.PathValue(name), 0) >= 0 {
			return badRequest("%s %s.", name, nulProblem)
		}
	}
	if strings.IndexByte(r.URL.Path, 0) >= 0 {
		return badRequest("The request path %s.", nulProblem)
	}
	for key, values := range r.URL.Query() {
		if strings.IndexByte(key, 0) >= 0 {
			return badRequest("A query parameter's name %s.", nulProblem)
		}
		for _, v := range values {
			if strings.IndexByte(v, 0) >= 0 {
				return badRequest("%s %s.", key, nulProblem)
			}
		}
	}
	return nil
}

// patternWildcards returns the names of a ServeMux pattern's wildcards
// ("GET /api/v0/hosts/{hostId}" → hostId; "{rest...}" → rest).
func patternWildcards(pattern string) []string {
	var names []string
	for {
		open := strings.IndexByte(pattern, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(pattern[open:], '}')
		if end < 0 {
			return names
		}
		name := strings.TrimSuffix(pattern[open+1:open+end], "...")
		if name != "$" && name != "" {
			names = append(names, name)
		}
		pattern = pattern[open+end+1:]
	}
}

func skipSet(keys []string) map[string]bool {
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	return set
}
