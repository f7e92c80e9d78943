package dashboard

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/expr"
)

// GridWidth is the number of columns of the dashboard grid.
const GridWidth = 24

// Size is a widget's width and height in grid units.
type Size struct{ Width, Height int64 }

// Limits are a widget type's smallest and largest size, as documented.
type Limits struct{ Min, Max Size }

// SizeLimits gives each widget type's size limits.
var SizeLimits = map[string]Limits{
	TypeGraph:       {Size{6, 6}, Size{24, 32}},
	TypeValue:       {Size{4, 4}, Size{24, 32}},
	TypeMarkdown:    {Size{4, 2}, Size{24, 80}},
	TypeAlertStatus: {Size{4, 3}, Size{24, 32}},
}

// Other documented limits.
const (
	MaxFractionSize     = 16
	MaxReferenceLines   = 1
	MaxFormatRules      = 1
	MaxLabelLength      = 32 // a reference line's label
	MaxRuleNameLength   = 32 // a format rule's name
	maxTitleLengthBytes = 1 << 10
)

// urlPathPattern is the API's rule for urlPath: slash-separated segments
// of letters, digits, "_" and "-", none starting with "-".
var urlPathPattern = regexp.MustCompile(`^([A-Za-z0-9_][-A-Za-z0-9_]*)(/[A-Za-z0-9_][-A-Za-z0-9_]*)*$`)

// Lookup answers whether what a widget references exists. An error is a
// failure to look, not a refusal.
type Lookup interface {
	HostExists(id string) (bool, error)
	ServiceExists(name string) (bool, error)
	RoleExists(service, role string) (bool, error)
}

// Validate checks a normalized dashboard about to be written: the title
// and urlPath, each widget's own rules and size, the grid, and that every
// referenced host, service and role exists. The first problem is an *Error
// naming the field; a failing lookup is returned as it is.
func Validate(d *Dashboard, l Lookup) error {
	if strings.TrimSpace(d.Title) == "" {
		return errorf("title is required.")
	}
	if len(d.Title) > maxTitleLengthBytes {
		return errorf("title must be at most %d bytes.", maxTitleLengthBytes)
	}
	if d.URLPath == "" {
		return errorf("urlPath is required.")
	}
	if !urlPathPattern.MatchString(d.URLPath) {
		return errorf("urlPath %q is invalid: use segments of letters, digits, \"_\" and \"-\" separated by \"/\", none starting with \"-\".", d.URLPath)
	}
	if d.Widgets == nil {
		return errorf("widgets is required (an array; [] for a dashboard without widgets).")
	}
	for i := range d.Widgets {
		v := widgetValidator{w: &d.Widgets[i], at: fmt.Sprintf("widgets[%d]", i), l: l}
		if err := v.validate(); err != nil {
			return err
		}
	}
	return checkOverlap(d.Widgets)
}

type widgetValidator struct {
	w  *Widget
	at string // the widget's place in the body, for messages
	l  Lookup
}

func (v *widgetValidator) fail(field, format string, args ...any) *Error {
	return errorf("%s.%s %s", v.at, field, fmt.Sprintf(format, args...))
}

func (v *widgetValidator) validate() error {
	w := v.w
	limits, ok := SizeLimits[w.Type]
	if !ok {
		return v.fail("type", "must be one of graph, value, markdown, alertStatus (got %q).", w.Type)
	}
	if err := v.layout(limits); err != nil {
		return err
	}
	switch w.Type {
	case TypeGraph:
		return v.graph()
	case TypeValue:
		return v.value()
	case TypeAlertStatus:
		return v.alertStatus()
	}
	return nil
}

