package notifygroup

import (
	"bytes"
	"encoding/json"
)

// groupJSON is a group's wire form, keys in the order of
// mackerel-client-go v0.46.0's NotificationGroup. Every key is always
// present: the API answers "the input along with an ID", and monitors and
// services as [] decode to the same client value as absent ones.
type groupJSON struct {
	ID                string        `json:"id"`
	Type              string        `json:"type"`
	Name              string        `json:"name"`
	NotificationLevel string        `json:"notificationLevel"`
	ChildGroupIDs     []string      `json:"childNotificationGroupIds"`
	ChildChannelIDs   []string      `json:"childChannelIds"`
	Monitors          []MonitorRule `json:"monitors"`
	Services          []ServiceRule `json:"services"`
}

// settingJSON is an alert group setting's wire form, keys in the order of
// mackerel-client-go v0.46.0's AlertGroupSetting. memo and
// notificationInterval only when set (as the client marshals them); the
// scope lists always, [] when empty.
type settingJSON struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	Memo                 string   `json:"memo,omitempty"`
	ServiceScopes        []string `json:"serviceScopes"`
	RoleScopes           []string `json:"roleScopes"`
	MonitorScopes        []string `json:"monitorScopes"`
	NotificationInterval int64    `json:"notificationInterval,omitempty"`
}

// EncodeGroup returns the canonical wire JSON of g: what the API answers
// and what the store keeps.
func EncodeGroup(g *Group) []byte {
	return encode(groupJSON{ID: g.ID, Type: g.Type(), Name: g.Name, NotificationLevel: g.NotificationLevel,
		ChildGroupIDs: nonNil(g.ChildGroupIDs), ChildChannelIDs: nonNil(g.ChildChannelIDs),
		Monitors: nonNil(g.Monitors), Services: nonNil(g.Services)})
}

// EncodeSetting returns the canonical wire JSON of s.
func EncodeSetting(s *AlertGroupSetting) []byte {
	return encode(settingJSON{ID: s.ID, Name: s.Name, Memo: s.Memo,
		ServiceScopes: nonNil(s.ServiceScopes), RoleScopes: nonNil(s.RoleScopes), MonitorScopes: nonNil(s.MonitorScopes),
		NotificationInterval: s.NotificationInterval})
}

// encode marshals v without escaping < > & (the hosted API sends them as
// they are).
func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("notifygroup: encoding: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
