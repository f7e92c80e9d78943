package monitor

import (
	"github.com/mkr-dev/mkr/backend/internal/invalid"

	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/expr"
)

// Limits of a monitor definition (mackerel-api.md §4.8).
const (
	MaxMemo                 = 2048 // characters
	MinNotificationInterval = 10   // minutes
	MaxAttempts             = 10   // duration, maxCheckAttempts, responseTimeDuration
	MaxMissingDuration      = 7 * 24 * 60
	MaxMetricName           = 255
)

// Operators of threshold monitors: the observed value on the left.
var Operators = []string{">", "<"}

// RateMetrics are the host metrics computed from the agent's metrics,
// in percent: their thresholds must be between 0 and 100.
var RateMetrics = []string{"cpu%", "memory%", "swap%", "disk%", "container-cpu%", "container-memory%"}

// Methods an external monitor may send.
var Methods = []string{"GET", "POST", "PUT", "DELETE"}

// Sensitivities of an anomaly detection monitor.
var Sensitivities = []string{"insensitive", "normal", "sensitive"}

var (
	metricNameRe = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	// Services and roles in scopes: 2–63 of [A-Za-z0-9_-], not starting
	// with - or _ (as the API names them everywhere).
	scopeNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{1,62}$`)
)

// Lookup is what validation needs to know of the rest of the organization.
// Its errors are failures to find out (a broken database), returned as
// they are; only "does not exist" makes a definition invalid.
type Lookup interface {
	// Now is the current time (trainingPeriodFrom may not be later).
	Now() time.Time
	// ServiceExists reports whether the service exists.
	ServiceExists(service string) (bool, error)
	// RoleExists reports whether the role exists in the service.
	RoleExists(service, role string) (bool, error)
}

// Validate checks a normalized definition (see Normalize) against every
// rule of the API and returns the first broken one as an *Error naming
// the field, or an error of lk.
func Validate(m *Monitor, lk Lookup) error {
	v := validator{m: m, lk: lk}
	v.common()
	switch m.Type {
	case TypeHost:
		v.host()
	case TypeConnectivity:
		v.connectivity()
	case TypeService:
		v.service()
	case TypeExternal:
		v.external()
	case TypeExpression:
		v.expression()
	case TypeAnomalyDetection:
		v.anomalyDetection()
	case TypeQuery:
		v.query()
	}
	return v.err
}

// validator keeps the first problem; every check is a no-op after it.
type validator struct {
	m   *Monitor
	lk  Lookup
	err error
}

func (v *validator) check(ok bool, format string, args ...any) {
	if v.err == nil && !ok {
		v.err = errorf(format, args...)
	}
}

func (v *validator) common() {
	m := v.m
	v.check(m.Type != "", "type is required.")
	v.check(m.Type == "" || KnownType(m.Type), "type must be one of %s, not %q.", strings.Join(Types, ", "), m.Type)
	v.check(strings.TrimSpace(m.Name) != "", "name is required.")
	v.check(utf8.RuneCountInString(m.Memo) <= MaxMemo, "memo must be at most %d characters.", MaxMemo)
	v.check(m.NotificationInterval == 0 || m.NotificationInterval >= MinNotificationInterval,
		"notificationInterval must be at least %d (minutes), or omitted for no re-notification.", MinNotificationInterval)
}

func (v *validator) between(field string, n, lo, hi int64) {
	v.check(n >= lo && n <= hi, "%s must be between %d and %d.", field, lo, hi)
}

// threshold checks what host, service, expression and query monitors
// share: an operator and at least one of warning and critical.
func (v *validator) threshold() {
	m := v.m
	v.check(slices.Contains(Operators, m.Operator), `operator must be ">" or "<".`)
	v.check(m.Warning != nil || m.Critical != nil, "warning or critical is required.")
}

func (v *validator) metric(rate bool) {
	m := v.m
	v.check(m.Metric != "", "metric is required.")
	if rate && slices.Contains(RateMetrics, m.Metric) {
		for _, t := range []struct {
			field string
			value *float64
		}{{"warning", m.Warning}, {"critical", m.Critical}} {
			v.check(t.value == nil || (*t.value >= 0 && *t.value <= 100),
				"%s must be between 0 and 100 for %s (a percentage).", t.field, m.Metric)
		}
		return
	}
	v.check(len(m.Metric) <= MaxMetricName && metricNameRe.MatchString(m.Metric),
		"metric %q is not a metric name: use A-Z a-z 0-9 . _ - (at most %d characters).", m.Metric, MaxMetricName)
}

func (v *validator) host() {
	v.metric(true)
	v.threshold()
	v.between("duration", v.m.Duration, 1, MaxAttempts)
	v.between("maxCheckAttempts", v.m.MaxCheckAttempts, 1, MaxAttempts)
	v.scopes("scopes", v.m.Scopes, false)
	v.scopes("excludeScopes", v.m.ExcludeScopes, false)
}

func (v *validator) connectivity() {
	v.check(v.m.AlertStatusOnGone == StatusCritical || v.m.AlertStatusOnGone == StatusWarning,
		"alertStatusOnGone must be CRITICAL or WARNING.")
	v.scopes("scopes", v.m.Scopes, false)
	v.scopes("excludeScopes", v.m.ExcludeScopes, false)
}

func (v *validator) service() {
	m := v.m
	v.check(m.Service != "", "service is required.")
	v.serviceExists()
	v.metric(false)
	v.threshold()
	v.between("duration", m.Duration, 1, MaxAttempts)
	v.between("maxCheckAttempts", m.MaxCheckAttempts, 1, MaxAttempts)
	v.missingDuration("missingDurationWarning", m.MissingDurationWarning)
	v.missingDuration("missingDurationCritical", m.MissingDurationCritical)
}

// missingDuration: minutes, a multiple of 10 up to a week; 0 is unset.
func (v *validator) missingDuration(field string, n int64) {
	v.check(n >= 0 && n%10 == 0 && n <= MaxMissingDuration,
		"%s must be a multiple of 10 (minutes) between 10 and %d (a week).", field, MaxMissingDuration)
}

func (v *validator) serviceExists() {
	if v.err != nil || v.m.Service == "" {
		return
	}
	ok, err := v.lk.ServiceExists(v.m.Service)
	if err != nil {
		v.err = err
		return
	}
	v.check(ok, "unknown service %q.", v.m.Service)
}

func (v *validator) external() {
	m := v.m
	v.check(m.URL != "", "url is required.")
	if v.err == nil {
		u, err := url.Parse(m.URL)
		v.check(err == nil && (u.Scheme == "http" || u.Scheme == "https"), "url must be http or https, not %q.", m.URL)
		v.check(err == nil && u.Host != "", "url %q has no host.", m.URL)
	}
	v.check(slices.Contains(Methods, m.Method), "method must be GET, POST, PUT or DELETE.")
	v.between("maxCheckAttempts", m.MaxCheckAttempts, 1, MaxAttempts)
	v.serviceExists()
	responseTime := m.ResponseTimeWarning != nil || m.ResponseTimeCritical != nil
	v.check(!responseTime || m.Service != "",
		"service is required with responseTimeWarning or responseTimeCritical (the response time is posted to it).")
	for _, t := range []struct {
		field string
		value *float64
	}{{"responseTimeWarning", m.ResponseTimeWarning}, {"responseTimeCritical", m.ResponseTimeCritical}} {
		v.check(t.value == nil || *t.value >= 0, "%s must not be negative.", t.field)
	}
	v.check(!responseTime || m.ResponseTimeDuration != 0,
		"responseTimeDuration is required with responseTimeWarning or responseTimeCritical.")
	if m.ResponseTimeDuration != 0 {
		v.between("responseTimeDuration", m.ResponseTimeDuration, 1, MaxAttempts)
	}
	for _, t := range []struct {
		field string
		value *int64
	}{{"certificationExpirationWarning", m.CertificationExpirationWarning}, {"certificationExpirationCritical", m.CertificationExpirationCritical}} {
		v.check(t.value == nil || *t.value >= 0, "%s must not be negative (days).", t.field)
	}
	v.check(m.ExpectedStatusCode == nil || (*m.ExpectedStatusCode >= 100 && *m.ExpectedStatusCode <= 599),
		"expectedStatusCode must be an HTTP status code (100 to 599).")
	for i, h := range m.Headers {
		v.check(strings.TrimSpace(h.Name) != "", "headers[%d].name is required.", i)
		v.check(validHeaderName(h.Name), "headers[%d].name %q is not an HTTP header name.", i, h.Name)
		v.check(!strings.ContainsAny(h.Value, "\r\n\x00"), "headers[%d].value must not contain line breaks.", i)
	}
}

// validHeaderName: an RFC 9110 token, which is what net/http will send.
func validHeaderName(s string) bool {
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return s != ""
}

func (v *validator) expression() {
	m := v.m
	v.check(strings.TrimSpace(m.Expression) != "", "expression is required.")
	if v.err == nil {
		// A *expr.SyntaxError says where: "syntax error at position 4: …".
		if _, err := expr.Parse(m.Expression); err != nil {
			v.err = errorf("expression: %s", strings.TrimSuffix(err.Error(), ".")+".")
		}
	}
	v.threshold()
	if m.EvaluateBackwardMinutes != nil {
		v.between("evaluateBackwardMinutes", *m.EvaluateBackwardMinutes, 2, 10)
	}
}

func (v *validator) anomalyDetection() {
	m := v.m
	v.check(len(m.Scopes) > 0, "scopes is required: the roles to watch.")
	v.scopes("scopes", m.Scopes, true)
	v.check(m.WarningSensitivity != "" || m.CriticalSensitivity != "",
		"warningSensitivity or criticalSensitivity is required.")
	for _, s := range []struct{ field, value string }{
		{"warningSensitivity", m.WarningSensitivity}, {"criticalSensitivity", m.CriticalSensitivity}} {
		v.check(s.value == "" || slices.Contains(Sensitivities, s.value),
			"%s must be insensitive, normal or sensitive, not %q.", s.field, s.value)
	}
	v.between("maxCheckAttempts", m.MaxCheckAttempts, 1, MaxAttempts)
	v.check(m.TrainingPeriodFrom >= 0, "trainingPeriodFrom must be epoch seconds.")
	if v.err == nil && m.TrainingPeriodFrom > 0 {
		v.check(m.TrainingPeriodFrom <= v.lk.Now().Unix(), "trainingPeriodFrom must not be in the future.")
	}
}

func (v *validator) query() {
	m := v.m
	v.check(strings.TrimSpace(m.Query) != "", "query is required.")
	v.threshold()
	if m.EvaluateBackwardMinutes != nil {
		v.between("evaluateBackwardMinutes", *m.EvaluateBackwardMinutes, 0, 10)
	}
}

// ParseScope splits a scope, "Service" or "Service: role" (the space is
// optional), into its service and role ("" for a whole service).
func ParseScope(scope string) (service, role string, err error) {
	service, role, hasRole := strings.Cut(scope, ":")
	role = strings.TrimSpace(role)
	if !scopeNameRe.MatchString(service) || (hasRole && !scopeNameRe.MatchString(role)) {
		return "", "", fmt.Errorf(`%q is not "Service" or "Service: role"`, scope)
	}
	return service, role, nil
}

// scopes checks that every scope names an existing service or role
// (only roles when rolesOnly).
func (v *validator) scopes(field string, scopes []string, rolesOnly bool) {
	for _, s := range scopes {
		if v.err != nil {
			return
		}
		service, role, err := ParseScope(s)
		if err != nil {
			v.err = errorf("%s: %s.", field, err)
			return
		}
		if rolesOnly && role == "" {
			v.err = errorf(`%s: %q is a service; name a role ("Service: role").`, field, s)
			return
		}
		var ok bool
		if role == "" {
			ok, err = v.lk.ServiceExists(service)
		} else {
			ok, err = v.lk.RoleExists(service, role)
		}
		if err != nil {
			v.err = err
			return
		}
		v.check(ok, "%s: unknown scope %q.", field, s)
	}
}

// IsInvalid reports whether err is a refused definition and returns it.
func IsInvalid(err error) (*Error, bool) { return invalid.As(err) }