func (v *widgetValidator) layout(lim Limits) error {
	lay := v.w.Layout
	for _, f := range []struct {
		name string
		val  int64
	}{{"x", lay.X}, {"y", lay.Y}, {"width", lay.Width}, {"height", lay.Height}} {
		if f.val < 0 {
			return v.fail("layout."+f.name, "must not be negative.")
		}
	}
	if lay.Width < lim.Min.Width || lay.Width > lim.Max.Width {
		return v.fail("layout.width", "must be %d to %d for %s widgets (got %d).", lim.Min.Width, lim.Max.Width, v.w.Type, lay.Width)
	}
	if lay.Height < lim.Min.Height || lay.Height > lim.Max.Height {
		return v.fail("layout.height", "must be %d to %d for %s widgets (got %d).", lim.Min.Height, lim.Max.Height, v.w.Type, lay.Height)
	}
	if lay.X+lay.Width > GridWidth {
		return v.fail("layout", "goes past the grid's %d columns (x %d + width %d).", GridWidth, lay.X, lay.Width)
	}
	return nil
}

func (v *widgetValidator) graph() error {
	w := v.w
	if w.Graph == nil {
		return v.fail("graph", "is required.")
	}
	if err := v.ref("graph", w.Graph, true); err != nil {
		return err
	}
	if err := v.timeRange(); err != nil {
		return err
	}
	if vr := w.ValueRange; vr != nil && vr.Min != nil && vr.Max != nil && *vr.Min > *vr.Max {
		return v.fail("valueRange", "min must not be greater than max.")
	}
	if len(w.ReferenceLines) > MaxReferenceLines {
		return v.fail("referenceLines", "may hold at most %d line.", MaxReferenceLines)
	}
	for i, rl := range w.ReferenceLines {
		if n := utf8.RuneCountInString(rl.Label); n < 1 || n > MaxLabelLength {
			return v.fail(fmt.Sprintf("referenceLines[%d].label", i), "must be 1 to %d characters.", MaxLabelLength)
		}
		if rl.Value < 0 {
			return v.fail(fmt.Sprintf("referenceLines[%d].value", i), "must not be negative.")
		}
	}
	if w.LegendList != nil && w.Graph.Type != RefHost && w.Graph.Type != RefService {
		return v.fail("legendList", "is only for graphs of a host or a service.")
	}
	for i, name := range w.LegendList {
		if name == "" {
			return v.fail(fmt.Sprintf("legendList[%d]", i), "must be a metric name.")
		}
	}
	return nil
}

func (v *widgetValidator) timeRange() error {
	r := v.w.Range
	if r == nil {
		return nil
	}
	switch r.Type {
	case RangeRelative:
		if r.Period <= 0 {
			return v.fail("range.period", "must be a positive number of seconds.")
		}
	case RangeAbsolute:
		if r.Start < 0 || r.End <= r.Start {
			return v.fail("range", "start must be before end (epoch seconds).")
		}
	default:
		return v.fail("range.type", "must be relative or absolute (got %q).", r.Type)
	}
	return nil
}

func (v *widgetValidator) value() error {
	w := v.w
	if w.Metric == nil {
		return v.fail("metric", "is required.")
	}
	if err := v.ref("metric", w.Metric, false); err != nil {
		return err
	}
	if fs := w.FractionSize; fs != nil && (*fs < 0 || *fs > MaxFractionSize) {
		return v.fail("fractionSize", "must be 0 to %d.", MaxFractionSize)
	}
	if len(w.FormatRules) > MaxFormatRules {
		return v.fail("formatRules", "may hold at most %d rule.", MaxFormatRules)
	}
	for i, fr := range w.FormatRules {
		at := fmt.Sprintf("formatRules[%d]", i)
		if utf8.RuneCountInString(fr.Name) > MaxRuleNameLength {
			return v.fail(at+".name", "must be at most %d characters.", MaxRuleNameLength)
		}
		if fr.Operator != ">" && fr.Operator != "<" {
			return v.fail(at+".operator", `must be ">" or "<".`)
		}
		if math.IsNaN(fr.Threshold) {
			return v.fail(at+".threshold", "must be a number.")
		}
	}
	return nil
}

func (v *widgetValidator) alertStatus() error {
	rf := v.w.RoleFullname
	if rf == nil || *rf == "" {
		return v.fail("roleFullname", "is required.")
	}
	return v.role("roleFullname", *rf)
}

