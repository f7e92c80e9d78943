package jsonfield

import (
	"encoding/json"
	"testing"
)

// Each reader refuses a value of the wrong type with a message naming the
// key, and the first problem stops every later read.
func TestDecoderProblems(t *testing.T) {
	tests := []struct {
		body, want string
		read       func(d *Decoder)
	}{
		{`{"a":1}`, "a must be a string.", func(d *Decoder) { var s string; d.Str("a", &s) }},
		{`{"a":"x"}`, "a must be true or false.", func(d *Decoder) { var b bool; d.Boolean("a", &b) }},
		{`{"a":["x",null]}`, "a must be an array of strings.", func(d *Decoder) { d.Strings("a") }},
		{`{"a":"3"}`, "a must be a number.", func(d *Decoder) { d.OptNumber("a") }},
		{`{"a":2.5}`, "a must be a whole number.", func(d *Decoder) { d.OptInteger("a") }},
		{`{"a":1e300}`, "a must be a whole number within range.", func(d *Decoder) { d.OptInteger("a") }},
		{`{"a":[{"n":1}]}`, "a[0].n must be a string.", func(d *Decoder) {
			d.Objects("a", "{n}", func(_ int, it *Decoder) { var s string; it.Str("n", &s) })
		}},
		{`{"a":[1]}`, "a[0] must be a {n} object.", func(d *Decoder) { d.Objects("a", "{n}", func(int, *Decoder) {}) }},
		{`{"a":1,"b":"x"}`, "a must be a string.", func(d *Decoder) {
			var s string
			var b bool
			d.Str("a", &s)
			d.Boolean("b", &b) // not reached: the first problem stands
		}},
	}
	for _, tt := range tests {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.body), &fields); err != nil {
			t.Fatal(err)
		}
		d := Decoder{Fields: fields}
		tt.read(&d)
		if d.Problem != tt.want {
			t.Errorf("%s: problem %q, want %q", tt.body, d.Problem, tt.want)
		}
	}
}

// Absent and null read as nothing; whole numbers written as floats are
// whole numbers.
func TestDecoderValues(t *testing.T) {
	var fields map[string]json.RawMessage
	json.Unmarshal([]byte(`{"n":null,"i":3.0,"f":1.5,"s":["a"]}`), &fields)
	d := Decoder{Fields: fields}
	if d.OptNumber("n") != nil || d.OptInteger("absent") != nil {
		t.Error("null or absent read as a value")
	}
	if i := d.OptInteger("i"); i == nil || *i != 3 {
		t.Errorf("OptInteger(3.0) = %v", i)
	}
	if f := d.OptNumber("f"); f == nil || *f != 1.5 {
		t.Errorf("OptNumber = %v", f)
	}
	if s := d.Strings("s"); len(s) != 1 || s[0] != "a" || d.Problem != "" {
		t.Errorf("Strings = %v, %q", s, d.Problem)
	}
}
