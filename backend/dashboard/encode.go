package dashboard

import (
	"bytes"
	"encoding/json"
)

// The wire form, keys in the order of mackerel-client-go v0.46.0's structs
// (Dashboard: id, title, urlPath, createdAt, updatedAt, memo, widgets;
// Widget: type, title, layout, metric, graph, range, markdown,
// referenceLines, legendList, fractionSize, suffix, formatRules,
// roleFullname), each widget with the keys of its type only. valueRange,
// which the Go client does not model, is kept beside range. As the API
// documents: referenceLines and formatRules are [] when unset, legendList,
// range and valueRange are absent when unset, and the roleFullname of an
// alertStatus widget whose role was deleted is null.

type dashboardJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	URLPath   string `json:"urlPath"`
	CreatedAt int64  `json:"createdAt"`
	UpdatedAt int64  `json:"updatedAt"`
	Memo      string `json:"memo"`
	Widgets   []any  `json:"widgets,omitempty"`
}

type graphJSON struct {
	Type           string          `json:"type"`
	Title          string          `json:"title"`
	Layout         Layout          `json:"layout"`
	Graph          any             `json:"graph"`
	Range          any             `json:"range,omitempty"`
	ValueRange     *valueRangeJSON `json:"valueRange,omitempty"`
	ReferenceLines []ReferenceLine `json:"referenceLines"`
	LegendList     []string        `json:"legendList,omitempty"`
}

type valueJSON struct {
	Type         string       `json:"type"`
	Title        string       `json:"title"`
	Layout       Layout       `json:"layout"`
	Metric       any          `json:"metric"`
	FractionSize *int64       `json:"fractionSize,omitempty"`
	Suffix       string       `json:"suffix"`
	FormatRules  []FormatRule `json:"formatRules"`
}

type markdownJSON struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Layout   Layout `json:"layout"`
	Markdown string `json:"markdown"`
}

type alertStatusJSON struct {
	Type         string  `json:"type"`
	Title        string  `json:"title"`
	Layout       Layout  `json:"layout"`
	RoleFullname *string `json:"roleFullname"`
}

type otherWidgetJSON struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Layout Layout `json:"layout"`
}

type hostRefJSON struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	HostID string `json:"hostId"`
}

type roleRefJSON struct {
	Type         string `json:"type"`
	Name         string `json:"name"`
	RoleFullname string `json:"roleFullname"`
	IsStacked    bool   `json:"isStacked"`
}

type serviceRefJSON struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	ServiceName string `json:"serviceName"`
}

type expressionRefJSON struct {
	Type       string `json:"type"`
	Expression string `json:"expression"`
}

type queryRefJSON struct {
	Type   string `json:"type"`
	Query  string `json:"query"`
	Legend string `json:"legend"`
}

type typeOnlyJSON struct {
	Type string `json:"type"`
}

type relativeJSON struct {
	Type   string `json:"type"`
	Period int64  `json:"period"`
	Offset int64  `json:"offset"`
}

type absoluteJSON struct {
	Type  string `json:"type"`
	Start int64  `json:"start"`
	End   int64  `json:"end"`
}

type valueRangeJSON struct {
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// Encode returns the canonical wire JSON of d with its widgets: what the
// store keeps and what a read, create, update or deletion answers. d
// should be normalized. < > & are not escaped (the hosted API sends them
// as they are).
func Encode(d *Dashboard) []byte {
	v := head(d)
	v.Widgets = make([]any, len(d.Widgets))
	for i := range d.Widgets {
		v.Widgets[i] = widgetWire(&d.Widgets[i])
	}
	out := encode(v)
	if len(d.Widgets) == 0 {
		// omitempty left the key out; a dashboard always has its list.
		out = append(out[:len(out)-1], []byte(`,"widgets":[]}`)...)
	}
	return out
}

// EncodeListed returns d as an item of the list: without widgets, as the
// API lists dashboards.
func EncodeListed(d *Dashboard) []byte { return encode(head(d)) }

func head(d *Dashboard) dashboardJSON {
	return dashboardJSON{ID: d.ID, Title: d.Title, URLPath: d.URLPath,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Memo: d.Memo}
}

func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only finite numbers get here (Validate, and JSON has no others).
		panic("dashboard: encoding: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func widgetWire(w *Widget) any {
	switch w.Type {
	case TypeGraph:
		g := graphJSON{Type: w.Type, Title: w.Title, Layout: w.Layout, Graph: refWire(w.Graph),
			ReferenceLines: w.ReferenceLines, LegendList: w.LegendList}
		if g.ReferenceLines == nil {
			g.ReferenceLines = []ReferenceLine{}
		}
		if w.Range != nil {
			g.Range = rangeWire(w.Range)
		}
		if w.ValueRange != nil && (w.ValueRange.Min != nil || w.ValueRange.Max != nil) {
			g.ValueRange = &valueRangeJSON{w.ValueRange.Min, w.ValueRange.Max}
		}
		return g
	case TypeValue:
		v := valueJSON{Type: w.Type, Title: w.Title, Layout: w.Layout, Metric: refWire(w.Metric),
			FractionSize: w.FractionSize, Suffix: w.Suffix, FormatRules: w.FormatRules}
		if v.FormatRules == nil {
			v.FormatRules = []FormatRule{}
		}
		return v
	case TypeMarkdown:
		return markdownJSON{Type: w.Type, Title: w.Title, Layout: w.Layout, Markdown: w.Markdown}
	case TypeAlertStatus:
		return alertStatusJSON{Type: w.Type, Title: w.Title, Layout: w.Layout, RoleFullname: w.RoleFullname}
	}
	return otherWidgetJSON{Type: w.Type, Title: w.Title, Layout: w.Layout}
}

func refWire(r *Ref) any {
	if r == nil {
		return nil
	}
	switch r.Type {
	case RefHost:
		return hostRefJSON{r.Type, r.Name, r.HostID}
	case RefRole:
		return roleRefJSON{r.Type, r.Name, r.RoleFullname, r.IsStacked}
	case RefService:
		return serviceRefJSON{r.Type, r.Name, r.ServiceName}
	case RefExpression:
		return expressionRefJSON{r.Type, r.Expression}
	case RefQuery:
		return queryRefJSON{r.Type, r.Query, r.Legend}
	}
	return typeOnlyJSON{r.Type}
}

func rangeWire(r *Range) any {
	switch r.Type {
	case RangeRelative:
		return relativeJSON{r.Type, r.Period, r.Offset}
	case RangeAbsolute:
		return absoluteJSON{r.Type, r.Start, r.End}
	}
	return typeOnlyJSON{r.Type}
}
