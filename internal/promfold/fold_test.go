package promfold

import "testing"

func TestFold(t *testing.T) {
	for _, tt := range []struct {
		name   string
		labels map[string]string
		want   string
		id     string
	}{
		{"up", nil, "up", "up"},
		{"process:cpu", nil, "process_cpu", "process:cpu"},
		{"http_requests_total", map[string]string{"method": "get", "code": "200"},
			"http_requests_total.code_200.method_get", `http_requests_total{code="200",method="get"}`},
		{"req", map[string]string{"a": "x.y"}, "req.a_x_y", `req{a="x.y"}`},
		{"req", map[string]string{"a": "x-y"}, "req.a_x-y", `req{a="x-y"}`},
		{"req", map[string]string{"path": `/a "b"`}, "req.path__a__b_", `req{path="/a \"b\""}`},
		{"bucket", map[string]string{"le": "+Inf"}, "bucket.le__Inf", `bucket{le="+Inf"}`},
		{"名前", map[string]string{"k": "値"}, "__.k__", `名前{k="値"}`},
	} {
		if got := Fold(tt.name, tt.labels); got != tt.want {
			t.Errorf("Fold(%s) = %q, want %q", tt.id, got, tt.want)
		}
		if got := SeriesID(tt.name, tt.labels); got != tt.id {
			t.Errorf("SeriesID = %q, want %q", got, tt.id)
		}
	}
}

func TestWatch(t *testing.T) {
	w := NewWatch()
	steps := []struct {
		name, series string
		want         string
	}{
		{"req.a_x_y", `req{a="x.y"}`, ""},
		{"req.a_x_y", `req{a="x.y"}`, ""}, // the same series again
		{"req.a_x_y", `req{a="x_y"}`, `line 3: req{a="x_y"} and req{a="x.y"} (line 1) both become metric req.a_x_y; their values overwrite each other`},
		{"req.a_x_y", `req{a="x y"}`, ""}, // already warned for this name
		{"plain", "", ""},                 // mackerel input is never checked
	}
	for i, s := range steps {
		if got := w.Check(s.name, s.series, i+1); got != s.want {
			t.Errorf("step %d: Check = %q, want %q", i+1, got, s.want)
		}
	}
}
