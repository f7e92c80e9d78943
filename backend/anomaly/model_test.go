package anomaly_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/anomaly"
	"github.com/mkr-dev/mkr/backend/anomaly/anomalytest"
)

const day = int64(86400)

// start is a midnight (UTC) far from any edge.
var start = 19800 * day

var role = anomalytest.Role{Seed: 7, Batch: true}

// trained is a model of role trained on a week of three hosts (6,048
// samples), with the given mixture sizes (nil: chosen by BIC). Training
// is the slow part under -race: each model is trained once per process
// and shared (tests only read it).
func trained(t testing.TB, sizes []int) *anomaly.Model {
	t.Helper()
	key := fmt.Sprint(sizes)
	trainedMu.Lock()
	defer trainedMu.Unlock()
	if m := trainedModels[key]; m != nil {
		return m
	}
	m, err := train(sizes)
	if err != nil {
		t.Fatal(err)
	}
	trainedModels[key] = m
	return m
}

func train(sizes []int) (*anomaly.Model, error) {
	return anomaly.Train(role.Samples(3, start, start+7*day), anomaly.Options{Components: sizes, Seed: 1})
}

var (
	trainedMu     sync.Mutex
	trainedModels = map[string]*anomaly.Model{}
)

// worstRun is, over days of normal data after the training week, the
// highest score that three consecutive evaluations of one host all
// reached (what maxCheckAttempts 3 alerts on), and the hour of day it
// ended in.
func worstRun(m *anomaly.Model, days int64) (float64, int64) {
	worst, at := 0.0, int64(-1)
	for h := range 3 {
		var last [3]float64
		for i, t := 0, start+7*day; t < start+(7+days)*day; i, t = i+1, t+300 {
			x, _ := anomaly.Extract(role.Values(h, t, anomalytest.None))
			last[i%3] = m.Score(x).Score
			if i >= 2 {
				if s := min(last[0], last[1], last[2]); s > worst {
					worst, at = s, (t%day)/3600
				}
			}
		}
	}
	return worst, at
}

// memoryDrop is host 1's sample at t with memory used scaled by f.
func memoryDrop(t int64, f float64) []float64 {
	v := role.Values(1, t, anomalytest.None)
	v["memory.used"] *= f
	x, _ := anomaly.Extract(v)
	return x
}

// The role's nights hold a batch job, a regime of its own. The mixture
// gives it a component: a week of normal data never holds three
// evaluations in a row above its sensitive threshold, and a moderate
// anomaly (memory used down by a fifth) is above it. A single Gaussian
// stretched over days and batch nights cannot do both: at its own
// sensitive threshold it misses that anomaly, and any threshold low
// enough to catch it alerts at the nightly swing.
func TestMixtureVersusSingleGaussian(t *testing.T) {
	mixture, single := trained(t, nil), trained(t, []int{1})
	if mixture.Components() < 2 {
		t.Fatalf("BIC chose %d components for a role with two regimes (BIC %v)", mixture.Components(), mixture.BIC)
	}
	anomalous := memoryDrop(start+7*day+10*3600, 0.8) // a morning

	worst, _ := worstRun(mixture, 7)
	thr := mixture.Thresholds[anomaly.Sensitive]
	if worst >= thr {
		t.Errorf("mixture: three evaluations in a row scored %.1f on normal days, above its sensitive threshold %.1f", worst, thr)
	}
	if s := mixture.Score(anomalous).Score; s <= thr {
		t.Errorf("mixture: memory down 20%% scored %.1f, not above its threshold %.1f", s, thr)
	}

	score := single.Score(anomalous).Score
	if thr := single.Thresholds[anomaly.Sensitive]; score > thr {
		t.Errorf("single Gaussian: memory down 20%% scored %.1f, above its sensitive threshold %.1f: the test shows nothing", score, thr)
	}
	worst, hour := worstRun(single, 7)
	if worst <= score {
		t.Errorf("single Gaussian: a threshold catching the anomaly (%.1f) raised no alert on normal days (worst run %.1f)", score, worst)
	}
	if hour < 1 || hour > 3 {
		t.Errorf("single Gaussian: its worst normal run ends at %02d:00, not in the nightly batch (01:00-03:00)", hour)
	}
}

