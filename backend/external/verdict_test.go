package external_test

import (
	"testing"

	"github.com/mkr-dev/mkr/backend/external"
	"github.com/mkr-dev/mkr/backend/monitor"
)

func float64p(v float64) *float64 { return &v }

func TestResponseTimeStatus(t *testing.T) {
	tests := []struct {
		name              string
		warning, critical *float64
		avg               float64
		want              string
	}{
		{"no thresholds", nil, nil, 99999, "OK"},
		{"below both", float64p(500), float64p(1000), 499.9, "OK"},
		{"exactly the warning", float64p(500), float64p(1000), 500, "OK"},
		{"above the warning", float64p(500), float64p(1000), 500.1, "WARNING"},
		{"exactly the critical", float64p(500), float64p(1000), 1000, "WARNING"},
		{"above the critical", float64p(500), float64p(1000), 1000.1, "CRITICAL"},
		{"critical only, above", nil, float64p(1000), 1500, "CRITICAL"},
		{"critical only, below", nil, float64p(1000), 900, "OK"},
		{"warning only, far above", float64p(500), nil, 5000, "WARNING"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &monitor.Monitor{Type: monitor.TypeExternal, ResponseTimeWarning: tt.warning, ResponseTimeCritical: tt.critical, ResponseTimeDuration: 3}
			if got := external.ResponseTimeStatus(m, tt.avg); got != tt.want {
				t.Errorf("ResponseTimeStatus(%v) = %q, want %q", tt.avg, got, tt.want)
			}
		})
	}
}

func TestResponseTimeMetric(t *testing.T) {
	if got := external.ResponseTimeMetric("3XmonABC"); got != "__externalhttp.responcetime.3XmonABC" {
		t.Errorf("ResponseTimeMetric = %q", got)
	}
}
