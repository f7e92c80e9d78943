// Package anomaly is the model behind anomalyDetection monitors: feature
// vectors built from the agent's system metrics, per-role
// standardisation, a Gaussian mixture with full covariances trained by
// soft EM, thresholds on the negative log-likelihood taken from the
// training distribution, and the metric that deviates most from what the
// model expects. It reads no store and knows no monitor: package engine
// feeds it samples and applies its verdicts.
package anomaly

import (
	"maps"
	"math"
	"slices"
	"strings"
)

// Values are one host's metrics over one 5-minute bucket: the mean of
// each series by its name as mackerel-agent posts it ("loadavg5",
// "cpu.user.percentage", "memory.used", "disk.sda.reads.delta", …).
type Values map[string]float64

// Feature is one dimension of a sample.
type Feature struct {
	Name string // what the alert calls it
	Unit string // "%" for percentages and ratios shown as such, else ""
	// Floor is the smallest standard deviation the role's standardisation
	// uses, in the feature's own unit: a metric that never moved in
	// training (steal on bare metal, swap never used) must not make the
	// first tiny movement look infinitely unlikely.
	Floor float64
}

// Features are the dimensions, in the order of a sample's values. The
// agent posts cpu.*.percentage summed over cores (400 on 4 idle cores),
// so cpu shares are taken over the sum, and load averages are divided by
// the cores the same sum implies: hosts of one role with different sizes
// still look alike.
var Features = []Feature{
	{"loadavg1 per core", "", 0.05},
	{"loadavg5 per core", "", 0.05},
	{"loadavg15 per core", "", 0.05},
	{"cpu user", "%", 0.5},
	{"cpu system", "%", 0.5},
	{"cpu iowait", "%", 0.5},
	{"cpu steal", "%", 0.5},
	{"cpu irq+softirq", "%", 0.5},
	{"cpu idle", "%", 0.5},
	{"memory used", "%", 0.5},
	{"memory cached", "%", 0.5},
	{"memory buffers", "%", 0.5},
	{"swap used", "%", 0.5},
	{"disk reads (log1p)", "", 0.1},
	{"disk writes (log1p)", "", 0.1},
	{"interface rx bytes (log1p)", "", 0.1},
	{"interface tx bytes (log1p)", "", 0.1},
	{"largest filesystem used", "%", 0.5},
}

// Dim is the number of features.
var Dim = len(Features)

// MissingError says which metric a host lacks for a sample. Only the
// metrics every agent posts are required (load averages, cpu user and
// idle, memory total and used or available); the others have a meaning
// when absent (no disk, no interface, no swap, no steal: zero), so a host
// without them is still scored.
type MissingError struct{ Metric string }

func (e *MissingError) Error() string { return "no value of " + e.Metric }

// Extract turns a bucket's metrics into a sample, or says which required
// metric is missing.
func Extract(v Values) ([]float64, error) {
	for _, name := range []string{"loadavg1", "loadavg5", "loadavg15", "cpu.user.percentage",
		"cpu.idle.percentage", "memory.total"} {
		if _, ok := v[name]; !ok {
			return nil, &MissingError{name}
		}
	}
	// Names in order: floating-point sums depend on the order of their
	// terms, and the same data must give the same model bit for bit.
	names := slices.Sorted(maps.Keys(v))
	cpuTotal := 0.0
	for _, name := range names {
		if strings.HasPrefix(name, "cpu.") && strings.HasSuffix(name, ".percentage") {
			cpuTotal += v[name]
		}
	}
	if cpuTotal <= 0 {
		return nil, &MissingError{"cpu.*.percentage"}
	}
	memTotal := v["memory.total"]
	if memTotal <= 0 {
		return nil, &MissingError{"memory.total"}
	}
	used, ok := v["memory.used"]
	if !ok {
		avail, ok := v["memory.mem_available"]
		if !ok {
			return nil, &MissingError{"memory.used"}
		}
		used = memTotal - avail
	}
	cores := math.Max(cpuTotal/100, 1)
	share := func(name string) float64 { return 100 * v[name] / cpuTotal }
	swap := 0.0
	if total := v["memory.swap_total"]; total > 0 {
		swap = 100 * (total - v["memory.swap_free"]) / total
	}
	var reads, writes, rx, tx, fullest float64
	for _, name := range names {
		x := v[name]
		switch {
		case strings.HasPrefix(name, "disk.") && strings.HasSuffix(name, ".reads.delta"):
			reads += x
		case strings.HasPrefix(name, "disk.") && strings.HasSuffix(name, ".writes.delta"):
			writes += x
		case strings.HasPrefix(name, "interface.") && strings.HasSuffix(name, ".rxBytes.delta"):
			rx += x
		case strings.HasPrefix(name, "interface.") && strings.HasSuffix(name, ".txBytes.delta"):
			tx += x
		case strings.HasPrefix(name, "filesystem.") && strings.HasSuffix(name, ".used"):
			if size := v[strings.TrimSuffix(name, ".used")+".size"]; size > 0 {
				fullest = math.Max(fullest, 100*x/size)
			}
		}
	}
	return []float64{
		v["loadavg1"] / cores, v["loadavg5"] / cores, v["loadavg15"] / cores,
		share("cpu.user.percentage"), share("cpu.system.percentage"), share("cpu.iowait.percentage"),
		share("cpu.steal.percentage"), share("cpu.irq.percentage") + share("cpu.softirq.percentage"),
		share("cpu.idle.percentage"),
		100 * used / memTotal, 100 * v["memory.cached"] / memTotal, 100 * v["memory.buffers"] / memTotal,
		swap,
		log1p(reads), log1p(writes), log1p(rx), log1p(tx),
		fullest,
	}, nil
}

// log1p of a counter's delta; a negative delta (a counter reset) is 0.
func log1p(x float64) float64 { return math.Log1p(math.Max(x, 0)) }

// InputPatterns are the metric names (globs) Extract reads: what a store
// read of a host's inputs asks for.
var InputPatterns = []string{"loadavg*", "cpu.*.percentage", "memory.*", "disk.*.delta",
	"interface.*.delta", "filesystem.*"}

// IsInput reports whether a metric name is one Extract reads.
func IsInput(name string) bool {
	switch {
	case name == "loadavg1", name == "loadavg5", name == "loadavg15":
		return true
	case strings.HasPrefix(name, "cpu.") && strings.HasSuffix(name, ".percentage"):
		return true
	case strings.HasPrefix(name, "memory."):
		return true
	case strings.HasPrefix(name, "disk.") && (strings.HasSuffix(name, ".reads.delta") || strings.HasSuffix(name, ".writes.delta")):
		return true
	case strings.HasPrefix(name, "interface.") && (strings.HasSuffix(name, ".rxBytes.delta") || strings.HasSuffix(name, ".txBytes.delta")):
		return true
	case strings.HasPrefix(name, "filesystem.") && (strings.HasSuffix(name, ".used") || strings.HasSuffix(name, ".size")):
		return true
	}
	return false
}
