package monitor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Decode parses a monitor definition from its wire JSON, as tolerantly as
// the hosted API: unknown and read-only keys are ignored, null is the same
// as an absent key, and keys that the definition's type does not have are
// read but dropped by Normalize. A value of the wrong JSON type is an
// *Error naming the key ("duration must be a whole number.").
//
// Decode checks shapes, not rules: a missing name or a duration of 11 is
// Validate's business. It also accepts a definition without "type", which
// PUT may omit (see Merge).
func Decode(body []byte) (*Monitor, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, errorf("A monitor must be a JSON object.")
	}
	return DecodeFields(fields)
}

// DecodeFields is Decode of an already parsed JSON object.
func DecodeFields(fields map[string]json.RawMessage) (*Monitor, error) {
	d := decoder{fields: fields}
	m := &Monitor{}
	d.str("id", &m.ID)
	d.str("type", &m.Type)
	d.str("name", &m.Name)
	d.str("memo", &m.Memo)
	d.integer("notificationInterval", &m.NotificationInterval)
	d.boolean("isMute", &m.IsMute)

	d.str("metric", &m.Metric)
	d.str("operator", &m.Operator)
	m.Warning = d.optNumber("warning")
	m.Critical = d.optNumber("critical")
	d.integer("duration", &m.Duration)
	d.integer("maxCheckAttempts", &m.MaxCheckAttempts)
	m.Scopes = d.strings("scopes")
	m.ExcludeScopes = d.strings("excludeScopes")

	d.str("service", &m.Service)
	d.integer("missingDurationWarning", &m.MissingDurationWarning)
	d.integer("missingDurationCritical", &m.MissingDurationCritical)

	d.str("alertStatusOnGone", &m.AlertStatusOnGone)

	d.str("url", &m.URL)
	d.str("method", &m.Method)
	m.ResponseTimeWarning = d.optNumber("responseTimeWarning")
	m.ResponseTimeCritical = d.optNumber("responseTimeCritical")
	if p := d.optInteger("responseTimeDuration"); p != nil {
		m.ResponseTimeDuration = *p
	}
	d.str("containsString", &m.ContainsString)
	m.CertificationExpirationWarning = d.optInteger("certificationExpirationWarning")
	m.CertificationExpirationCritical = d.optInteger("certificationExpirationCritical")
	d.boolean("skipCertificateVerification", &m.SkipCertificateVerification)
	d.boolean("followRedirect", &m.FollowRedirect)
	m.ExpectedStatusCode = d.optInteger("expectedStatusCode")
	m.Headers = d.headers("headers")
	d.str("requestBody", &m.RequestBody)

	d.str("expression", &m.Expression)
	m.EvaluateBackwardMinutes = d.optInteger("evaluateBackwardMinutes")

	d.str("warningSensitivity", &m.WarningSensitivity)
	d.str("criticalSensitivity", &m.CriticalSensitivity)
	d.integer("trainingPeriodFrom", &m.TrainingPeriodFrom)

	d.str("query", &m.Query)
	d.str("legend", &m.Legend)
	if d.err != nil {
		return nil, d.err
	}
	return m, nil
}

// decoder reads typed values out of a JSON object, keeping the first
// problem.
type decoder struct {
	fields map[string]json.RawMessage
	err    error
}

// raw returns the key's value, or nil when it is absent or null (or an
// earlier key already failed).
func (d *decoder) raw(key string) json.RawMessage {
	v, ok := d.fields[key]
	if !ok || d.err != nil || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return nil
	}
	return v
}

func (d *decoder) fail(key, what string) {
	d.err = errorf("%s must be %s.", key, what)
}

func (d *decoder) str(key string, dst *string) {
	if v := d.raw(key); v != nil && json.Unmarshal(v, dst) != nil {
		d.fail(key, "a string")
	}
}

func (d *decoder) boolean(key string, dst *bool) {
	if v := d.raw(key); v != nil && json.Unmarshal(v, dst) != nil {
		d.fail(key, "true or false")
	}
}

func (d *decoder) optNumber(key string) *float64 {
	v := d.raw(key)
	if v == nil {
		return nil
	}
	n, ok := number(v)
	if !ok {
		d.fail(key, "a number")
		return nil
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) {
		d.fail(key, "a finite number")
		return nil
	}
	return &f
}

func (d *decoder) integer(key string, dst *int64) {
	if p := d.optInteger(key); p != nil {
		*dst = *p
	}
}

// optInteger reads a whole number: 3, 3.0 and 3e0 are 3; 2.5 and numbers
// beyond int64 are refused rather than rounded.
func (d *decoder) optInteger(key string) *int64 {
	v := d.raw(key)
	if v == nil {
		return nil
	}
	n, ok := number(v)
	if !ok {
		d.fail(key, "a number")
		return nil
	}
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return &i
	} else if errors.Is(err, strconv.ErrRange) {
		d.fail(key, "a whole number within range")
		return nil
	}
	f, err := n.Float64()
	switch {
	case err != nil || math.IsInf(f, 0) || f >= 0x1p63 || f < -0x1p63:
		d.fail(key, "a whole number within range")
		return nil
	case f != math.Trunc(f):
		d.fail(key, "a whole number")
		return nil
	}
	i := int64(f)
	return &i
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

func (d *decoder) strings(key string) []string {
	v := d.raw(key)
	if v == nil {
		return nil
	}
	var out []string
	if json.Unmarshal(v, &out) != nil {
		d.fail(key, "an array of strings")
		return nil
	}
	return out
}

// headers reads an external monitor's headers. Absent and null give nil
// ("not given": PUT keeps the current headers); [] gives an empty,
// non-nil slice ("none": PUT clears them).
func (d *decoder) headers(key string) []Header {
	v := d.raw(key)
	if v == nil {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		d.fail(key, "an array of {\"name\",\"value\"} objects")
		return nil
	}
	out := make([]Header, 0, len(items))
	for i, item := range items {
		var obj map[string]json.RawMessage
		if json.Unmarshal(item, &obj) != nil || obj == nil {
			d.fail(fmt.Sprintf("%s[%d]", key, i), "a {\"name\",\"value\"} object")
			return nil
		}
		sub := decoder{fields: obj}
		var h Header
		sub.str("name", &h.Name)
		sub.str("value", &h.Value)
		if sub.err != nil {
			d.err = errorf("%s[%d].%s", key, i, sub.err.(*Error).Message)
			return nil
		}
		out = append(out, h)
	}
	return out
}
