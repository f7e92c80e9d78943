package notifygroup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/mkr-dev/mkr/backend/downtime"
)

// DecodeGroup parses a notification group from its wire JSON (a request
// body or a stored one), tolerantly: unknown keys are ignored and null is
// the same as an absent key. "type" is read ("group-default" sets
// IsDefault) because a stored body carries it; in a request it is
// read-only, and the handler decides IsDefault from the stored group. A
// value of the wrong JSON type is an *Error naming the key.
func DecodeGroup(body []byte) (*Group, error) {
	fields, err := object(body, "A notification group")
	if err != nil {
		return nil, err
	}
	return DecodeGroupFields(fields)
}

// DecodeGroupFields is DecodeGroup of an already parsed JSON object.
func DecodeGroupFields(fields map[string]json.RawMessage) (*Group, error) {
	d := decoder{fields: fields}
	g := &Group{}
	var typ string
	d.str("id", &g.ID)
	d.str("type", &typ)
	g.IsDefault = typ == TypeGroupDefault
	d.str("name", &g.Name)
	d.str("notificationLevel", &g.NotificationLevel)
	g.ChildGroupIDs = d.strings("childNotificationGroupIds")
	g.ChildChannelIDs = d.strings("childChannelIds")
	d.objects("monitors", `{"id","skipDefault"}`, func(sub *decoder) {
		var m MonitorRule
		sub.str("id", &m.ID)
		sub.boolean("skipDefault", &m.SkipDefault)
		g.Monitors = append(g.Monitors, m)
	})
	d.objects("services", `{"name"}`, func(sub *decoder) {
		var s ServiceRule
		sub.str("name", &s.Name)
		g.Services = append(g.Services, s)
	})
	if d.err != nil {
		return nil, d.err
	}
	return g, nil
}

// DecodeSetting parses an alert group setting from its wire JSON, as
// tolerantly as DecodeGroup. Role scopes are put in their canonical form
// ("service: role") when they have one.
func DecodeSetting(body []byte) (*AlertGroupSetting, error) {
	fields, err := object(body, "An alert group setting")
	if err != nil {
		return nil, err
	}
	return DecodeSettingFields(fields)
}

// DecodeSettingFields is DecodeSetting of an already parsed JSON object.
func DecodeSettingFields(fields map[string]json.RawMessage) (*AlertGroupSetting, error) {
	d := decoder{fields: fields}
	s := &AlertGroupSetting{}
	d.str("id", &s.ID)
	d.str("name", &s.Name)
	d.str("memo", &s.Memo)
	s.ServiceScopes = d.strings("serviceScopes")
	s.RoleScopes = d.strings("roleScopes")
	s.MonitorScopes = d.strings("monitorScopes")
	d.integer("notificationInterval", &s.NotificationInterval)
	if d.err != nil {
		return nil, d.err
	}
	for i, r := range s.RoleScopes {
		if svc, role, ok := downtime.ParseRoleScope(r); ok {
			s.RoleScopes[i] = downtime.RoleScope(svc, role)
		}
	}
	return s, nil
}

func object(body []byte, what string) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, errorf("%s must be a JSON object.", what)
	}
	return fields, nil
}

// decoder reads typed values out of a JSON object, keeping the first
// problem.
type decoder struct {
	fields map[string]json.RawMessage
	err    error
}

var null = []byte("null")

// raw returns the key's value, or nil when it is absent or null (or an
// earlier key already failed).
func (d *decoder) raw(key string) json.RawMessage {
	v, ok := d.fields[key]
	if !ok || d.err != nil || bytes.Equal(bytes.TrimSpace(v), null) {
		return nil
	}
	return v
}

func (d *decoder) fail(key, what string) { d.err = errorf("%s must be %s.", key, what) }

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

// strings reads an array of strings; a null item is refused like any
// other non-string.
func (d *decoder) strings(key string) []string {
	v := d.raw(key)
	if v == nil {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		d.fail(key, "an array of strings")
		return nil
	}
	out := make([]string, len(items))
	for i, item := range items {
		if bytes.Equal(bytes.TrimSpace(item), null) || json.Unmarshal(item, &out[i]) != nil {
			d.fail(key, "an array of strings")
			return nil
		}
	}
	return out
}

// objects reads an array of objects, calling each with a decoder of one
// item; shape describes an item for the error message.
func (d *decoder) objects(key, shape string, each func(*decoder)) {
	v := d.raw(key)
	if v == nil {
		return
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		d.fail(key, "an array of "+shape+" objects")
		return
	}
	for i, item := range items {
		var obj map[string]json.RawMessage
		if json.Unmarshal(item, &obj) != nil || obj == nil {
			d.fail(fmt.Sprintf("%s[%d]", key, i), "a "+shape+" object")
			return
		}
		sub := decoder{fields: obj}
		each(&sub)
		if sub.err != nil {
			d.err = errorf("%s[%d].%s", key, i, sub.err.(*Error).Message)
			return
		}
	}
}

// integer reads a whole number: 60, 60.0 and 6e1 are 60; 2.5 and numbers
// beyond int64 are refused rather than rounded.
func (d *decoder) integer(key string, dst *int64) {
	v := d.raw(key)
	if v == nil {
		return
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		d.fail(key, "a number")
		return
	}
	var n json.Number
	if json.Unmarshal(v, &n) != nil {
		d.fail(key, "a number")
		return
	}
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		*dst = i
		return
	} else if errors.Is(err, strconv.ErrRange) {
		d.fail(key, "a whole number within range")
		return
	}
	f, err := n.Float64()
	switch {
	case err != nil || math.IsInf(f, 0) || f >= 0x1p63 || f < -0x1p63:
		d.fail(key, "a whole number within range")
	case f != math.Trunc(f):
		d.fail(key, "a whole number")
	default:
		*dst = int64(f)
	}
}
