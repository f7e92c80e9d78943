package backend

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// hostBody is a parsed POST /hosts or PUT /hosts/<id> body. Pointer fields
// are nil when the key was absent; PUT leaves those unchanged.
type hostBody struct {
	Name             *string
	DisplayName      *string
	CustomIdentifier *string
	Memo             *string
	Meta             []byte
	Interfaces       []byte
	Checks           []byte
	Roles            []store.RoleRef
}

const maxCheckMemo = 250

func parseHostBody(r *http.Request) (*hostBody, error) {
	var fields map[string]json.RawMessage
	if err := decodeBodyKeeping(r, &fields, false, "meta"); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, badRequest("Request body must be a JSON object.")
	}
	// meta is stored verbatim, and the other fields would be altered
	// (U+FFFD) when decoded: refuse what is not UTF-8, naming it.
	for _, key := range []string{"name", "displayName", "customIdentifier", "memo", "meta", "interfaces", "checks", "roleFullnames"} {
		if problem := invalidUTF8(fields[key], key); problem != "" {
			return nil, badRequest("%s.", problem)
		}
	}
	hb := &hostBody{}
	var err error
	if hb.Name, err = optString(fields, "name"); err != nil {
		return nil, err
	}
	if hb.DisplayName, err = optString(fields, "displayName"); err != nil {
		return nil, err
	}
	if hb.CustomIdentifier, err = optString(fields, "customIdentifier"); err != nil {
		return nil, err
	}
	if hb.Memo, err = optString(fields, "memo"); err != nil {
		return nil, err
	}
	if raw, ok := present(fields, "meta"); ok {
		if err := checkMeta(raw); err != nil {
			return nil, err
		}
		hb.Meta = raw
	}
	if raw, ok := present(fields, "interfaces"); ok {
		if hb.Interfaces, err = normalizeInterfaces(raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := present(fields, "checks"); ok {
		if hb.Checks, err = parseChecks(raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := present(fields, "roleFullnames"); ok {
		var names []string
		if err := json.Unmarshal(raw, &names); err != nil {
			return nil, badRequest("roleFullnames must be an array of strings.")
		}
		if hb.Roles, err = parseRoleFullnames(names); err != nil {
			return nil, err
		}
	}
	return hb, nil
}

// present returns a key's raw value unless it is absent or null.
func present(fields map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	raw, ok := fields[key]
	if !ok {
		return nil, false
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	return raw, true
}

// optString reads a string key; null counts as "" (which clears on PUT).
func optString(fields map[string]json.RawMessage, key string) (*string, error) {
	raw, ok := fields[key]
	if !ok {
		return nil, nil
	}
	s := ""
	if string(bytes.TrimSpace(raw)) != "null" {
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, badRequest("%s must be a string.", key)
		}
	}
	return &s, nil
}

func parseRoleFullnames(names []string) ([]store.RoleRef, error) {
	out := make([]store.RoleRef, 0, len(names))
	seen := map[store.RoleRef]bool{}
	for _, n := range names {
		svc, role, ok := splitFullname(n)
		if !ok || !client.ValidServiceName(svc) || !client.ValidServiceName(role) {
			return nil, badRequest("Invalid roleFullname %q: expected <service>:<role>, each 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.", n)
		}
		ref := store.RoleRef{Service: svc, Role: role}
		if !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
	return out, nil
}

func splitFullname(s string) (string, string, bool) {
	svc, role, ok := strings.Cut(s, ":")
	return strings.TrimSpace(svc), strings.TrimSpace(role), ok
}

// checkMeta keeps meta verbatim but insists on the types clients decode
// the well-known keys into (mackerel-client-go reads kernel and memory as
// string maps): one host with "memory":{"total":123} would otherwise break
// every client's host listing.
func checkMeta(raw json.RawMessage) error {
	var meta map[string]json.RawMessage
	if err := json.Unmarshal(raw, &meta); err != nil {
		return badRequest("meta must be an object.")
	}
	for key, shape := range map[string]any{
		"kernel":         map[string]string{},
		"memory":         map[string]string{},
		"cpu":            []map[string]any{},
		"block_device":   map[string]map[string]any{},
		"filesystem":     map[string]any{},
		"cloud":          map[string]any{},
		"agent-name":     "",
		"agent-version":  "",
		"agent-revision": "",
	} {
		v, ok := meta[key]
		if !ok || string(bytes.TrimSpace(v)) == "null" {
			continue
		}
		target := reflect.New(reflect.TypeOf(shape)).Interface()
		if err := json.Unmarshal(v, target); err != nil {
			return badRequest("meta.%s has the wrong type: %s", key, jsonProblem(err))
		}
	}
	return nil
}

func parseChecks(raw json.RawMessage) ([]byte, error) {
	var checks []struct {
		Name string `json:"name"`
		Memo string `json:"memo,omitempty"`
	}
	if err := json.Unmarshal(raw, &checks); err != nil {
		return nil, badRequest("checks must be an array of {name, memo} objects.")
	}
	for _, c := range checks {
		if !client.ValidCheckName(c.Name) {
			return nil, badRequest("Invalid check name %q: use A-Z a-z 0-9 _ -.", c.Name)
		}
		if utf8.RuneCountInString(c.Memo) > maxCheckMemo {
			return nil, badRequest("Check memo of %q is longer than %d characters.", c.Name, maxCheckMemo)
		}
	}
	return json.Marshal(checks)
}

// normalizeInterfaces validates interfaces and fills ipAddress/ipv6Address
// from the address arrays (and the arrays from them), so that readers such
// as upstream mkr, which prints ipAddress, see what the agent sent.
func normalizeInterfaces(raw json.RawMessage) ([]byte, error) {
	var ifaces []map[string]any
	if err := json.Unmarshal(raw, &ifaces); err != nil {
		return nil, badRequest("interfaces must be an array of objects.")
	}
	// The documented keys must have their documented types: one number
	// among ipv4Addresses would make every host listing undecodable for
	// mackerel-client-go.
	var typed []struct {
		Name, MacAddress, IPAddress, IPv6Address *string
		IPv4Addresses, IPv6Addresses             []string
	}
	if err := json.Unmarshal(raw, &typed); err != nil {
		return nil, badRequest("interfaces: name, macAddress, ipAddress and ipv6Address must be strings, ipv4Addresses and ipv6Addresses arrays of strings.")
	}
	for _, iface := range ifaces {
		fillAddress(iface, "ipAddress", "ipv4Addresses")
		fillAddress(iface, "ipv6Address", "ipv6Addresses")
	}
	return json.Marshal(ifaces)
}

func fillAddress(iface map[string]any, single, plural string) {
	list, _ := iface[plural].([]any)
	if len(list) > 0 {
		// When both forms are given the arrays win.
		if first, ok := list[0].(string); ok {
			iface[single] = first
		}
		return
	}
	if s, ok := iface[single].(string); ok && s != "" {
		iface[plural] = []any{s}
	}
}
