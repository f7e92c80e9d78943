package client

import (
	"context"
)

// AlertGroupSetting is an alert group setting (GET
// /api/v0/alert-group-settings): which alerts gather into one alert
// group. It keeps the JSON object (notification_groups_wire.go) and prints
// as mackerel-client-go v0.46.0's struct does: id, name, memo,
// serviceScopes, roleScopes, monitorScopes, notificationInterval (each
// but name only when set); then fields this client does not know.
type AlertGroupSetting struct {
	wireObject
}

var alertGroupSettingSchema = []wireField{
	{name: "id", kind: wString},
	{name: "name", kind: wStringAlways},
	{name: "memo", kind: wString},
	{name: "serviceScopes", kind: wStrings},
	{name: "roleScopes", kind: wStrings},
	{name: "monitorScopes", kind: wStrings},
	{name: "notificationInterval", kind: wUint},
}

// ID is the setting's id ("" before it is created).
func (s *AlertGroupSetting) ID() string { return s.String("id") }

// Name is the setting's name.
func (s *AlertGroupSetting) Name() string { return s.String("name") }

// Without returns a copy of s without the fields keys.
func (s *AlertGroupSetting) Without(keys ...string) *AlertGroupSetting {
	return &AlertGroupSetting{s.without(keys...)}
}

// UnmarshalJSON reads a setting, keeping every field in order; known
// fields must have the type the API gives them.
func (s *AlertGroupSetting) UnmarshalJSON(data []byte) error {
	o, err := decodeWire(alertGroupSettingSchema, "alert group setting", data)
	if err != nil {
		return err
	}
	s.wireObject = o
	return nil
}

// MarshalJSON writes the setting as mackerel-client-go does, then the
// fields it does not know.
func (s AlertGroupSetting) MarshalJSON() ([]byte, error) {
	return encodeWire(alertGroupSettingSchema, s.wireObject), nil
}

// FindAlertGroupSettings calls GET /api/v0/alert-group-settings.
func (c *Client) FindAlertGroupSettings(ctx context.Context) ([]*AlertGroupSetting, error) {
	var data struct {
		AlertGroupSettings []*AlertGroupSetting `json:"alertGroupSettings"`
	}
	if err := c.get(ctx, "/api/v0/alert-group-settings", nil, &data); err != nil {
		return nil, err
	}
	if data.AlertGroupSettings == nil {
		data.AlertGroupSettings = []*AlertGroupSetting{}
	}
	return data.AlertGroupSettings, nil
}

// GetAlertGroupSetting calls GET /api/v0/alert-group-settings/<id>.
func (c *Client) GetAlertGroupSetting(ctx context.Context, id string) (*AlertGroupSetting, error) {
	var out AlertGroupSetting
	if err := c.get(ctx, pathf("/api/v0/alert-group-settings/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateAlertGroupSetting calls POST /api/v0/alert-group-settings.
func (c *Client) CreateAlertGroupSetting(ctx context.Context, s *AlertGroupSetting) (*AlertGroupSetting, error) {
	var out AlertGroupSetting
	if err := c.post(ctx, "/api/v0/alert-group-settings", s, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAlertGroupSetting calls PUT /api/v0/alert-group-settings/<id> with
// the whole definition s.
func (c *Client) UpdateAlertGroupSetting(ctx context.Context, id string, s *AlertGroupSetting) (*AlertGroupSetting, error) {
	var out AlertGroupSetting
	if err := c.put(ctx, pathf("/api/v0/alert-group-settings/%s", id), s, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAlertGroupSetting calls DELETE /api/v0/alert-group-settings/<id>
// and returns the setting as it was.
func (c *Client) DeleteAlertGroupSetting(ctx context.Context, id string) (*AlertGroupSetting, error) {
	var out AlertGroupSetting
	if err := c.delete(ctx, pathf("/api/v0/alert-group-settings/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
