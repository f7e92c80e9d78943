// Package monitor is the model of a monitor definition (the seven types of
// /api/v0/monitors): its Go form, its wire JSON and its validation. It
// holds no storage and no evaluation: package store keeps a monitor as its
// canonical JSON and package engine evaluates the parsed form.
package monitor

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
