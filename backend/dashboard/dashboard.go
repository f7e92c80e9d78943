// Package dashboard is the model of a custom dashboard
// (/api/v0/dashboards): its Go form, its wire JSON, its validation (every
// widget type, the 24-column layout, urlPath) and the marking of widgets
// whose referenced host, role or service is gone. It holds no storage:
// package store keeps a dashboard as the canonical JSON Encode produces.
package dashboard

// Widget types.
const (
	TypeGraph       = "graph"
	TypeValue       = "value"
	TypeMarkdown    = "markdown"
	TypeAlertStatus = "alertStatus"
)

// Reference (graph and metric) types. TypeUnknown is only ever answered:
// it stands for a reference whose host, role or service was deleted.
const (
	RefHost       = "host"
	RefRole       = "role"
	RefService    = "service"
	RefExpression = "expression"
	RefQuery      = "query"
	RefUnknown    = "unknown"
)

// Range types.
const (
	RangeRelative = "relative"
	RangeAbsolute = "absolute"
)

// Dashboard is one custom dashboard.
type Dashboard struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	URLPath   string   `json:"urlPath"`
	CreatedAt int64    `json:"createdAt"`
	UpdatedAt int64    `json:"updatedAt"`
	Memo      string   `json:"memo"`
	Widgets   []Widget `json:"widgets"`
}

// Widget is one widget of any type; fields its type does not have are
// zero once normalized.
type Widget struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Layout Layout `json:"layout"`

	Graph          *Ref            `json:"graph"`          // graph
	Range          *Range          `json:"range"`          // graph
	ValueRange     *ValueRange     `json:"valueRange"`     // graph (not modelled by mackerel-client-go)
	ReferenceLines []ReferenceLine `json:"referenceLines"` // graph
	LegendList     []string        `json:"legendList"`     // graph of a host or service

	Metric       *Ref         `json:"metric"`       // value
	FractionSize *int64       `json:"fractionSize"` // value; nil shows 2 decimals
	Suffix       string       `json:"suffix"`       // value
	FormatRules  []FormatRule `json:"formatRules"`  // value

	Markdown string `json:"markdown"` // markdown

	// RoleFullname of an alertStatus widget ("service:role"); nil once
	// the role is deleted.
	RoleFullname *string `json:"roleFullname"`
}

// Layout places a widget on the grid, in grid units.
type Layout struct {
	X      int64 `json:"x"`
	Y      int64 `json:"y"`
	Width  int64 `json:"width"`
	Height int64 `json:"height"`
}

// Ref is what a graph widget draws or a value widget shows.
type Ref struct {
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

// Range is a graph widget's fixed time span: relative (now+offset−period
// … now+offset) or absolute (start … end), in seconds.
type Range struct {
	Type   string `json:"type"`
	Period int64  `json:"period"`
	Offset int64  `json:"offset"`
	Start  int64  `json:"start"`
	End    int64  `json:"end"`
}

// Span returns the range's start and end at now.
func (r *Range) Span(now int64) (from, to int64) {
	if r.Type == RangeAbsolute {
		return r.Start, r.End
	}
	return now + r.Offset - r.Period, now + r.Offset
}

// ValueRange bounds a graph's vertical axis.
type ValueRange struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

// ReferenceLine is a horizontal line drawn on a graph.
type ReferenceLine struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
}

// FormatRule marks a value widget's number when it crosses Threshold.
type FormatRule struct {
	Name      string  `json:"name"`
	Threshold float64 `json:"threshold"`
	Operator  string  `json:"operator"`
}

// Normalize keeps only the fields of each widget's type (mackerel-client-go
// sends "metric":null, "graph":null and "range":null with every widget)
// and those of each reference's and range's type.
func (d *Dashboard) Normalize() {
	for i := range d.Widgets {
		d.Widgets[i].normalize()
	}
}

func (w *Widget) normalize() {
	n := Widget{Type: w.Type, Title: w.Title, Layout: w.Layout}
	switch w.Type {
	case TypeGraph:
		n.Graph, n.Range, n.ValueRange = w.Graph.normalized(), w.Range.normalized(), w.ValueRange
		n.ReferenceLines, n.LegendList = w.ReferenceLines, w.LegendList
		if n.ReferenceLines == nil {
			n.ReferenceLines = []ReferenceLine{}
		}
	case TypeValue:
		n.Metric, n.FractionSize, n.Suffix, n.FormatRules = w.Metric.normalized(), w.FractionSize, w.Suffix, w.FormatRules
		if n.FormatRules == nil {
			n.FormatRules = []FormatRule{}
		}
	case TypeMarkdown:
		n.Markdown = w.Markdown
	case TypeAlertStatus:
		n.RoleFullname = w.RoleFullname
	}
	*w = n
}

func (r *Ref) normalized() *Ref {
	if r == nil {
		return nil
	}
	n := &Ref{Type: r.Type}
	switch r.Type {
	case RefHost:
		n.Name, n.HostID = r.Name, r.HostID
	case RefRole:
		n.Name, n.RoleFullname, n.IsStacked = r.Name, r.RoleFullname, r.IsStacked
	case RefService:
		n.Name, n.ServiceName = r.Name, r.ServiceName
	case RefExpression:
		n.Expression = r.Expression
	case RefQuery:
		n.Query, n.Legend = r.Query, r.Legend
	}
	return n
}

func (r *Range) normalized() *Range {
	if r == nil {
		return nil
	}
	switch r.Type {
	case RangeRelative:
		return &Range{Type: r.Type, Period: r.Period, Offset: r.Offset}
	case RangeAbsolute:
		return &Range{Type: r.Type, Start: r.Start, End: r.End}
	}
	return &Range{Type: r.Type}
}
