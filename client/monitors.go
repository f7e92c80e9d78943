package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// Monitor is one monitor definition of any type (GET /api/v0/monitors).
//
// It keeps the JSON object itself rather than a struct per type, so that
// nothing is lost on the way through mkr: a field this client does not know
// (one the API added later) and a whole monitor type it does not know are
// read, printed, diffed and pushed back untouched. Upstream mkr dropped both.
//
// Marshalling follows mackerel-client-go v0.46.0 for the seven known types
// (monitors_schema.go): field order, omitempty, null warning/critical, and
// numbers normalised as Go prints them, so `monitors pull` writes the bytes
// upstream writes. Unknown fields follow in the order they were read.
type Monitor struct {
	fields []monitorField
}

type monitorField struct {
	name  string
	value json.RawMessage // compact; normalised for the known fields of known types
}

// Type is the monitor's type ("host", "external", … or a type this client
// does not know).
func (m *Monitor) Type() string { return m.String("type") }

// ID is the monitor's id ("" for a rule not created yet).
func (m *Monitor) ID() string { return m.String("id") }

// Name is the monitor's name.
func (m *Monitor) Name() string { return m.String("name") }

// Has reports whether the field key is present (even as null).
func (m *Monitor) Has(key string) bool {
	_, ok := m.raw(key)
	return ok
}

func (m *Monitor) raw(key string) (json.RawMessage, bool) {
	for _, f := range m.fields {
		if f.name == key {
			return f.value, true
		}
	}
	return nil, false
}

// String returns the string field key, or "" when it is absent or not a
// string.
func (m *Monitor) String(key string) string {
	var s string
	if v, ok := m.raw(key); ok {
		_ = json.Unmarshal(v, &s)
	}
	return s
}

// Float returns the number field key, or nil when it is absent, null or
// not a number.
func (m *Monitor) Float(key string) *float64 {
	v, ok := m.raw(key)
	if !ok {
		return nil
	}
	var f *float64
	if json.Unmarshal(v, &f) != nil {
		return nil
	}
	return f
}

// Strings returns the string-array field key (nil when absent or not one).
func (m *Monitor) Strings(key string) []string {
	var ss []string
	if v, ok := m.raw(key); ok {
		_ = json.Unmarshal(v, &ss)
	}
	return ss
}

// Without returns a copy of m without the field key.
func (m *Monitor) Without(key string) *Monitor {
	out := &Monitor{fields: make([]monitorField, 0, len(m.fields))}
	for _, f := range m.fields {
		if f.name != key {
			out.fields = append(out.fields, f)
		}
	}
	return out
}

// UnmarshalJSON reads a monitor object, keeping every field in order. The
// known fields of a known type must have the Go type mackerel-client-go
// gives them (a negative duration is an error, as it is upstream).
func (m *Monitor) UnmarshalJSON(data []byte) error {
	fields, err := decodeObject(data)
	if err != nil {
		return err
	}
	out := Monitor{fields: fields}
	if v, ok := out.raw("type"); ok && !bytes.Equal(v, []byte("null")) {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("monitor field \"type\": must be a string, not %s", v)
		}
	}
	if schema, ok := monitorSchemas[out.Type()]; ok {
		for i, f := range out.fields {
			kind, known := schemaKind(schema, f.name)
			if !known {
				continue
			}
			norm, err := normalizeField(kind, f.value)
			if err != nil {
				return fmt.Errorf("monitor field %q: %w", f.name, err)
			}
			out.fields[i].value = norm
		}
	}
	*m = out
	return nil
}

