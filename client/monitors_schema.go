package client

// The layout of each monitor type as mackerel-client-go v0.46.0 marshals it:
// field order, omitempty and Go types. Upstream mkr prints monitors through
// those structs, so `mkr monitors` and `monitors pull` follow this table to
// print the same bytes. Fields a type does not list (newer API fields) are
// kept and printed after the listed ones; types not listed here are kept
// verbatim.

// fieldKind is the Go type of a field in mackerel-client-go's struct, which
// decides both what a value may be and when omitempty drops it.
type fieldKind int

const (
	kindString      fieldKind = iota // string,omitempty: "" is dropped
	kindBool                         // bool,omitempty: false is dropped
	kindUint                         // uint64,omitempty: 0 is dropped; negative or fractional is an error
	kindFloatNull                    // *float64 without omitempty: absent prints null
	kindFloatPtr                     // *float64,omitempty: absent is dropped, 0 is kept
	kindUintPtr                      // *uint64,omitempty
	kindIntPtr                       // *int,omitempty
	kindStrings                      // []string,omitempty: null and [] are dropped
	kindStringsNull                  // []string without omitempty: absent prints null
	kindHeaders                      // []HeaderField without omitempty
)

type schemaField struct {
	name string
	kind fieldKind
}

// commonHead are the first fields of every type but connectivity, whose
// alertStatusOnGone sits between memo and type.
var commonHead = []schemaField{
	{"id", kindString}, {"name", kindString}, {"memo", kindString},
	{"type", kindString}, {"isMute", kindBool}, {"notificationInterval", kindUint},
}

func withHead(rest ...schemaField) []schemaField {
	return append(append([]schemaField{}, commonHead...), rest...)
}

// monitorSchemas maps a monitor type to its fields in client order.
var monitorSchemas = map[string][]schemaField{
	"connectivity": {
		{"id", kindString}, {"name", kindString}, {"memo", kindString},
		{"alertStatusOnGone", kindString},
		{"type", kindString}, {"isMute", kindBool}, {"notificationInterval", kindUint},
		{"scopes", kindStrings}, {"excludeScopes", kindStrings},
	},
	"host": withHead(
		schemaField{"metric", kindString}, schemaField{"operator", kindString},
		schemaField{"warning", kindFloatNull}, schemaField{"critical", kindFloatNull},
		schemaField{"duration", kindUint}, schemaField{"maxCheckAttempts", kindUint},
		schemaField{"scopes", kindStrings}, schemaField{"excludeScopes", kindStrings},
	),
	"service": withHead(
		schemaField{"service", kindString}, schemaField{"metric", kindString},
		schemaField{"operator", kindString},
		schemaField{"warning", kindFloatNull}, schemaField{"critical", kindFloatNull},
		schemaField{"duration", kindUint}, schemaField{"maxCheckAttempts", kindUint},
		schemaField{"missingDurationWarning", kindUint}, schemaField{"missingDurationCritical", kindUint},
	),
	"external": withHead(
		schemaField{"method", kindString}, schemaField{"url", kindString},
		schemaField{"maxCheckAttempts", kindUint}, schemaField{"service", kindString},
		schemaField{"responseTimeCritical", kindFloatPtr}, schemaField{"responseTimeWarning", kindFloatPtr},
		schemaField{"responseTimeDuration", kindUintPtr},
		schemaField{"requestBody", kindString}, schemaField{"containsString", kindString},
		schemaField{"certificationExpirationCritical", kindUintPtr},
		schemaField{"certificationExpirationWarning", kindUintPtr},
		schemaField{"skipCertificateVerification", kindBool}, schemaField{"followRedirect", kindBool},
		schemaField{"expectedStatusCode", kindIntPtr},
		schemaField{"headers", kindHeaders},
	),
	"expression": withHead(
		schemaField{"expression", kindString}, schemaField{"operator", kindString},
		schemaField{"warning", kindFloatNull}, schemaField{"critical", kindFloatNull},
		schemaField{"evaluateBackwardMinutes", kindUintPtr},
	),
	"anomalyDetection": withHead(
		schemaField{"warningSensitivity", kindString}, schemaField{"criticalSensitivity", kindString},
		schemaField{"trainingPeriodFrom", kindUint}, schemaField{"maxCheckAttempts", kindUint},
		schemaField{"scopes", kindStringsNull},
	),
	"query": withHead(
		schemaField{"query", kindString}, schemaField{"operator", kindString},
		schemaField{"warning", kindFloatNull}, schemaField{"critical", kindFloatNull},
		schemaField{"legend", kindString}, schemaField{"evaluateBackwardMinutes", kindUintPtr},
	),
}

// KnownMonitorType reports whether t is one of the seven monitor types
// this client knows the layout of.
func KnownMonitorType(t string) bool {
	_, ok := monitorSchemas[t]
	return ok
}