// Both anomalies of the issue are caught at the first evaluation, at
// every hour of the day, and the metric named is the one injected.
func TestInjectedAnomaliesNamed(t *testing.T) {
	m := trained(t, nil)
	cases := []struct {
		inj  anomalytest.Injection
		want []string
	}{
		{anomalytest.MemoryDrop, []string{"memory used"}},
		{anomalytest.LoadSwap, []string{"swap used", "loadavg1 per core", "loadavg5 per core", "loadavg15 per core"}},
	}
	for _, c := range cases {
		for t0 := start + 8*day; t0 < start+9*day; t0 += 3600 {
			for _, sens := range []string{anomaly.Sensitive, anomaly.Normal, anomaly.Insensitive} {
				x, err := anomaly.Extract(role.Values(2, t0, c.inj))
				if err != nil {
					t.Fatal(err)
				}
				v := m.Score(x)
				if v.Score <= m.Thresholds[sens] {
					t.Errorf("injection %d at %02d:00 scored %.1f, not above the %s threshold %.1f", c.inj, t0%day/3600, v.Score, sens, m.Thresholds[sens])
				}
				if name := anomaly.Features[v.Feature].Name; !slices.Contains(c.want, name) {
					t.Errorf("injection %d at %02d:00 names %q (%s), want one of %q", c.inj, t0%day/3600, name, anomaly.Describe(v), c.want)
				}
			}
		}
	}
	x, _ := anomaly.Extract(role.Values(2, start+8*day+15*3600, anomalytest.MemoryDrop))
	v := m.Score(x)
	if got := anomaly.Describe(v); v.Expected < 40 || v.Value > 20 {
		t.Errorf("describe: %s; want memory used near 17%% against about 45%%", got)
	}
}

func TestTooFewSamples(t *testing.T) {
	_, err := anomaly.Train(role.Samples(1, start, start+3*day), anomaly.Options{}) // 864 samples
	var few *anomaly.TooFewError
	if !errors.As(err, &few) || few.Have != 864 || few.Need != anomaly.MinSamples {
		t.Fatalf("err = %v, want too few samples (864 of %d)", err, anomaly.MinSamples)
	}
	if want := "too few samples to train: 864, at least 1000 are needed"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

// The same samples give the same model, bit for bit, and a stored model
// scores exactly as the one trained.
func TestTrainingDeterministic(t *testing.T) {
	a := trained(t, nil)
	b, err := train(nil)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := a.Marshal()
	jb, _ := b.Marshal()
	if !bytes.Equal(ja, jb) {
		t.Fatal("two trainings on the same samples differ")
	}
	back, err := anomaly.Unmarshal(ja)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := anomaly.Extract(role.Values(0, start+9*day, anomalytest.LoadSwap))
	if got, want := back.Score(x), a.Score(x); got != want {
		t.Errorf("decoded model scores %+v, trained one %+v", got, want)
	}
	if _, err := anomaly.Unmarshal([]byte(`{"features":["x"]}`)); err == nil {
		t.Error("a model of other features decoded")
	}
}

func TestExtractMissing(t *testing.T) {
	full := role.Values(0, start, anomalytest.None)
	for _, name := range []string{"loadavg5", "cpu.idle.percentage", "memory.total"} {
		v := role.Values(0, start, anomalytest.None)
		delete(v, name)
		var miss *anomaly.MissingError
		if _, err := anomaly.Extract(v); !errors.As(err, &miss) || miss.Metric != name {
			t.Errorf("without %s: err = %v", name, err)
		}
	}
	// memory.used may be derived from mem_available, as host monitors do.
	v := role.Values(0, start, anomalytest.None)
	delete(v, "memory.used")
	a, err := anomaly.Extract(v)
	b, _ := anomaly.Extract(full)
	if err != nil || a[9] < b[9]-1e-9 || a[9] > b[9]+1e-9 {
		t.Errorf("memory used from mem_available: %v, %v (want %v)", a[9], err, b[9])
	}
	// Optional metrics absent mean none: no disk, interface, swap or filesystem.
	bare := map[string]float64{"loadavg1": 1, "loadavg5": 1, "loadavg15": 1, "cpu.user.percentage": 100,
		"cpu.idle.percentage": 300, "memory.total": 100, "memory.used": 50}
	x, err := anomaly.Extract(bare)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.25, 0.25, 0.25, 25, 0, 0, 0, 0, 75, 50, 0, 0, 0, 0, 0, 0, 0, 0}
	if !slices.Equal(x, want) {
		t.Errorf("bare host: %v, want %v", x, want)
	}
}
