package notifygroup

import (
	"encoding/json"

	"github.com/mkr-dev/mkr/backend/downtime"
	"github.com/mkr-dev/mkr/backend/internal/jsonfield"
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
	d := jsonfield.Decoder{Fields: fields}
	g := &Group{}
	var typ string
	d.Str("id", &g.ID)
	d.Str("type", &typ)
	g.IsDefault = typ == TypeGroupDefault
	d.Str("name", &g.Name)
	d.Str("notificationLevel", &g.NotificationLevel)
	g.ChildGroupIDs = d.Strings("childNotificationGroupIds")
	g.ChildChannelIDs = d.Strings("childChannelIds")
	d.Objects("monitors", `{"id","skipDefault"}`, func(_ int, sub *jsonfield.Decoder) {
		var m MonitorRule
		sub.Str("id", &m.ID)
		sub.Boolean("skipDefault", &m.SkipDefault)
		g.Monitors = append(g.Monitors, m)
	})
	d.Objects("services", `{"name"}`, func(_ int, sub *jsonfield.Decoder) {
		var s ServiceRule
		sub.Str("name", &s.Name)
		g.Services = append(g.Services, s)
	})
	if d.Problem != "" {
		return nil, errorf("%s", d.Problem)
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
	d := jsonfield.Decoder{Fields: fields}
	s := &AlertGroupSetting{}
	d.Str("id", &s.ID)
	d.Str("name", &s.Name)
	d.Str("memo", &s.Memo)
	s.ServiceScopes = d.Strings("serviceScopes")
	s.RoleScopes = d.Strings("roleScopes")
	s.MonitorScopes = d.Strings("monitorScopes")
	d.Integer("notificationInterval", &s.NotificationInterval)
	if d.Problem != "" {
		return nil, errorf("%s", d.Problem)
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
