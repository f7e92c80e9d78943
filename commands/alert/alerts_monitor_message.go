package alert

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/mkr-dev/mkr/client"
)

// httpStatusMessage is an external alert's message that is an HTTP status
// code rather than a description of a failure.
var httpStatusMessage = regexp.MustCompile("^[2-5][0-9][0-9]$")

// monitorMessage is the part of an `alerts list` line that names the
// monitor of a non-check alert and what it saw, byte for byte as upstream
// prints it: the monitor's name, then the value against the threshold of
// the alert's status (%.2f). Upstream's quirks are kept so that scripts
// reading the lines keep working: a WARNING or OK external alert omits
// the URL, and an alert whose monitor is gone shows nothing here.
func monitorMessage(a *client.Alert, m *client.Monitor) string {
	if m == nil {
		return ""
	}
	detail := ""
	switch m.Type() {
	case "connectivity", "anomalyDetection":
	case "host":
		detail = thresholdMessage(m.String("metric"), a, m)
	case "service":
		detail = thresholdMessage(m.String("service")+" "+m.String("metric"), a, m)
	case "external":
		detail = externalMessage(a, m)
	case "expression":
		expr := formatExpressionOneLine(m.String("expression"))
		if a.Status == "UNKNOWN" {
			detail = expr
		} else {
			detail = thresholdMessage(expr, a, m)
		}
	default:
		// query and types this mkr does not know: the type, as upstream
		// prints for a type it has no words for.
		detail = m.Type()
	}
	if detail == "" {
		return m.Name()
	}
	return m.Name() + " " + detail
}

// thresholdMessage is "<subject> <value> <op> <threshold>", or without
// the threshold when the alert's status has none.
func thresholdMessage(subject string, a *client.Alert, m *client.Monitor) string {
	var threshold *float64
	switch a.Status {
	case "CRITICAL":
		threshold = m.Float("critical")
	case "WARNING":
		threshold = m.Float("warning")
	}
	if threshold == nil {
		return fmt.Sprintf("%s %.2f", subject, a.Value)
	}
	return fmt.Sprintf("%s %.2f %s %.2f", subject, a.Value, m.String("operator"), *threshold)
}

func externalMessage(a *client.Alert, m *client.Monitor) string {
	isStatus := httpStatusMessage.MatchString(a.Message)
	switch a.Status {
	case "CRITICAL":
		if t := m.Float("responseTimeCritical"); isStatus && t != nil {
			return fmt.Sprintf("%s %.2f > %.2f msec, status:%s", m.String("url"), a.Value, *t, a.Message)
		}
		return fmt.Sprintf("%s %.2f msec, %s", m.String("url"), a.Value, a.Message)
	case "WARNING":
		if t := m.Float("responseTimeWarning"); isStatus && t != nil {
			return fmt.Sprintf("%.2f > %.2f msec, status:%s", a.Value, *t, a.Message)
		}
		return fmt.Sprintf("%.2f msec, %s", a.Value, a.Message)
	}
	return fmt.Sprintf("%.2f msec, status:%s", a.Value, a.Message)
}

var (
	expressionNewlines    = regexp.MustCompile(`\s*[\r\n]+\s*`)
	expressionParenthesis = strings.NewReplacer("( ", "(", " )", ")")
)

// formatExpressionOneLine folds a multi-line expression into one line:
// line breaks and the space around them become one space, and the space
// just inside parentheses goes.
func formatExpressionOneLine(expr string) string {
	expr = strings.TrimSpace(expressionNewlines.ReplaceAllString(expr, " "))
	return expressionParenthesis.Replace(expr)
}