// ref checks a graph (graph widget) or a metric (value widget); only a
// graph may be a role's.
func (v *widgetValidator) ref(field string, r *Ref, graph bool) error {
	switch r.Type {
	case RefHost:
		if r.HostID == "" {
			return v.fail(field+".hostId", "is required.")
		}
		if r.Name == "" {
			return v.fail(field+".name", "is required.")
		}
		return v.exists(field+".hostId", "host "+r.HostID, func() (bool, error) { return v.l.HostExists(r.HostID) })
	case RefRole:
		if !graph {
			break
		}
		if r.Name == "" {
			return v.fail(field+".name", "is required.")
		}
		return v.role(field+".roleFullname", r.RoleFullname)
	case RefService:
		if r.ServiceName == "" {
			return v.fail(field+".serviceName", "is required.")
		}
		if r.Name == "" {
			return v.fail(field+".name", "is required.")
		}
		return v.exists(field+".serviceName", "service "+r.ServiceName, func() (bool, error) { return v.l.ServiceExists(r.ServiceName) })
	case RefExpression:
		if strings.TrimSpace(r.Expression) == "" {
			return v.fail(field+".expression", "is required.")
		}
		if _, err := expr.Parse(r.Expression); err != nil {
			return v.fail(field+".expression", "is invalid: %v", err)
		}
		return nil
	case RefQuery:
		if strings.TrimSpace(r.Query) == "" {
			return v.fail(field+".query", "is required.")
		}
		return nil
	case RefUnknown:
		return v.fail(field+".type", "unknown marks a deleted reference and cannot be written: choose what to show.")
	}
	kinds := "host, service, expression or query"
	if graph {
		kinds = "host, role, service, expression or query"
	}
	return v.fail(field+".type", "must be %s (got %q).", kinds, r.Type)
}

func (v *widgetValidator) role(field, fullname string) error {
	service, role, ok := strings.Cut(fullname, ":")
	if !ok || service == "" || role == "" {
		return v.fail(field, `must be "service:role" (got %q).`, fullname)
	}
	return v.exists(field, "role "+fullname, func() (bool, error) { return v.l.RoleExists(service, role) })
}

func (v *widgetValidator) exists(field, what string, ask func() (bool, error)) error {
	ok, err := ask()
	if err != nil {
		return err
	}
	if !ok {
		return v.fail(field, "names %s, which does not exist.", what)
	}
	return nil
}

// checkOverlap refuses two widgets that share a grid cell.
func checkOverlap(ws []Widget) error {
	for i := range ws {
		for j := i + 1; j < len(ws); j++ {
			a, b := ws[i].Layout, ws[j].Layout
			if a.X < b.X+b.Width && b.X < a.X+a.Width && a.Y < b.Y+b.Height && b.Y < a.Y+a.Height {
				return errorf("widgets[%d].layout overlaps widgets[%d].layout.", j, i)
			}
		}
	}
	return nil
}

// MarkStale turns what a stored dashboard references but no longer exists
// into what the API answers for it: a host, role or service graph or
// metric becomes {"type":"unknown"}, an alertStatus widget's roleFullname
// null. Expressions and queries name no single definition and never go
// stale (their series may simply be empty).
func MarkStale(d *Dashboard, l Lookup) error {
	for i := range d.Widgets {
		w := &d.Widgets[i]
		for _, r := range []*Ref{w.Graph, w.Metric} {
			if r == nil {
				continue
			}
			ok, err := refExists(r, l)
			if err != nil {
				return err
			}
			if !ok {
				*r = Ref{Type: RefUnknown}
			}
		}
		if w.Type == TypeAlertStatus && w.RoleFullname != nil {
			service, role, _ := strings.Cut(*w.RoleFullname, ":")
			ok, err := l.RoleExists(service, role)
			if err != nil {
				return err
			}
			if !ok {
				w.RoleFullname = nil
			}
		}
	}
	return nil
}

func refExists(r *Ref, l Lookup) (bool, error) {
	switch r.Type {
	case RefHost:
		return l.HostExists(r.HostID)
	case RefService:
		return l.ServiceExists(r.ServiceName)
	case RefRole:
		service, role, _ := strings.Cut(r.RoleFullname, ":")
		return l.RoleExists(service, role)
	}
	return true, nil
}
