package monitor

import (
	"bytes"
	"encoding/json"
)

// The wire form of each type. Keys come in the order of mackerel-client-go
// v0.46.0's struct for the type (id, name, memo, type, isMute,
// notificationInterval, then the type's own keys), so a monitor this
// backend answers looks like one the official client marshals. Which keys
// are always present, and which only when set, was decided key by key:
//
//   - isMute: always. The client omits false, but the hosted API always
//     sends it (a recorded live answer: {"monitor":{…,"isMute":false,…}}).
//   - id, name, type: always (a stored monitor has all three; a
//     connectivity monitor's name defaults to "connectivity").
//   - memo, notificationInterval: only when set, as the client marshals
//     them and as the recorded live answer (no memo) shows.
//   - warning, critical (host, service, expression, query): always, null
//     when unset; the client has no omitempty on them.
//   - connectivity alertStatusOnGone, scopes, excludeScopes: always (the
//     API documents the list item {"alertStatusOnGone":"CRITICAL",
//     "scopes":[],"excludeScopes":[]}); host scopes and excludeScopes:
//     always too, as the same model on the server side (an empty array
//     decodes to the same client value as an absent key).
//   - maxCheckAttempts (host, service, external, anomalyDetection) and an
//     external monitor's method: always, since the API fills in their
//     defaults (1, anomalyDetection 3; GET), as the client's fixtures show.
//   - external headers: always an array (the client has no omitempty and
//     reads null as "unchanged" on update); anomalyDetection scopes: always
//     an array (no omitempty in the client either).
//   - query legend: always, even "" (the recorded live answer has
//     "legend":"").
//   - everything else (duration aside, which Validate requires) only when
//     set, following the client's omitempty: service of an external
//     monitor, response-time and certificate thresholds,
//     responseTimeDuration, expectedStatusCode, containsString,
//     requestBody, skipCertificateVerification and followRedirect when
//     true, missingDuration*, evaluateBackwardMinutes (a given 0 included),
//     warningSensitivity, criticalSensitivity, trainingPeriodFrom.

// headJSON holds the keys every type but connectivity starts with, in the
// client's order; encoding/json writes an embedded struct's keys where it
// is embedded, so the order is kept.
type headJSON struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	Memo                 string `json:"memo,omitempty"`
	Type                 string `json:"type"`
	IsMute               bool   `json:"isMute"`
	NotificationInterval int64  `json:"notificationInterval,omitempty"`
}

func head(m *Monitor) headJSON {
	return headJSON{ID: m.ID, Name: m.Name, Memo: m.Memo, Type: m.Type, IsMute: m.IsMute,
		NotificationInterval: m.NotificationInterval}
}

type hostJSON struct {
	headJSON
	Metric           string   `json:"metric"`
	Operator         string   `json:"operator"`
	Warning          *float64 `json:"warning"`
	Critical         *float64 `json:"critical"`
	Duration         int64    `json:"duration"`
	MaxCheckAttempts int64    `json:"maxCheckAttempts"`
	Scopes           []string `json:"scopes"`
	ExcludeScopes    []string `json:"excludeScopes"`
}

type connectivityJSON struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	Memo                 string   `json:"memo,omitempty"`
	AlertStatusOnGone    string   `json:"alertStatusOnGone"`
	Type                 string   `json:"type"`
	IsMute               bool     `json:"isMute"`
	NotificationInterval int64    `json:"notificationInterval,omitempty"`
	Scopes               []string `json:"scopes"`
	ExcludeScopes        []string `json:"excludeScopes"`
}

type serviceJSON struct {
	headJSON
	Service                 string   `json:"service"`
	Metric                  string   `json:"metric"`
	Operator                string   `json:"operator"`
	Warning                 *float64 `json:"warning"`
	Critical                *float64 `json:"critical"`
	Duration                int64    `json:"duration"`
	MaxCheckAttempts        int64    `json:"maxCheckAttempts"`
	MissingDurationWarning  int64    `json:"missingDurationWarning,omitempty"`
	MissingDurationCritical int64    `json:"missingDurationCritical,omitempty"`
}

type externalJSON struct {
	headJSON
	Method                          string   `json:"method"`
	URL                             string   `json:"url"`
	MaxCheckAttempts                int64    `json:"maxCheckAttempts"`
	Service                         string   `json:"service,omitempty"`
	ResponseTimeCritical            *float64 `json:"responseTimeCritical,omitempty"`
	ResponseTimeWarning             *float64 `json:"responseTimeWarning,omitempty"`
	ResponseTimeDuration            int64    `json:"responseTimeDuration,omitempty"`
	RequestBody                     string   `json:"requestBody,omitempty"`
	ContainsString                  string   `json:"containsString,omitempty"`
	CertificationExpirationCritical *int64   `json:"certificationExpirationCritical,omitempty"`
	CertificationExpirationWarning  *int64   `json:"certificationExpirationWarning,omitempty"`
	SkipCertificateVerification     bool     `json:"skipCertificateVerification,omitempty"`
	FollowRedirect                  bool     `json:"followRedirect,omitempty"`
	ExpectedStatusCode              *int64   `json:"expectedStatusCode,omitempty"`
	Headers                         []Header `json:"headers"`
}

