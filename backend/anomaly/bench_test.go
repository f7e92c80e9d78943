package anomaly_test

import (
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/anomaly"
	"github.com/mkr-dev/mkr/backend/anomaly/anomalytest"
)

var (
	bigRoleOnce sync.Once
	bigRole     [][]float64
)

// bigRoleSamples are 100 hosts × 30 days of a role (864,000 samples),
// made once per process.
func bigRoleSamples() [][]float64 {
	bigRoleOnce.Do(func() { bigRole = role.Samples(100, start, start+30*day) })
	return bigRole
}

// Training a role of 100 hosts × 30 days (thinned to MaxSamples, mixture
// size chosen by BIC among 1–4). Baseline: the same with one Gaussian.
func BenchmarkTrain100Hosts30Days(b *testing.B) {
	x := bigRoleSamples()
	for _, c := range []struct {
		name  string
		sizes []int
	}{{"bic1to4", nil}, {"k1", []int{1}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := anomaly.Train(x, anomaly.Options{Components: c.sizes, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Scoring one host at one evaluation: its metrics' 5-minute means into
// features, then the score and the deviating metric. Baseline: Extract
// alone.
func BenchmarkScorePerHost(b *testing.B) {
	m := trained(b, nil)
	v := role.Values(1, start+8*day+3600, anomalytest.None)
	b.Run("extract", func(b *testing.B) {
		for b.Loop() {
			if _, err := anomaly.Extract(v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("extract+score", func(b *testing.B) {
		for b.Loop() {
			x, _ := anomaly.Extract(v)
			m.Score(x)
		}
	})
}

// The false-positive rate on 30 clean days of 10 hosts after a model
// trained on the 28 days before (alerts: 3 evaluations in a row above
// the threshold, maxCheckAttempts' default, counted per host-day), and
// the detection rate of the two injected anomalies at every hour of 2
// days, for each sensitivity. Reported as metrics, not timed.
func BenchmarkRates(b *testing.B) {
	for b.Loop() {
		m, err := anomaly.Train(role.Samples(10, start, start+28*day), anomaly.Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, sens := range []string{anomaly.Sensitive, anomaly.Normal, anomaly.Insensitive} {
			thr := m.Thresholds[sens]
			alertDays, exceed, evals := 0, 0, 0
			for h := range 10 {
				for d := int64(28); d < 58; d++ {
					run, alerted := 0, false
					for t := start + d*day; t < start+(d+1)*day; t += 300 {
						x, _ := anomaly.Extract(role.Values(h, t, anomalytest.None))
						evals++
						if m.Score(x).Score > thr {
							exceed++
							run++
							alerted = alerted || run >= 3
						} else {
							run = 0
						}
					}
					if alerted {
						alertDays++
					}
				}
			}
			caught, cases := 0, 0
			for _, inj := range []anomalytest.Injection{anomalytest.MemoryDrop, anomalytest.LoadSwap} {
				for t := start + 28*day; t < start+30*day; t += 3600 {
					for h := range 10 {
						x, _ := anomaly.Extract(role.Values(h, t, inj))
						cases++
						if m.Score(x).Score > thr {
							caught++
						}
					}
				}
			}
			b.ReportMetric(float64(exceed)/float64(evals), sens+"-fp/eval")
			b.ReportMetric(float64(alertDays)/300, sens+"-fp-alert/host-day")
			b.ReportMetric(float64(caught)/float64(cases), sens+"-detected")
		}
	}
}
