package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The notification resources (channels, notification groups, alert group
// settings) are kept as JSON objects field by field, like Monitor: a field
// this client does not know is read, printed, diffed and pushed back
// untouched, where upstream mkr (through mackerel-client-go's structs)
// dropped it. Known fields are printed in the order, with the omitempty
// rules and the Go types, of mackerel-client-go v0.46.0's structs, so
// `mkr channels` and the pulled files are the bytes upstream writes.

// wireKind is the Go type (and omitempty) of a field in mackerel-client-go.
type wireKind int

const (
	wString       wireKind = iota // string,omitempty: "" dropped
	wStringAlways                 // string: absent prints ""
	wBoolAlways                   // bool: absent prints false
	wBoolPtr                      // *bool,omitempty: null dropped, false kept
	wUint                         // uint64,omitempty: 0 dropped
	wInt64Ptr                     // *int64,omitempty: null dropped, 0 kept
	wStrings                      // []string,omitempty: null and [] dropped
	wStringsNull                  // []string: absent prints null
	wStringsPtr                   // *[]string,omitempty: null dropped, [] kept
	wObject                       // a struct value: absent prints {} (its fields in sub)
	wObjects                      // []*struct,omitempty: null and [] dropped (items in sub)
)

type wireField struct {
	name string
	kind wireKind
	sub  []wireField // wObject, wObjects
}

// wireObject is one JSON object, its fields in the order they were read.
type wireObject struct {
	fields []monitorField
}

func (o *wireObject) raw(key string) (json.RawMessage, bool) {
	for _, f := range o.fields {
		if f.name == key {
			return f.value, true
		}
	}
	return nil, false
}

// Has reports whether the field key is present (even as null).
func (o *wireObject) Has(key string) bool {
	_, ok := o.raw(key)
	return ok
}

// String returns the string field key ("" when absent or not a string).
func (o *wireObject) String(key string) string {
	var s string
	if v, ok := o.raw(key); ok {
		_ = json.Unmarshal(v, &s)
	}
	return s
}

// Strings returns the string-array field key (nil when absent or not one).
func (o *wireObject) Strings(key string) []string {
	var ss []string
	if v, ok := o.raw(key); ok {
		_ = json.Unmarshal(v, &ss)
	}
	return ss
}

// Raw returns the field key as JSON (nil when absent).
func (o *wireObject) Raw(key string) json.RawMessage {
	v, _ := o.raw(key)
	return v
}

func (o *wireObject) set(key string, v json.RawMessage) {
	for i := range o.fields {
		if o.fields[i].name == key {
			o.fields[i].value = v
			return
		}
	}
	o.fields = append(o.fields, monitorField{key, v})
}

// Delete removes the field key.
func (o *wireObject) Delete(key string) {
	out := o.fields[:0:0]
	for _, f := range o.fields {
		if f.name != key {
			out = append(out, f)
		}
	}
	o.fields = out
}

// without returns a copy of o without the fields keys.
func (o *wireObject) without(keys ...string) wireObject {
	out := wireObject{fields: append([]monitorField(nil), o.fields...)}
	for _, k := range keys {
		out.Delete(k)
	}
	return out
}

// setWith sets key to v (any JSON-encodable value), checked and
// normalised as the schema says.
func (o *wireObject) setWith(schema []wireField, noun, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if sf, ok := findWireField(schema, key); ok {
		if data, err = normalizeWire(sf, data); err != nil {
			return fieldError(noun, key, err)
		}
	}
	o.set(key, data)
	return nil
}

// decodeWire reads a JSON object of a schema (noun names it in errors),
// checking and normalising the known fields.
func decodeWire(schema []wireField, noun string, data []byte) (wireObject, error) {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		if noun == "" { // a nested object: the caller names the field
			return wireObject{}, fmt.Errorf("must be a JSON object")
		}
		article := "a"
		if strings.ContainsRune("aeiou", rune(noun[0])) {
			article = "an"
		}
		return wireObject{}, fmt.Errorf("%s %s must be a JSON object", article, noun)
	}
	fields, err := decodeObject(data)
	if err != nil {
		return wireObject{}, err
	}
	for i, f := range fields {
		sf, ok := findWireField(schema, f.name)
		if !ok {
			continue
		}
		norm, err := normalizeWire(sf, f.value)
		if err != nil {
			return wireObject{}, fieldError(noun, f.name, err)
		}
		fields[i].value = norm
	}
	return wireObject{fields: fields}, nil
}

