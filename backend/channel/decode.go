package channel

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/backend/internal/jsonfield"
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
	d := jsonfield.Decoder{Fields: fields}
	c := &Channel{}
	d.Str("id", &c.ID)
	d.Str("name", &c.Name)
	d.Str("type", &c.Type)
	c.Emails = d.Strings("emails")
	c.UserIDs = d.Strings("userIds")
	mentions(&d, "mentions", &c.Mentions)
	d.Boolean("enabledGraphImage", &c.EnabledGraphImage)
	d.Str("url", &c.URL)
	c.Events = d.Strings("events")
	d.Boolean("addToDefaultNotificationGroup", &c.AddToDefaultNotificationGroup)
	if d.Problem != "" {
		return nil, errorf("%s", d.Problem)
	}
	return c, nil
}

// mentionKeys are the statuses a Slack mention may be given for.
var mentionKeys = []string{"ok", "warning", "critical"}

// mentions reads {"ok"?, "warning"?, "critical"?: string}. Another key is
// refused rather than ignored: "warn" would otherwise silently mention
// nobody.
func mentions(d *jsonfield.Decoder, key string, dst *Mentions) {
	v := d.Raw(key)
	if v == nil {
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil || obj == nil {
		d.Fail(key, `an object of texts per status ("ok", "warning", "critical")`)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if !slices.Contains(mentionKeys, k) {
			d.Failf("mentions: %q is not a status: use %s.", k, strings.Join(mentionKeys, ", "))
			return
		}
	}
	sub := jsonfield.Decoder{Fields: obj}
	sub.Str("ok", &dst.OK)
	sub.Str("warning", &dst.Warning)
	sub.Str("critical", &dst.Critical)
	if sub.Problem != "" {
		d.Failf("mentions.%s", sub.Problem)
	}
}
