// Package jsonfield reads typed values out of a decoded JSON object as
// the hosted API does for request bodies: tolerantly (absent and null are
// the same, unknown keys are ignored), but refusing a value of the wrong
// type with a message naming its key. The model packages (monitor,
// channel, notifygroup) share it and wrap its problem in their own error
// type.
package jsonfield

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Decoder reads the fields of one JSON object, keeping the first problem:
// after one, every read returns nothing, so callers check Problem once.
type Decoder struct {
	Fields  map[string]json.RawMessage
	Problem string // the first problem ("duration must be a whole number."), "" when none
}

var null = []byte("null")

// Raw returns the key's value, or nil when it is absent or null (or an
// earlier key already failed).
func (d *Decoder) Raw(key string) json.RawMessage {
	v, ok := d.Fields[key]
	if !ok || d.Problem != "" || bytes.Equal(bytes.TrimSpace(v), null) {
		return nil
	}
	return v
}

// Fail records "<key> must be <what>.".
func (d *Decoder) Fail(key, what string) { d.Problem = key + " must be " + what + "." }

// Failf records a problem in the caller's words.
func (d *Decoder) Failf(format string, args ...any) { d.Problem = fmt.Sprintf(format, args...) }

// Str reads a string.
func (d *Decoder) Str(key string, dst *string) {
	if v := d.Raw(key); v != nil && json.Unmarshal(v, dst) != nil {
		d.Fail(key, "a string")
	}
}

// Boolean reads true or false.
func (d *Decoder) Boolean(key string, dst *bool) {
	if v := d.Raw(key); v != nil && json.Unmarshal(v, dst) != nil {
		d.Fail(key, "true or false")
	}
}

// Strings reads an array of strings; a null item is refused like any
// other non-string (json.Unmarshal would turn it into "").
func (d *Decoder) Strings(key string) []string {
	v := d.Raw(key)
	if v == nil {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		d.Fail(key, "an array of strings")
		return nil
	}
	out := make([]string, len(items))
	for i, item := range items {
		if bytes.Equal(bytes.TrimSpace(item), null) || json.Unmarshal(item, &out[i]) != nil {
			d.Fail(key, "an array of strings")
			return nil
		}
	}
	return out
}

// OptNumber reads a finite number; nil when absent.
func (d *Decoder) OptNumber(key string) *float64 {
	v := d.Raw(key)
	if v == nil {
		return nil
	}
	n, ok := number(v)
	if !ok {
		d.Fail(key, "a number")
		return nil
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) {
		d.Fail(key, "a finite number")
		return nil
	}
	return &f
}

// Integer reads a whole number into dst when the key is given.
func (d *Decoder) Integer(key string, dst *int64) {
	if p := d.OptInteger(key); p != nil {
		*dst = *p
	}
}

// OptInteger reads a whole number: 3, 3.0 and 3e0 are 3; 2.5 and numbers
// beyond int64 are refused rather than rounded. Nil when absent.
func (d *Decoder) OptInteger(key string) *int64 {
	v := d.Raw(key)
	if v == nil {
		return nil
	}
	n, ok := number(v)
	if !ok {
		d.Fail(key, "a number")
		return nil
	}
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return &i
	} else if errors.Is(err, strconv.ErrRange) {
		d.Fail(key, "a whole number within range")
		return nil
	}
	f, err := n.Float64()
	switch {
	case err != nil || math.IsInf(f, 0) || f >= 0x1p63 || f < -0x1p63:
		d.Fail(key, "a whole number within range")
		return nil
	case f != math.Trunc(f):
		d.Fail(key, "a whole number")
		return nil
	}
	i := int64(f)
	return &i
}

// Objects reads key's value as an array of JSON objects and decodes each
// item with a Decoder of its own; an item's problem is reported with its
// place ("headers[1].name must be a string."). shape names an item in
// messages.
func (d *Decoder) Objects(key, shape string, each func(i int, item *Decoder)) {
	v := d.Raw(key)
	if v == nil {
		return
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		d.Fail(key, "an array of "+shape+" objects")
		return
	}
	for i, item := range items {
		var obj map[string]json.RawMessage
		if json.Unmarshal(item, &obj) != nil || obj == nil {
			d.Fail(fmt.Sprintf("%s[%d]", key, i), "a "+shape+" object")
			return
		}
		sub := Decoder{Fields: obj}
		each(i, &sub)
		if sub.Problem != "" {
			d.Problem = fmt.Sprintf("%s[%d].%s", key, i, sub.Problem)
			return
		}
	}
}

// number reads a JSON number. Not json.Unmarshal into a json.Number,
// which also takes a string holding a number ("3").
func number(v json.RawMessage) (json.Number, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return "", false
	}
	var n json.Number
	return n, json.Unmarshal(v, &n) == nil
}
