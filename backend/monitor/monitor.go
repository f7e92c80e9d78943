// Package monitor is the model of a monitor definition (the seven types of
// /api/v0/monitors): its Go form, its wire JSON and its validation. It
// holds no storage and no evaluation: package store keeps a monitor as its
// canonical JSON and package engine evaluates the parsed form.
package monitor

import "slices"

// Monitor types, as the API names them.
const (
	TypeHost             = "host"
	TypeConnectivity     = "connectivity"
	TypeService          = "service"
	TypeExternal         = "external"
	TypeExpression       = "expression"
	TypeAnomalyDetection = "anomalyDetection"
	TypeQuery            = "query"
)

// Types lists the types /api/v0/monitors serves, in the order the list is
// sorted by (type, then name).
var Types = []string{TypeConnectivity, TypeHost, TypeService, TypeExternal, TypeExpression, TypeAnomalyDetection, TypeQuery}

// Header is one request header of an external monitor.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Monitor is one monitor of any type. Fields that a type does not use are
// zero. Pointers distinguish "not given" from zero where the API does.
type Monitor struct {
	ID                   string
	Type                 string
	Name                 string
	Memo                 string
	NotificationInterval int64 // minutes; 0: never re-notify
	IsMute               bool

	// host, service, expression, query: a threshold on a value.
	Metric           string // host, service
	Operator         string // ">" or "<"
	Warning          *float64
	Critical         *float64
	Duration         int64 // host, service: average of the latest N points
	MaxCheckAttempts int64 // host, service, external, anomalyDetection; 0 means the default

	// host, connectivity, anomalyDetection: which hosts are watched.
	Scopes        []string // "Service" or "Service: role"
	ExcludeScopes []string

	// service, external.
	Service                 string
	MissingDurationWarning  int64 // minutes
	MissingDurationCritical int64

	// connectivity.
	AlertStatusOnGone string // "CRITICAL" (default) or "WARNING"

	// external.
	URL                             string
	Method                          string
	ResponseTimeWarning             *float64 // ms
	ResponseTimeCritical            *float64
	ResponseTimeDuration            int64 // minutes
	ContainsString                  string
	CertificationExpirationWarning  *int64 // days
	CertificationExpirationCritical *int64
	SkipCertificateVerification     bool
	FollowRedirect                  bool
	ExpectedStatusCode              *int64
	Headers                         []Header
	RequestBody                     string

	// expression.
	Expression              string
	EvaluateBackwardMinutes *int64

	// anomalyDetection.
	WarningSensitivity  string
	CriticalSensitivity string
	TrainingPeriodFrom  int64

	// query.
	Query  string
	Legend string
}

// Defaults the API applies to what a definition leaves out.
const (
	DefaultConnectivityName        = "connectivity"
	DefaultAlertStatusOnGone       = "CRITICAL"
	DefaultMethod                  = "GET"
	DefaultMaxCheckAttempts        = 1
	DefaultAnomalyMaxCheckAttempts = 3
	// Expression and query monitors read the value this many minutes
	// back when their definition does not say.
	DefaultExpressionBackwardMinutes = 2
	DefaultQueryBackwardMinutes      = 0
)

// Statuses a connectivity monitor may raise when a host goes silent.
const (
	StatusCritical = "CRITICAL"
	StatusWarning  = "WARNING"
)

// KnownType reports whether t is one of Types.
func KnownType(t string) bool { return slices.Contains(Types, t) }

// BackwardMinutes is how many minutes back an expression or query monitor
// reads: its EvaluateBackwardMinutes, or the type's default when unset.
// The default is not written into the definition: the hosted API answers
// a query monitor created without the key without it too.
func (m *Monitor) BackwardMinutes() int64 {
	if m.EvaluateBackwardMinutes != nil {
		return *m.EvaluateBackwardMinutes
	}
	if m.Type == TypeQuery {
		return DefaultQueryBackwardMinutes
	}
	return DefaultExpressionBackwardMinutes
}

