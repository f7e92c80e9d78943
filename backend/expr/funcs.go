package expr

import "strings"

// argKind is what a function expects at an argument position.
type argKind int

const (
	argSeries      argKind = iota // a nested call
	argHostID                     // a host id
	argMetric                     // a metric name, possibly with * or #
	argService                    // a service name
	argRole                       // "service:role"
	argNumber                     // a number or a fraction
	argPercentage                 // a number strictly between 0 and 100
	argDuration                   // 5m, 1h, 3d, 1w, 3mo, 1y
	argDisplayName                // free text
)

// what names a kind in error messages.
func (k argKind) what() string {
	switch k {
	case argSeries:
		return "a function call such as host(...)"
	case argHostID:
		return "a host id"
	case argMetric:
		return "a metric name"
	case argService:
		return "a service name"
	case argRole:
		return `a role as "service:role"`
	case argNumber:
		return "a number"
	case argPercentage:
		return "a percentage (0 < p < 100)"
	case argDuration:
		return "a duration such as 5m, 1h, 3d, 1w, 3mo or 1y"
	case argDisplayName:
		return "a display name"
	}
	return "an argument"
}

// funcSpec is a function's signature. When variadic, the last kind
// repeats (at least once).
type funcSpec struct {
	args     []argKind
	variadic bool
}

func (s *funcSpec) argKind(i int) argKind {
	if i >= len(s.args) {
		return s.args[len(s.args)-1]
	}
	return s.args[i]
}

// functions are the functions of Mackerel's advanced-graph documentation.
var functions = map[string]*funcSpec{
	"host":             {args: []argKind{argHostID, argMetric}},
	"service":          {args: []argKind{argService, argMetric}},
	"role":             {args: []argKind{argRole, argMetric}},
	"roleSlots":        {args: []argKind{argRole, argMetric}},
	"avg":              {args: []argKind{argSeries}},
	"max":              {args: []argKind{argSeries}},
	"min":              {args: []argKind{argSeries}},
	"sum":              {args: []argKind{argSeries}},
	"product":          {args: []argKind{argSeries}},
	"diff":             {args: []argKind{argSeries, argSeries}},
	"divide":           {args: []argKind{argSeries, argSeries}},
	"scale":            {args: []argKind{argSeries, argNumber}},
	"offset":           {args: []argKind{argSeries, argNumber}},
	"percentile":       {args: []argKind{argSeries, argPercentage}},
	"timeShift":        {args: []argKind{argSeries, argDuration}},
	"movingAverage":    {args: []argKind{argSeries, argDuration}},
	"linearRegression": {args: []argKind{argSeries, argDuration}},
	"timeLeftForecast": {args: []argKind{argSeries, argDuration, argNumber}},
	"group":            {args: []argKind{argSeries}, variadic: true},
	"stack":            {args: []argKind{argSeries}},
	"alias":            {args: []argKind{argSeries, argDisplayName}},
}

// Functions returns the names of the known functions, for help texts.
func Functions() []string {
	return []string{"host", "service", "role", "roleSlots", "avg", "max", "min", "sum", "product",
		"diff", "divide", "scale", "offset", "percentile", "timeShift", "movingAverage",
		"linearRegression", "timeLeftForecast", "group", "stack", "alias"}
}

// roleSlotsSystemMetrics are the system metrics roleSlots can read
// (Mackerel keeps per-role "slots" only for these and custom metrics).
var roleSlotsSystemMetrics = map[string]bool{
	"loadavg5": true, "processor_queue_length": true,
	"cpu.user.percentage": true, "cpu.iowait.percentage": true, "cpu.system.percentage": true,
	"interface.rxBytes.delta": true, "interface.txBytes.delta": true,
	"disk.reads.delta": true, "disk.writes.delta": true,
	"memory.used": true, "memory.cached": true,
	"container.cpu.usage": true, "container.memory.usage": true,
}

// roleSlotsAllows reports whether roleSlots can read metric.
func roleSlotsAllows(metric string) bool {
	return strings.HasPrefix(metric, "custom.") || roleSlotsSystemMetrics[metric]
}

// similarFunction returns a known function spelled like name but for
// case, or "".
func similarFunction(name string) string {
	for f := range functions {
		if strings.EqualFold(f, name) {
			return f
		}
	}
	return ""
}
