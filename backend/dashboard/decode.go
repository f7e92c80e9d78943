package dashboard

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// Decode parses a dashboard from its wire JSON (a request body or a stored
// one), as tolerantly as the hosted API: unknown keys and the read-only
// id, createdAt and updatedAt are read but the handler decides what to do
// with them, and null is the same as an absent key — mackerel-client-go
// sends "metric":null, "graph":null and "range":null with widgets that
// have none. A value of the wrong JSON type is an *Error naming the key.
// "widgets" absent or null leaves Widgets nil, which Validate refuses: a
// file of upstream mkr's pull-all ("widgets": null) must not wipe a
// dashboard's widgets.
func Decode(body []byte) (*Dashboard, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errorf("A dashboard must be a JSON object.")
	}
	d := &Dashboard{}
	if err := json.Unmarshal(trimmed, d); err != nil {
		return nil, decodeError(err)
	}
	return d, nil
}

// decodeError names the key whose value has the wrong type.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return errorf("%s must be %s.", te.Field, jsonKind(te.Type.Kind().String()))
	}
	return errorf("A dashboard must be a JSON object.")
}

func jsonKind(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"):
		return "an integer"
	case strings.HasPrefix(goKind, "float"):
		return "a number"
	case goKind == "string":
		return "a string"
	case goKind == "bool":
		return "true or false"
	case goKind == "slice":
		return "an array"
	}
	return "an object"
}
