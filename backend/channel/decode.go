package channel

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Decode parses a channel from its wire JSON (a request body or a stored
// one), as tolerantly as the hosted API: unknown keys and the read-only
// "suspendedAt" are ignored, null is the same as an absent key, and keys
// the channel's type does not have are read but dropped by Normalize —
// mackerel-client-go sends "mentions":{} with every type. A value of the
// wrong JSON type is an *Error naming the key.
//
// "events" absent or null gives nil (the default events once normalized);
// "events":[] gives an empty list: a channel told about nothing.
func Decode(body []byte) (*Channel, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, errorf("A channel must be a JSON object.")
	}
	return DecodeFields(fields)
}

// DecodeFields is Decode of an already parsed JSON object.
func DecodeFields(fields map[string]json.RawMessage) (*Channel, error) {
	d := decoder{fields: fields}
	c := &Channel{}
	d.str("id", &c.ID)
	d.str("name", &c.Name)
	d.str("type", &c.Type)
	c.Emails = d.strings("emails")
	c.UserIDs = d.strings("userIds")
	d.mentions("mentions", &c.Mentions)
	d.boolean("enabledGraphImage", &c.EnabledGraphImage)
	d.str("url", &c.URL)
	c.Events = d.strings("events")
	d.boolean("addToDefaultNotificationGroup", &c.AddToDefaultNotificationGroup)
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
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
// other non-string (json.Unmarshal would turn it into "").
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
		if json.Unmarshal(item, &out[i]) != nil || bytes.Equal(bytes.TrimSpace(item), []byte("null")) {
			d.fail(key, "an array of strings")
			return nil
		}
	}
	return out
}

// mentionKeys are the statuses a Slack mention may be given for.
var mentionKeys = []string{"ok", "warning", "critical"}

// mentions reads {"ok"?, "warning"?, "critical"?: string}. Another key is
// refused rather than ignored: "warn" would otherwise silently mention
// nobody.
func (d *decoder) mentions(key string, dst *Mentions) {
	v := d.raw(key)
	if v == nil {
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil || obj == nil {
		d.fail(key, `an object of texts per status ("ok", "warning", "critical")`)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if !slices.Contains(mentionKeys, k) {
			d.err = errorf("mentions: %q is not a status: use %s.", k, strings.Join(mentionKeys, ", "))
			return
		}
	}
	sub := decoder{fields: obj}
	sub.str("ok", &dst.OK)
	sub.str("warning", &dst.Warning)
	sub.str("critical", &dst.Critical)
	if sub.err != nil {
		d.err = errorf("mentions.%s", sub.err.(*Error).Message)
	}
}