// encodeWire writes the schema's fields in order (as the Go struct would:
// omitted, or printed as zero when absent), then the fields it does not
// list, in the order they were read.
func encodeWire(schema []wireField, o wireObject) []byte {
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
	for _, sf := range schema {
		v, ok := o.raw(sf.name)
		if !ok || string(v) == "null" {
			v, ok = absentWire(sf)
			if !ok {
				continue
			}
		}
		if omittedWire(sf.kind, v) {
			continue
		}
		write(sf.name, v)
	}
	for _, f := range o.fields {
		if _, listed := findWireField(schema, f.name); !listed {
			write(f.name, f.value)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

func fieldError(noun, name string, err error) error {
	if noun == "" {
		return fmt.Errorf("field %q: %w", name, err)
	}
	return fmt.Errorf("%s field %q: %w", noun, name, err)
}

func findWireField(schema []wireField, name string) (wireField, bool) {
	for _, sf := range schema {
		if sf.name == name {
			return sf, true
		}
	}
	return wireField{}, false
}

// absentWire is what the Go struct prints for a field that is absent or
// null; false means it prints nothing.
func absentWire(sf wireField) (json.RawMessage, bool) {
	switch sf.kind {
	case wStringAlways:
		return json.RawMessage(`""`), true
	case wBoolAlways:
		return json.RawMessage("false"), true
	case wStringsNull:
		return json.RawMessage("null"), true
	case wObject:
		return encodeWire(sf.sub, wireObject{}), true
	}
	return nil, false
}

// omittedWire reports whether omitempty drops a present value.
func omittedWire(kind wireKind, v json.RawMessage) bool {
	switch kind {
	case wString:
		return string(v) == `""`
	case wUint:
		return string(v) == "0"
	case wStrings, wObjects:
		return string(v) == "[]"
	}
	return false
}

// normalizeWire decodes v as the field's Go type and encodes it again
// (90.0 prints 90, "\u00e9" prints é), as upstream's round trip through
// the client struct does; a value of the wrong type is an error.
func normalizeWire(sf wireField, v json.RawMessage) (json.RawMessage, error) {
	if string(v) == "null" {
		return v, nil
	}
	var target any
	switch sf.kind {
	case wString, wStringAlways:
		target = new(string)
	case wBoolAlways, wBoolPtr:
		target = new(bool)
	case wUint:
		var u uint64
		if err := json.Unmarshal(v, &u); err != nil {
			return nil, err
		}
		return json.RawMessage(strconv.FormatUint(u, 10)), nil
	case wInt64Ptr:
		target = new(int64)
	case wStrings, wStringsNull, wStringsPtr:
		target = new([]string)
	case wObject:
		o, err := decodeWire(sf.sub, "", v)
		if err != nil {
			return nil, err
		}
		return encodeWire(sf.sub, o), nil
	case wObjects:
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, err
		}
		out := make([]json.RawMessage, len(items))
		for i, item := range items {
			if string(item) == "null" {
				out[i] = item
				continue
			}
			o, err := decodeWire(sf.sub, "", item)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i+1, err)
			}
			out[i] = encodeWire(sf.sub, o)
		}
		return json.Marshal(out)
	}
	if err := json.Unmarshal(v, target); err != nil {
		return nil, err
	}
	return json.Marshal(target)
}