type expressionJSON struct {
	headJSON
	Expression              string   `json:"expression"`
	Operator                string   `json:"operator"`
	Warning                 *float64 `json:"warning"`
	Critical                *float64 `json:"critical"`
	EvaluateBackwardMinutes *int64   `json:"evaluateBackwardMinutes,omitempty"`
}

type anomalyDetectionJSON struct {
	headJSON
	WarningSensitivity  string   `json:"warningSensitivity,omitempty"`
	CriticalSensitivity string   `json:"criticalSensitivity,omitempty"`
	TrainingPeriodFrom  int64    `json:"trainingPeriodFrom,omitempty"`
	MaxCheckAttempts    int64    `json:"maxCheckAttempts"`
	Scopes              []string `json:"scopes"`
}

type queryJSON struct {
	headJSON
	Query                   string   `json:"query"`
	Operator                string   `json:"operator"`
	Warning                 *float64 `json:"warning"`
	Critical                *float64 `json:"critical"`
	Legend                  string   `json:"legend"`
	EvaluateBackwardMinutes *int64   `json:"evaluateBackwardMinutes,omitempty"`
}

// commonJSON is the wire form of a monitor of a type Encode does not know;
// Validate refuses such a monitor, so it is never stored.
type commonJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Encode returns the canonical wire JSON of m: what the API answers and
// what the store keeps. m should be normalized (Normalize) and valid.
// Unlike json.Marshal it leaves < > & unescaped: the hosted API sends
// "operator":">", not "\u003e" (both decode alike; the bytes differ).
func Encode(m *Monitor) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(wire(m)); err != nil {
		// Only strings, finite numbers (Decode refuses others) and
		// slices: encoding cannot fail.
		panic("monitor: encoding: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func wire(m *Monitor) any {
	switch m.Type {
	case TypeHost:
		return hostJSON{headJSON: head(m), Metric: m.Metric, Operator: m.Operator,
			Warning: m.Warning, Critical: m.Critical, Duration: m.Duration, MaxCheckAttempts: m.MaxCheckAttempts,
			Scopes: nonNil(m.Scopes), ExcludeScopes: nonNil(m.ExcludeScopes)}
	case TypeConnectivity:
		return connectivityJSON{ID: m.ID, Name: m.Name, Memo: m.Memo, AlertStatusOnGone: m.AlertStatusOnGone,
			Type: m.Type, IsMute: m.IsMute, NotificationInterval: m.NotificationInterval,
			Scopes: nonNil(m.Scopes), ExcludeScopes: nonNil(m.ExcludeScopes)}
	case TypeService:
		return serviceJSON{headJSON: head(m), Service: m.Service, Metric: m.Metric,
			Operator: m.Operator, Warning: m.Warning, Critical: m.Critical, Duration: m.Duration,
			MaxCheckAttempts: m.MaxCheckAttempts, MissingDurationWarning: m.MissingDurationWarning,
			MissingDurationCritical: m.MissingDurationCritical}
	case TypeExternal:
		return externalJSON{headJSON: head(m), Method: m.Method, URL: m.URL,
			MaxCheckAttempts: m.MaxCheckAttempts, Service: m.Service,
			ResponseTimeCritical: m.ResponseTimeCritical, ResponseTimeWarning: m.ResponseTimeWarning,
			ResponseTimeDuration: m.ResponseTimeDuration, RequestBody: m.RequestBody,
			ContainsString:                  m.ContainsString,
			CertificationExpirationCritical: m.CertificationExpirationCritical,
			CertificationExpirationWarning:  m.CertificationExpirationWarning,
			SkipCertificateVerification:     m.SkipCertificateVerification, FollowRedirect: m.FollowRedirect,
			ExpectedStatusCode: m.ExpectedStatusCode, Headers: nonNil(m.Headers)}
	case TypeExpression:
		return expressionJSON{headJSON: head(m), Expression: m.Expression, Operator: m.Operator,
			Warning: m.Warning, Critical: m.Critical, EvaluateBackwardMinutes: m.EvaluateBackwardMinutes}
	case TypeAnomalyDetection:
		return anomalyDetectionJSON{headJSON: head(m), WarningSensitivity: m.WarningSensitivity,
			CriticalSensitivity: m.CriticalSensitivity, TrainingPeriodFrom: m.TrainingPeriodFrom,
			MaxCheckAttempts: m.MaxCheckAttempts, Scopes: nonNil(m.Scopes)}
	case TypeQuery:
		return queryJSON{headJSON: head(m), Query: m.Query, Operator: m.Operator,
			Warning: m.Warning, Critical: m.Critical, Legend: m.Legend,
			EvaluateBackwardMinutes: m.EvaluateBackwardMinutes}
	}
	return commonJSON{ID: m.ID, Name: m.Name, Type: m.Type}
}
