package anomaly

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Sensitivities, as anomalyDetection monitors name them, and the share
// of training samples each lets through: an alert needs a score beyond
// the 99.9 %, 99.99 % or 99.999 % quantile of the training scores.
const (
	Sensitive   = "sensitive"
	Normal      = "normal"
	Insensitive = "insensitive"
)

var quantiles = map[string]float64{Sensitive: 0.999, Normal: 0.9999, Insensitive: 0.99999}

// Training limits.
const (
	// MinSamples: fewer 5-minute samples than this (about 3.5 days of one
	// host, or a day of four) is too little to know a role's normal.
	MinSamples = 1000
	// MaxSamples bounds training's cost: a larger set is thinned to this
	// many by a seeded draw (100 hosts × 30 days is 864,000 samples).
	MaxSamples = 20000
	// samplesPerParam: a K-component mixture is tried only when there
	// are this many samples per free parameter, so a small role never
	// gets a mixture it cannot estimate.
	samplesPerParam = 5
	// tailFrom is the quantile beyond which the score's tail is fitted.
	tailFrom = 0.99
)

// DefaultComponents are the mixture sizes training tries, choosing one by
// BIC: a role with one regime (a batch box) gets one Gaussian, a role with
// a day and a night gets two or more. Four is the most: beyond it the
// covariances (171 numbers each) want more data than weeks of a small
// role hold.
var DefaultComponents = []int{1, 2, 3, 4}

// Options tune Train. The zero value is the default.
type Options struct {
	Components []int  // sizes to try (DefaultComponents when empty)
	Seed       uint64 // seeds the thinning and the k-means++ start
}

// TooFewError is Train's answer to a role without enough samples.
type TooFewError struct{ Have, Need int }

func (e *TooFewError) Error() string {
	return fmt.Sprintf("too few samples to train: %d, at least %d are needed", e.Have, e.Need)
}

// Model is a trained role: how to standardise a sample, the mixture over
// standardised samples, and the score thresholds by sensitivity.
type Model struct {
	Features   []string           `json:"features"`
	Mean       []float64          `json:"mean"`
	Std        []float64          `json:"std"`
	Mixture    Mixture            `json:"mixture"`
	Thresholds map[string]float64 `json:"thresholds"`
	Samples    int                `json:"samples"` // used in training (after thinning)
	// BIC of each mixture size tried, by size: why this one was chosen.
	BIC map[int]float64 `json:"bic"`
}

// Train fits a model to samples (each of Dim values, as Extract makes
// them), in any order. It fails with *TooFewError below MinSamples.
func Train(samples [][]float64, opts Options) (*Model, error) {
	if len(samples) < MinSamples {
		return nil, &TooFewError{Have: len(samples), Need: MinSamples}
	}
	x := thin(samples, MaxSamples, opts.Seed)
	d := len(x[0])
	m := &Model{Samples: len(x), BIC: map[int]float64{}}
	for _, f := range Features {
		m.Features = append(m.Features, f.Name)
	}
	m.Mean, m.Std = standardisation(x)
	z := make([][]float64, len(x))
	for i, xi := range x {
		z[i] = m.standardise(xi)
	}
	sizes := opts.Components
	if len(sizes) == 0 {
		sizes = DefaultComponents
	}
	best := math.Inf(1)
	for _, k := range sizes {
		if k > 1 && len(x) < samplesPerParam*params(k, d) {
			continue
		}
		mix, ll, err := fit(z, k, opts.Seed)
		if err != nil {
			return nil, fmt.Errorf("training %d components: %w", k, err)
		}
		k = len(mix.Components) // EM may have dropped empty ones
		bic := -2*ll + float64(params(k, d))*math.Log(float64(len(x)))
		m.BIC[k] = bic
		if bic < best {
			best, m.Mixture = bic, *mix
		}
	}
	scores := make([]float64, len(z))
	y, lp := make([]float64, d), make([]float64, len(m.Mixture.Components))
	for i, zi := range z {
		scores[i] = -m.Mixture.logLikelihood(zi, y, lp)
	}
	m.Thresholds = thresholds(scores)
	return m, nil
}

// Components is the number of Gaussians of the mixture.
func (m *Model) Components() int { return len(m.Mixture.Components) }

// thin keeps at most limit samples and returns them in a canonical
// (lexicographic) order, so the model depends on the samples and not on
// the order the caller read hosts in (their ids differ between two
// stores holding the same data). Which samples are kept is decided by a
// seeded hash of each one's values — the smallest hashes win — which is
// as good as a random draw, independent of order, and cheaper than
// sorting the whole set (864,000 samples for 100 hosts × 30 days);
// spacing them evenly instead would alias with the daily cycle.
func thin(samples [][]float64, limit int, seed uint64) [][]float64 {
	kept := samples
	if len(samples) > limit {
		type hashed struct {
			h uint64
			x []float64
		}
		hs := make([]hashed, len(samples))
		for i, x := range samples {
			hs[i] = hashed{hashValues(x, seed), x}
		}
		slices.SortFunc(hs, func(a, b hashed) int {
			if a.h != b.h {
				return cmp.Compare(a.h, b.h)
			}
			return slices.Compare(a.x, b.x)
		})
		kept = make([][]float64, limit)
		for i := range kept {
			kept[i] = hs[i].x
		}
	} else {
		kept = slices.Clone(samples)
	}
	slices.SortFunc(kept, slices.Compare)
	return kept
}

