package downtime

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Decode parses a downtime from its wire JSON (a request body or a stored
// one). Unknown keys are ignored; null is the same as an absent key. An id
// in a request body is read too: the handler, which owns ids, overwrites
// it. A value of the wrong type is an *Error naming the key.
// Role scopes are put in their canonical form ("service: role") when they
// have one; Decode does not validate otherwise (see Validate).
func Decode(body []byte) (*Downtime, error) {
	var d Downtime
	if err := json.Unmarshal(body, &d); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, typeError(te)
		}
		return nil, &Error{Message: "Invalid JSON: " + err.Error()}
	}
	canonicalRoles(d.RoleScopes)
	canonicalRoles(d.RoleExcludeScopes)
	return &d, nil
}

// Encode returns d's canonical wire JSON: mackerel-client-go's key order,
// optional keys omitted when empty.
func Encode(d *Downtime) ([]byte, error) { return json.Marshal(d) }

func canonicalRoles(scopes []string) {
	for i, s := range scopes {
		if svc, role, ok := ParseRoleScope(s); ok {
			scopes[i] = RoleScope(svc, role)
		}
	}
}

// typeError names the key whose value has the wrong type.
func typeError(te *json.UnmarshalTypeError) *Error {
	field := te.Field
	if field == "" {
		return &Error{Message: "A downtime must be a JSON object."}
	}
	var want string
	switch field {
	case "start", "recurrence.until":
		want = "an integer (epoch seconds)"
	case "duration":
		want = "an integer (minutes)"
	case "recurrence.interval":
		want = "an integer"
	case "recurrence":
		want = "an object"
	case "name", "memo", "recurrence.type":
		want = "a string"
	default: // the scope lists and recurrence.weekdays, or one of their items
		want = "an array of strings"
		field = trimIndex(field)
	}
	return &Error{Field: field, Message: fmt.Sprintf("%s must be %s.", field, want)}
}

// trimIndex turns "roleScopes.0" (an item's path, in some Go versions) into
// "roleScopes".
func trimIndex(field string) string {
	for _, f := range []string{"serviceScopes", "serviceExcludeScopes", "roleScopes", "roleExcludeScopes", "monitorScopes", "monitorExcludeScopes", "recurrence.weekdays"} {
		if len(field) >= len(f) && field[:len(f)] == f {
			return f
		}
	}
	return field
}