// MarshalJSON writes the monitor as mackerel-client-go would for a known
// type (then the fields it does not know), or verbatim for another type.
func (m Monitor) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	write := func(name string, value []byte) {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		key, _ := json.Marshal(name)
		b.Write(key)
		b.WriteByte(':')
		b.Write(value)
	}
	schema, known := monitorSchemas[m.Type()]
	if known {
		for _, sf := range schema {
			v, ok := m.raw(sf.name)
			if !ok {
				v = []byte("null")
			}
			if dropped(sf.kind, v) {
				continue
			}
			write(sf.name, v)
		}
	}
	for _, f := range m.fields {
		if known {
			if _, listed := schemaKind(schema, f.name); listed {
				continue
			}
		}
		write(f.name, f.value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func schemaKind(schema []schemaField, name string) (fieldKind, bool) {
	for _, sf := range schema {
		if sf.name == name {
			return sf.kind, true
		}
	}
	return 0, false
}

// dropped reports whether mackerel-client-go leaves a field out: omitempty
// of a zero value, or a nil pointer. Fields without omitempty print null.
func dropped(kind fieldKind, v json.RawMessage) bool {
	switch kind {
	case kindFloatNull, kindStringsNull, kindHeaders:
		return false
	}
	switch string(v) {
	case "null", `""`, "false", "[]":
		return true
	case "0":
		return kind == kindUint
	}
	return false
}

// normalizeField decodes v as the Go type of kind and encodes it again, so
// that 90.0 prints as 90 and "\u00e9" as "é", as upstream's round trip
// through the client struct does.
func normalizeField(kind fieldKind, v json.RawMessage) (json.RawMessage, error) {
	if bytes.Equal(v, []byte("null")) {
		return v, nil
	}
	var target any
	switch kind {
	case kindString:
		target = new(string)
	case kindBool:
		target = new(bool)
	case kindUint, kindUintPtr:
		target = new(uint64)
	case kindIntPtr:
		target = new(int64)
	case kindFloatNull, kindFloatPtr:
		target = new(float64)
	case kindStrings, kindStringsNull:
		target = new([]string)
	case kindHeaders:
		return normalizeHeaders(v)
	}
	if err := json.Unmarshal(v, target); err != nil {
		return nil, err
	}
	if u, ok := target.(*uint64); ok {
		return json.RawMessage(strconv.FormatUint(*u, 10)), nil
	}
	return json.Marshal(target)
}

// normalizeHeaders writes each header as {"name","value"} (strings, in
// that order), keeping any other field after them.
func normalizeHeaders(v json.RawMessage) (json.RawMessage, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, 0, len(items))
	for _, item := range items {
		fields, err := decodeObject(item)
		if err != nil {
			return nil, fmt.Errorf("a header must be an object: %w", err)
		}
		h := &Monitor{fields: []monitorField{{"name", []byte(`""`)}, {"value", []byte(`""`)}}}
		for _, f := range fields {
			if f.name == "name" || f.name == "value" {
				norm, err := normalizeField(kindString, f.value)
				if err != nil {
					return nil, fmt.Errorf("header %s: %w", f.name, err)
				}
				if string(norm) == "null" {
					norm = []byte(`""`)
				}
				h.set(f.name, norm)
				continue
			}
			h.fields = append(h.fields, f)
		}
		b, _ := h.MarshalJSON() // no type: verbatim, in order
		out = append(out, b)
	}
	return json.Marshal(out)
}

func (m *Monitor) set(name string, v json.RawMessage) {
	for i := range m.fields {
		if m.fields[i].name == name {
			m.fields[i].value = v
			return
		}
	}
	m.fields = append(m.fields, monitorField{name, v})
}

// decodeObject reads a JSON object into its fields in order; a repeated
// key keeps its first place and its last value, as encoding/json does.
func decodeObject(data []byte) ([]monitorField, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("a monitor must be a JSON object")
	}
	m := &Monitor{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, err
		}
		m.set(key, compact.Bytes())
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return m.fields, nil
}

// FindMonitors calls GET /api/v0/monitors. Monitors of every type are
// returned, including types this client does not know.
func (c *Client) FindMonitors(ctx context.Context) ([]*Monitor, error) {
	var data struct {
		Monitors []*Monitor `json:"monitors"`
	}
	if err := c.get(ctx, "/api/v0/monitors", nil, &data); err != nil {
		return nil, err
	}
	if data.Monitors == nil {
		data.Monitors = []*Monitor{}
	}
	return data.Monitors, nil
}

// GetMonitor calls GET /api/v0/monitors/<id>.
func (c *Client) GetMonitor(ctx context.Context, id string) (*Monitor, error) {
	var data struct {
		Monitor *Monitor `json:"monitor"`
	}
	if err := c.get(ctx, pathf("/api/v0/monitors/%s", id), nil, &data); err != nil {
		return nil, err
	}
	if data.Monitor == nil {
		return nil, fmt.Errorf("GET /api/v0/monitors/%s: no monitor in the response", id)
	}
	return data.Monitor, nil
}

// CreateMonitor calls POST /api/v0/monitors and returns the created
// monitor (with its id).
func (c *Client) CreateMonitor(ctx context.Context, m *Monitor) (*Monitor, error) {
	var out Monitor
	if err := c.call(ctx, &request{method: http.MethodPost, path: "/api/v0/monitors", body: m}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateMonitor calls PUT /api/v0/monitors/<id> with the full definition m
// (its own id, if any, is sent as it is; the path decides).
func (c *Client) UpdateMonitor(ctx context.Context, id string, m *Monitor) (*Monitor, error) {
	var out Monitor
	if err := c.put(ctx, pathf("/api/v0/monitors/%s", id), m, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteMonitor calls DELETE /api/v0/monitors/<id> and returns the monitor
// as it was.
func (c *Client) DeleteMonitor(ctx context.Context, id string) (*Monitor, error) {
	var out Monitor
	if err := c.delete(ctx, pathf("/api/v0/monitors/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