// hashValues is FNV-1a over the values' bits, seeded.
func hashValues(x []float64, seed uint64) uint64 {
	h := uint64(14695981039346656037) ^ seed
	for _, v := range x {
		b := math.Float64bits(v)
		for range 8 {
			h ^= b & 0xff
			h *= 1099511628211
			b >>= 8
		}
	}
	return h
}

// standardisation returns each feature's mean and standard deviation,
// the latter at least the feature's floor.
func standardisation(x [][]float64) (mean, std []float64) {
	d, n := len(x[0]), float64(len(x))
	mean, std = make([]float64, d), make([]float64, d)
	for _, xi := range x {
		for a, v := range xi {
			mean[a] += v
		}
	}
	for a := range mean {
		mean[a] /= n
	}
	for _, xi := range x {
		for a, v := range xi {
			std[a] += (v - mean[a]) * (v - mean[a])
		}
	}
	for a := range std {
		std[a] = math.Max(math.Sqrt(std[a]/n), Features[a].Floor)
	}
	return mean, std
}

func (m *Model) standardise(x []float64) []float64 {
	z := make([]float64, len(x))
	for a, v := range x {
		z[a] = (v - m.Mean[a]) / m.Std[a]
	}
	return z
}

// thresholds maps each sensitivity to a score threshold. The empirical
// quantile is only trustworthy well inside the data (20,000 samples hold
// 0.2 beyond 99.999 %), so the tail beyond the 99 % quantile u is
// modelled as exponential, the shape a Gaussian mixture's negative
// log-likelihood has far out (it is half a χ² there), with its scale β
// the mean excess over u: the q-quantile is u + β·ln(0.01/(1−q)).
func thresholds(scores []float64) map[string]float64 {
	s := slices.Clone(scores)
	slices.Sort(s)
	u := s[int(tailFrom*float64(len(s)-1))]
	sum, n := 0.0, 0
	for _, v := range s {
		if v > u {
			sum, n = sum+v-u, n+1
		}
	}
	beta := 0.5 // a floor: a tail that flat is an artefact of a tiny set
	if n > 0 {
		beta = math.Max(sum/float64(n), beta)
	}
	out := map[string]float64{}
	for name, q := range quantiles {
		out[name] = u + beta*math.Log((1-tailFrom)/(1-q))
	}
	return out
}

// Verdict is a sample's score and what deviates most in it.
type Verdict struct {
	Score    float64 // negative log-likelihood of the standardised sample
	Feature  int     // index in Features of the metric that deviates most
	Value    float64 // its value, in the feature's unit
	Expected float64 // what the model expects given the other metrics
	Z        float64 // how many standard deviations apart they are
}

// Score scores a sample (as Extract makes it). The deviating metric is
// read under the component most responsible for the sample: for each
// feature, its standardised residual given all the others (the
// component's precision P: rⱼ = (P·(z−μ))ⱼ / √Pⱼⱼ), the largest in size
// wins. Conditioning on the others is what names memory, not CPU, when
// memory falls while CPU idles as usual.
func (m *Model) Score(x []float64) Verdict {
	d := len(x)
	z := m.standardise(x)
	y, lp := make([]float64, d), make([]float64, len(m.Mixture.Components))
	nll := -m.Mixture.logLikelihood(z, y, lp)
	top := 0
	for k := range lp {
		if lp[k] > lp[top] {
			top = k
		}
	}
	c := &m.Mixture.Components[top]
	v := Verdict{Score: nll}
	best := -1.0
	for j := range d {
		pr := 0.0
		for a := range d {
			pr += c.prec[j*d+a] * (z[a] - c.Mean[a])
		}
		pjj := c.prec[j*d+j]
		if r := math.Abs(pr) / math.Sqrt(pjj); r > best {
			best = r
			v.Feature, v.Z = j, pr/math.Sqrt(pjj)
			v.Value = x[j]
			v.Expected = m.Mean[j] + m.Std[j]*(z[j]-pr/pjj)
		}
	}
	return v
}

// Describe says what deviates in a verdict: "memory used 21.3% (expected
// about 61.8%)".
func Describe(v Verdict) string {
	f := Features[v.Feature]
	return fmt.Sprintf("%s %s%s (expected about %s%s)", f.Name, num(v.Value), f.Unit, num(v.Expected), f.Unit)
}

func num(v float64) string {
	if math.Abs(v) < 1e-9 {
		v = 0 // an expectation of exactly nothing, less rounding error
	}
	return fmt.Sprintf("%.3g", v)
}

// Marshal encodes a model for storage.
func (m *Model) Marshal() ([]byte, error) { return json.Marshal(m) }

// Unmarshal decodes a stored model and prepares it for scoring.
func Unmarshal(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if !slices.Equal(m.Features, featureNames()) {
		return nil, errors.New("the model was trained on other features")
	}
	if len(m.Mixture.Components) == 0 || len(m.Mean) != Dim || len(m.Std) != Dim {
		return nil, errors.New("the model is incomplete")
	}
	if err := m.Mixture.prepare(Dim); err != nil {
		return nil, err
	}
	return &m, nil
}

func featureNames() []string {
	out := make([]string, len(Features))
	for i, f := range Features {
		out[i] = f.Name
	}
	return out
}
