package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
)

// success is the body of endpoints without a natural result.
var success = map[string]bool{"success": true}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"message":"Internal server error."}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// readBody reads the (size-capped) request body.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// mkr serve's --body-timeout.
			return nil, errorf(http.StatusRequestTimeout, "Timed out reading the request body.")
		}
		return nil, badRequest("Failed to read the request body.")
	}
	return body, nil
}

// decodeBody parses a JSON body into v, rejecting trailing garbage and
// NUL characters in any string (text_nul.go). An empty or null body leaves
// v untouched when allowEmpty is set.
func decodeBody(r *http.Request, v any, allowEmpty bool) error {
	return decodeBodyKeeping(r, v, allowEmpty)
}

// decodeBodyKeeping is decodeBody for a body whose top-level keys named in
// verbatim hold free-form JSON stored as sent (host meta), where a NUL
// escape is kept like any other byte.
func decodeBodyKeeping(r *http.Request, v any, allowEmpty bool, verbatim ...string) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		if allowEmpty {
			return nil
		}
		return badRequest("Request body is required.")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(v); err != nil {
		return badRequest("Invalid JSON: %s", jsonProblem(err))
	}
	// dec.More is not enough here: it reports false for a stray '}' or
	// ']', so `{"a":1}}` would pass. trimmed ends in the value's last byte.
	if dec.InputOffset() != int64(len(trimmed)) {
		return badRequest("Invalid JSON: unexpected data after the top-level value")
	}
	if problem := nulInJSON(trimmed, "", verbatim...); problem != "" {
		return badRequest("%s.", problem)
	}
	return nil
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return fmt.Sprintf("expected %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	}
	return err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	case "bool":
		return "a boolean"
	default:
		return "a number"
	}
}

// writePage answers one page of a nextId-paged list: {"<key>": items} with
// "nextId" only when there is a next page (clients stop when it is absent).
func writePage(w http.ResponseWriter, key string, items any, next string) {
	resp := map[string]any{key: items}
	if next != "" {
		resp["nextId"] = next
	}
	writeJSON(w, http.StatusOK, resp)
}
