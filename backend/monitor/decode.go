package monitor

import (
	"encoding/json"

	"github.com/mkr-dev/mkr/backend/internal/jsonfield"
)

// Decode parses a monitor definition from its wire JSON, as tolerantly as
// the hosted API: unknown and read-only keys are ignored, null is the same
// as an absent key, and keys that the definition's type does not have are
// read but dropped by Normalize. A value of the wrong JSON type is an
// *Error naming the key ("duration must be a whole number.").
//
// Decode checks shapes, not rules: a missing name or a duration of 11 is
// Validate's business. It also accepts a definition without "type", which
// PUT may omit (see Merge).
func Decode(body []byte) (*Monitor, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, errorf("A monitor must be a JSON object.")
	}
	return DecodeFields(fields)
}

// DecodeFields is Decode of an already parsed JSON object.
func DecodeFields(fields map[string]json.RawMessage) (*Monitor, error) {
	d := jsonfield.Decoder{Fields: fields}
	m := &Monitor{}
	d.Str("id", &m.ID)
	d.Str("type", &m.Type)
	d.Str("name", &m.Name)
	d.Str("memo", &m.Memo)
	d.Integer("notificationInterval", &m.NotificationInterval)
	d.Boolean("isMute", &m.IsMute)

	d.Str("metric", &m.Metric)
	d.Str("operator", &m.Operator)
	m.Warning = d.OptNumber("warning")
	m.Critical = d.OptNumber("critical")
	d.Integer("duration", &m.Duration)
	d.Integer("maxCheckAttempts", &m.MaxCheckAttempts)
	m.Scopes = d.Strings("scopes")
	m.ExcludeScopes = d.Strings("excludeScopes")

	d.Str("service", &m.Service)
	d.Integer("missingDurationWarning", &m.MissingDurationWarning)
	d.Integer("missingDurationCritical", &m.MissingDurationCritical)

	d.Str("alertStatusOnGone", &m.AlertStatusOnGone)

	d.Str("url", &m.URL)
	d.Str("method", &m.Method)
	m.ResponseTimeWarning = d.OptNumber("responseTimeWarning")
	m.ResponseTimeCritical = d.OptNumber("responseTimeCritical")
	if p := d.OptInteger("responseTimeDuration"); p != nil {
		m.ResponseTimeDuration = *p
	}
	d.Str("containsString", &m.ContainsString)
	m.CertificationExpirationWarning = d.OptInteger("certificationExpirationWarning")
	m.CertificationExpirationCritical = d.OptInteger("certificationExpirationCritical")
	d.Boolean("skipCertificateVerification", &m.SkipCertificateVerification)
	d.Boolean("followRedirect", &m.FollowRedirect)
	m.ExpectedStatusCode = d.OptInteger("expectedStatusCode")
	m.Headers = headers(&d, "headers")
	d.Str("requestBody", &m.RequestBody)

	d.Str("expression", &m.Expression)
	m.EvaluateBackwardMinutes = d.OptInteger("evaluateBackwardMinutes")

	d.Str("warningSensitivity", &m.WarningSensitivity)
	d.Str("criticalSensitivity", &m.CriticalSensitivity)
	d.Integer("trainingPeriodFrom", &m.TrainingPeriodFrom)

	d.Str("query", &m.Query)
	d.Str("legend", &m.Legend)
	if d.Problem != "" {
		return nil, errorf("%s", d.Problem)
	}
	return m, nil
}

// headers reads an external monitor's headers. Absent and null give nil
// ("not given": PUT keeps the current headers); [] gives an empty,
// non-nil slice ("none": PUT clears them).
func headers(d *jsonfield.Decoder, key string) []Header {
	if d.Raw(key) == nil {
		return nil
	}
	out := []Header{}
	d.Objects(key, `{"name","value"}`, func(_ int, item *jsonfield.Decoder) {
		var h Header
		item.Str("name", &h.Name)
		item.Str("value", &h.Value)
		out = append(out, h)
	})
	if d.Problem != "" {
		return nil
	}
	return out
}