// Normalize keeps only the fields of m's type (a definition may carry
// others, which the API ignores) and fills in the defaults the API shows
// in its answers: a connectivity monitor's name and alertStatusOnGone, an
// external monitor's method, and maxCheckAttempts (1; anomalyDetection 3)
// where the type has it. A definition of an unknown type is left alone:
// Validate refuses it.
func (m *Monitor) Normalize() {
	if !KnownType(m.Type) {
		return
	}
	n := Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Memo: m.Memo,
		NotificationInterval: m.NotificationInterval, IsMute: m.IsMute}
	switch m.Type {
	case TypeHost:
		n.Metric, n.Operator, n.Warning, n.Critical = m.Metric, m.Operator, m.Warning, m.Critical
		n.Duration, n.MaxCheckAttempts = m.Duration, m.MaxCheckAttempts
		n.Scopes, n.ExcludeScopes = m.Scopes, m.ExcludeScopes
	case TypeConnectivity:
		n.AlertStatusOnGone = m.AlertStatusOnGone
		n.Scopes, n.ExcludeScopes = m.Scopes, m.ExcludeScopes
		if n.Name == "" {
			n.Name = DefaultConnectivityName
		}
		if n.AlertStatusOnGone == "" {
			n.AlertStatusOnGone = DefaultAlertStatusOnGone
		}
	case TypeService:
		n.Service, n.Metric, n.Operator, n.Warning, n.Critical = m.Service, m.Metric, m.Operator, m.Warning, m.Critical
		n.Duration, n.MaxCheckAttempts = m.Duration, m.MaxCheckAttempts
		n.MissingDurationWarning, n.MissingDurationCritical = m.MissingDurationWarning, m.MissingDurationCritical
	case TypeExternal:
		n.URL, n.Method, n.Service, n.MaxCheckAttempts = m.URL, m.Method, m.Service, m.MaxCheckAttempts
		n.ResponseTimeWarning, n.ResponseTimeCritical, n.ResponseTimeDuration = m.ResponseTimeWarning, m.ResponseTimeCritical, m.ResponseTimeDuration
		n.ContainsString, n.ExpectedStatusCode = m.ContainsString, m.ExpectedStatusCode
		n.CertificationExpirationWarning, n.CertificationExpirationCritical = m.CertificationExpirationWarning, m.CertificationExpirationCritical
		n.SkipCertificateVerification, n.FollowRedirect = m.SkipCertificateVerification, m.FollowRedirect
		n.Headers, n.RequestBody = m.Headers, m.RequestBody
		if n.Method == "" {
			n.Method = DefaultMethod
		}
	case TypeExpression:
		n.Expression, n.Operator, n.Warning, n.Critical = m.Expression, m.Operator, m.Warning, m.Critical
		n.EvaluateBackwardMinutes = m.EvaluateBackwardMinutes
	case TypeAnomalyDetection:
		n.Scopes, n.MaxCheckAttempts = m.Scopes, m.MaxCheckAttempts
		n.WarningSensitivity, n.CriticalSensitivity, n.TrainingPeriodFrom = m.WarningSensitivity, m.CriticalSensitivity, m.TrainingPeriodFrom
	case TypeQuery:
		n.Query, n.Legend, n.Operator, n.Warning, n.Critical = m.Query, m.Legend, m.Operator, m.Warning, m.Critical
		n.EvaluateBackwardMinutes = m.EvaluateBackwardMinutes
	}
	// Lists are never nil once normalized: the wire form always has them
	// (see encode.go), and Decode of "[]" gives an empty list.
	switch n.Type {
	case TypeHost, TypeConnectivity:
		n.Scopes, n.ExcludeScopes = nonNil(n.Scopes), nonNil(n.ExcludeScopes)
	case TypeAnomalyDetection:
		n.Scopes = nonNil(n.Scopes)
	case TypeExternal:
		n.Headers = nonNil(n.Headers)
	}
	if hasMaxCheckAttempts(n.Type) && n.MaxCheckAttempts == 0 {
		n.MaxCheckAttempts = DefaultMaxCheckAttempts
		if n.Type == TypeAnomalyDetection {
			n.MaxCheckAttempts = DefaultAnomalyMaxCheckAttempts
		}
	}
	*m = n
}

func hasMaxCheckAttempts(t string) bool {
	return t == TypeHost || t == TypeService || t == TypeExternal || t == TypeAnomalyDetection
}
