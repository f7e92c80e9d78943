package engine

import (
	"context"
	"sort"
	"strings"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// A rate metric of a host monitor is computed, at each time where its
// inputs all have a point, from the agent's metrics:
//   - cpu%: the non-idle share of all cpu.*.percentage (the agent posts
//     them summed over cores, so the share normalises across cores);
//   - memory%: memory.used over memory.total (total minus
//     memory.mem_available when an agent posts no memory.used);
//   - swap%: used swap over memory.swap_total;
//   - disk%: the fullest filesystem, filesystem.<fs>.used over .size.
//
// A host whose rate has no defined value (no swap at all, say) is not
// evaluated. container-cpu% and container-memory% need container metrics
// the agent sends only with its container plugin: not evaluated yet.
var rateInputs = map[string]string{
	"cpu%":    "cpu.*.percentage",
	"memory%": "memory.*",
	"swap%":   "memory.swap*",
	"disk%":   "filesystem.*",
}

// hostMetricInputs names the series a host monitor's metric reads (a glob
// pattern for rate metrics).
func hostMetricInputs(metric string) []string {
	if in, ok := rateInputs[metric]; ok {
		return []string{in}
	}
	return []string{metric}
}

// evaluateHost evaluates a host metric monitor on every watched host that
// has fresh data: the average of the latest `duration` values against the
// thresholds. Hosts without enough points, or whose newest point is stale,
// are left as they are.
func (e *Engine) evaluateHost(ctx context.Context, m *monitor.Monitor, snap *snapshot) ([]result, error) {
	input := hostMetricInputs(m.Metric)[0]
	byHost, err := snap.recentPoints(ctx, "host", input)
	if err != nil {
		return nil, err
	}
	n := int(max(min(m.Duration, maxDuration), 1))
	staleBefore := snap.now.Add(-staleData).Unix()
	var out []result
	for _, h := range snap.hosts {
		if !evaluated(h) || !inScope(h, m.Scopes, m.ExcludeScopes) {
			continue
		}
		series := byHost[h.ID]
		if series == nil {
			continue // a monitor watches only hosts that post the metric
		}
		values := hostValues(m.Metric, series)
		if len(values) < n || values[len(values)-1].Time < staleBefore {
			continue
		}
		latest := values[len(values)-n:]
		sum := 0.0
		for _, p := range latest {
			sum += p.Value
		}
		avg := sum / float64(n)
		out = append(out, result{target: h.ID, hostStatus: h.Status, status: judge(m, avg), value: &avg,
			dataAt: latest[n-1].Time, attempts: int(m.MaxCheckAttempts), openable: snap.openable(m, h)})
	}
	return out, nil
}

// hostValues turns a host's input series into the monitored values,
// oldest first.
func hostValues(metric string, series map[string][]store.Point) []store.Point {
	switch metric {
	case "cpu%":
		return rate(series, func(at map[string]float64) (float64, bool) {
			total, idle := 0.0, 0.0
			for name, v := range at {
				total += v
				if name == "cpu.idle.percentage" {
					idle = v
				}
			}
			_, hasIdle := at["cpu.idle.percentage"]
			if total <= 0 || !hasIdle {
				return 0, false
			}
			return 100 * (total - idle) / total, true
		})
	case "memory%":
		return rate(series, func(at map[string]float64) (float64, bool) {
			total, ok := at["memory.total"]
			if !ok || total <= 0 {
				return 0, false
			}
			if used, ok := at["memory.used"]; ok {
				return 100 * used / total, true
			}
			if avail, ok := at["memory.mem_available"]; ok {
				return 100 * (total - avail) / total, true
			}
			return 0, false
		})
	case "swap%":
		return rate(series, func(at map[string]float64) (float64, bool) {
			total, ok := at["memory.swap_total"]
			free, ok2 := at["memory.swap_free"]
			if !ok || !ok2 || total <= 0 {
				return 0, false
			}
			return 100 * (total - free) / total, true
		})
	case "disk%":
		return rate(series, func(at map[string]float64) (float64, bool) {
			fullest, any := 0.0, false
			for name, used := range at {
				fs, ok := strings.CutSuffix(name, ".used")
				if !ok {
					continue
				}
				size, ok := at[fs+".size"]
				if !ok || size <= 0 {
					continue
				}
				fullest, any = max(fullest, 100*used/size), true
			}
			return fullest, any
		})
	}
	for _, pts := range series {
		return pts // one plain metric: one series
	}
	return nil
}

// rate computes f at every time any input has a point, oldest first,
// keeping the times where f is defined.
func rate(series map[string][]store.Point, f func(at map[string]float64) (float64, bool)) []store.Point {
	byTime := map[int64]map[string]float64{}
	for name, pts := range series {
		for _, p := range pts {
			if byTime[p.Time] == nil {
				byTime[p.Time] = map[string]float64{}
			}
			byTime[p.Time][name] = p.Value
		}
	}
	times := make([]int64, 0, len(byTime))
	for t := range byTime {
		times = append(times, t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	var out []store.Point
	for _, t := range times {
		if v, ok := f(byTime[t]); ok {
			out = append(out, store.Point{Time: t, Value: v})
		}
	}
	return out
}
