package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Dashboard is a custom dashboard (GET /api/v0/dashboards/<id>) kept as the
// JSON object the server or a file gave, compacted but otherwise
// untouched: every field, including those mackerel-client-go does not
// model (valueRange) or that a newer server adds, is printed, diffed and
// pushed back as it was. (Upstream mkr decoded files into the Go client's
// struct and dropped such fields.) Parse gives the typed view that
// `dashboards show` draws from.
type Dashboard struct {
	raw json.RawMessage
}

// NewDashboard reads a dashboard object; it must be a JSON object.
func NewDashboard(data []byte) (*Dashboard, error) {
	d := &Dashboard{}
	if err := d.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return d, nil
}

// UnmarshalJSON keeps the object compacted.
func (d *Dashboard) UnmarshalJSON(data []byte) error {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return fmt.Errorf("a dashboard must be a JSON object")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		return err
	}
	d.raw = b.Bytes()
	return nil
}

// MarshalJSON gives the object back as it was read.
func (d *Dashboard) MarshalJSON() ([]byte, error) {
	if d.raw == nil {
		return []byte("{}"), nil
	}
	return d.raw, nil
}

func (d *Dashboard) field(key string) json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(d.raw, &m)
	return m[key]
}

func (d *Dashboard) str(key string) string {
	var s string
	_ = json.Unmarshal(d.field(key), &s)
	return s
}

// ID is the dashboard's id ("" in a file written by hand before creation).
func (d *Dashboard) ID() string { return d.str("id") }

// Title is the dashboard's title.
func (d *Dashboard) Title() string { return d.str("title") }

// URLPath is the dashboard's urlPath, unique in an organization.
func (d *Dashboard) URLPath() string { return d.str("urlPath") }

// Name is the URLPath: what as-code matching pairs a file without an id
// with (ascode.Rule).
func (d *Dashboard) Name() string { return d.URLPath() }

// HasWidgets reports whether the object has a "widgets" array (upstream
// mkr's pull-all wrote "widgets": null).
func (d *Dashboard) HasWidgets() bool {
	w := bytes.TrimSpace(d.field("widgets"))
	return len(w) > 0 && w[0] == '['
}

// Without returns a copy without the top-level keys (the server's to set:
// id, createdAt, updatedAt), the others in their order.
func (d *Dashboard) Without(keys ...string) *Dashboard {
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	fields, err := decodeObject(d.raw)
	if err != nil {
		return d
	}
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for _, f := range fields {
		if drop[f.name] {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		key, _ := json.Marshal(f.name)
		b.Write(key)
		b.WriteByte(':')
		b.Write(f.value)
	}
	b.WriteByte('}')
	return &Dashboard{raw: b.Bytes()}
}

// Parse returns the typed view of the dashboard.
func (d *Dashboard) Parse() (*DashboardSpec, error) {
	var s DashboardSpec
	if err := json.Unmarshal(d.raw, &s); err != nil {
		return nil, fmt.Errorf("dashboard %s: %w", d.ID(), err)
	}
	return &s, nil
}

// DashboardSpec is a dashboard's typed view, as the API documents it.
type DashboardSpec struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	URLPath   string   `json:"urlPath"`
	CreatedAt int64    `json:"createdAt"`
	UpdatedAt int64    `json:"updatedAt"`
	Memo      string   `json:"memo"`
	Widgets   []Widget `json:"widgets"`
}

// Widget is one widget of a dashboard, of any type.
type Widget struct {
	Type           string                `json:"type"`
	Title          string                `json:"title"`
	Layout         WidgetLayout          `json:"layout"`
	Graph          *WidgetRef            `json:"graph"`
	Metric         *WidgetRef            `json:"metric"`
	Range          *WidgetRange          `json:"range"`
	ValueRange     *WidgetValueRange     `json:"valueRange"`
	ReferenceLines []WidgetReferenceLine `json:"referenceLines"`
	Markdown       string                `json:"markdown"`
	FractionSize   *int64                `json:"fractionSize"`
	Suffix         string                `json:"suffix"`
	FormatRules    []WidgetFormatRule    `json:"formatRules"`
	RoleFullname   *string               `json:"roleFullname"`
	LegendList     []string              `json:"legendList"`
}

// WidgetLayout places a widget on the 24-column grid.
type WidgetLayout struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// WidgetRef is a graph widget's graph or a value widget's metric.
type WidgetRef struct {
	Type         string `json:"type"`
	Name         string `json:"name"`
	HostID       string `json:"hostId"`
	RoleFullname string `json:"roleFullname"`
	IsStacked    bool   `json:"isStacked"`
	ServiceName  string `json:"serviceName"`
	Expression   string `json:"expression"`
	Query        string `json:"query"`
	Legend       string `json:"legend"`
}

// WidgetRange is a graph's fixed span (relative or absolute), in seconds.
type WidgetRange struct {
	Type   string `json:"type"`
	Period int64  `json:"period"`
	Offset int64  `json:"offset"`
	Start  int64  `json:"start"`
	End    int64  `json:"end"`
}

// Span returns the range's start and end at now.
func (r *WidgetRange) Span(now int64) (from, to int64) {
	if r.Type == "absolute" {
		return r.Start, r.End
	}
	return now + r.Offset - r.Period, now + r.Offset
}

// WidgetValueRange bounds a graph's vertical axis.
type WidgetValueRange struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

// WidgetReferenceLine is a horizontal line on a graph.
type WidgetReferenceLine struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
}

// WidgetFormatRule marks a value widget's number past a threshold.
type WidgetFormatRule struct {
	Name      string  `json:"name"`
	Threshold float64 `json:"threshold"`
	Operator  string  `json:"operator"`
}

// FindDashboards calls GET /api/v0/dashboards: every dashboard without its
// widgets.
func (c *Client) FindDashboards(ctx context.Context) ([]*Dashboard, error) {
	var data struct {
		Dashboards []*Dashboard `json:"dashboards"`
	}
	if err := c.get(ctx, "/api/v0/dashboards", nil, &data); err != nil {
		return nil, err
	}
	if data.Dashboards == nil {
		data.Dashboards = []*Dashboard{}
	}
	return data.Dashboards, nil
}

// FindDashboard calls GET /api/v0/dashboards/<id>: one dashboard in full.
func (c *Client) FindDashboard(ctx context.Context, id string) (*Dashboard, error) {
	var out Dashboard
	if err := c.get(ctx, pathf("/api/v0/dashboards/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateDashboard calls POST /api/v0/dashboards.
func (c *Client) CreateDashboard(ctx context.Context, d *Dashboard) (*Dashboard, error) {
	var out Dashboard
	if err := c.post(ctx, "/api/v0/dashboards", d, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateDashboard calls PUT /api/v0/dashboards/<id> with the whole
// dashboard d.
func (c *Client) UpdateDashboard(ctx context.Context, id string, d *Dashboard) (*Dashboard, error) {
	var out Dashboard
	if err := c.put(ctx, pathf("/api/v0/dashboards/%s", id), d, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDashboard calls DELETE /api/v0/dashboards/<id> and returns the
// dashboard as it was.
func (c *Client) DeleteDashboard(ctx context.Context, id string) (*Dashboard, error) {
	var out Dashboard
	if err := c.delete(ctx, pathf("/api/v0/dashboards/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
