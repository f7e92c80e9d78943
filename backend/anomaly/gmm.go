package anomaly

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Component is one Gaussian of a mixture: its weight, mean and full
// covariance (row-major, Dim×Dim), plus what scoring derives from them.
type Component struct {
	Weight float64   `json:"weight"`
	Mean   []float64 `json:"mean"`
	Cov    []float64 `json:"cov"`

	chol    []float64 // lower Cholesky factor L of Cov, row-major
	prec    []float64 // Cov⁻¹, for explanations
	logNorm float64   // log Weight − ½(d log 2π + log det Cov)
}

// Mixture is a Gaussian mixture over standardised samples.
type Mixture struct {
	Components []Component `json:"components"`
}

// EM settings. Reg is added to every covariance's diagonal (in
// standardised units): it keeps a component that collapses onto a
// flat direction invertible and bounds how sharp any component can be,
// so a movement of one floor unit in a metric that never moved costs
// 1/Reg in squared distance, not infinity.
const (
	Reg          = 0.05
	maxIter      = 100
	tolerance    = 1e-4 // on the mean log-likelihood per sample
	kmeansRounds = 10
)

// prepare derives the Cholesky factor, precision and normaliser of each
// component (after training, or after decoding a stored model).
func (m *Mixture) prepare(d int) error {
	for k := range m.Components {
		c := &m.Components[k]
		if len(c.Mean) != d || len(c.Cov) != d*d {
			return fmt.Errorf("component %d: want %d dimensions", k, d)
		}
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(d, append([]float64(nil), c.Cov...))) {
			return fmt.Errorf("component %d: covariance is not positive definite", k)
		}
		var l mat.TriDense
		ch.LTo(&l)
		c.chol = make([]float64, d*d)
		for i := range d {
			for j := 0; j <= i; j++ {
				c.chol[i*d+j] = l.At(i, j)
			}
		}
		var inv mat.SymDense
		if err := ch.InverseTo(&inv); err != nil {
			return fmt.Errorf("component %d: %w", k, err)
		}
		c.prec = make([]float64, d*d)
		for i := range d {
			for j := range d {
				c.prec[i*d+j] = inv.At(i, j)
			}
		}
		c.logNorm = math.Log(c.Weight) - 0.5*(float64(d)*math.Log(2*math.Pi)+ch.LogDet())
	}
	return nil
}

// logDensity is log(Weight·N(x; Mean, Cov)); y is scratch of length d.
func (c *Component) logDensity(x, y []float64) float64 {
	d := len(x)
	// Solve L y = x − μ by forward substitution: |y|² is the squared
	// Mahalanobis distance.
	sq := 0.0
	for i := range d {
		s := x[i] - c.Mean[i]
		row := c.chol[i*d : i*d+i]
		for j, l := range row {
			s -= l * y[j]
		}
		y[i] = s / c.chol[i*d+i]
		sq += y[i] * y[i]
	}
	return c.logNorm - 0.5*sq
}

// logLikelihood is log Σₖ Weightₖ·N(x; Meanₖ, Covₖ), computed with the
// log-sum-exp trick; lp receives each component's term.
func (m *Mixture) logLikelihood(x, y, lp []float64) float64 {
	top := math.Inf(-1)
	for k := range m.Components {
		lp[k] = m.Components[k].logDensity(x, y)
		top = math.Max(top, lp[k])
	}
	s := 0.0
	for k := range m.Components {
		s += math.Exp(lp[k] - top)
	}
	return top + math.Log(s)
}

// fit trains a k-component mixture on x by soft EM, starting from
// k-means++ centres drawn with seed, and returns it with its total
// log-likelihood.
func fit(x [][]float64, k int, seed uint64) (*Mixture, float64, error) {
	n, d := len(x), len(x[0])
	if n < k {
		return nil, 0, errors.New("fewer samples than components")
	}
	resp := kmeansInit(x, k, seed) // n×k responsibilities
	m := &Mixture{Components: make([]Component, k)}
	y, lp := make([]float64, d), make([]float64, k)
	prev := math.Inf(-1)
	ll := 0.0
	for iter := 0; ; iter++ {
		var err error
		if resp, err = mStep(m, x, resp); err != nil {
			return nil, 0, err
		}
		if err := m.prepare(d); err != nil {
			return nil, 0, err
		}
		k = len(m.Components)
		lp = lp[:k]
		ll = 0
		for i, xi := range x {
			total := m.logLikelihood(xi, y, lp)
			ll += total
			r := resp[i*k : i*k+k]
			for j := range k {
				r[j] = math.Exp(lp[j] - total)
			}
		}
		if iter >= maxIter || (ll-prev)/float64(n) < tolerance {
			break
		}
		prev = ll
	}
	return m, ll, nil
}

// mStep sets weights, means and regularised covariances from the
// responsibilities (n×K, row-major), dropping a component that lost all
// its samples; it returns resp compacted to the components kept.
func mStep(m *Mixture, x [][]float64, resp []float64) ([]float64, error) {
	n, d := len(x), len(x[0])
	k := len(resp) / n
	var kept []Component
	keep := make([]int, 0, k)
	for j := range k {
		nk := 0.0
		for i := range n {
			nk += resp[i*k+j]
		}
		if nk < 1 {
			continue // a component with less than one sample's weight
		}
		mean := make([]float64, d)
		for i, xi := range x {
			r := resp[i*k+j]
			for a := range d {
				mean[a] += r * xi[a]
			}
		}
		for a := range d {
			mean[a] /= nk
		}
		cov := make([]float64, d*d)
		diff := make([]float64, d)
		for i, xi := range x {
			r := resp[i*k+j]
			if r < 1e-12 {
				continue
			}
			for a := range d {
				diff[a] = xi[a] - mean[a]
			}
			for a := range d {
				ra := r * diff[a]
				row := cov[a*d : a*d+a+1]
				for b := range row {
					row[b] += ra * diff[b]
				}
			}
		}
		for a := range d {
			for b := 0; b <= a; b++ {
				v := cov[a*d+b] / nk
				cov[a*d+b], cov[b*d+a] = v, v
			}
			cov[a*d+a] += Reg
		}
		kept = append(kept, Component{Weight: nk / float64(n), Mean: mean, Cov: cov})
		keep = append(keep, j)
	}
	if len(kept) == 0 {
		return nil, errors.New("every component lost its samples")
	}
	if len(kept) < k {
		for i := range n {
			for jj, j := range keep {
				resp[i*len(keep)+jj] = resp[i*k+j]
			}
		}
		resp = resp[:n*len(keep)]
	}
	m.Components = kept
	return resp, nil
}

// kmeansInit picks k centres by k-means++ (seeded, so deterministic),
// refines them with a few rounds of Lloyd's algorithm and returns the
// hard assignments as responsibilities.
func kmeansInit(x [][]float64, k int, seed uint64) []float64 {
	n, d := len(x), len(x[0])
	rng := rand.New(rand.NewPCG(seed, 0x616e6f6d616c79)) // "anomaly"
	centres := [][]float64{append([]float64(nil), x[rng.IntN(n)]...)}
	dist := make([]float64, n)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	for len(centres) < k {
		last, total := centres[len(centres)-1], 0.0
		for i, xi := range x {
			dist[i] = math.Min(dist[i], sqDist(xi, last))
			total += dist[i]
		}
		pick := n - 1
		if total > 0 {
			target := rng.Float64() * total
			for i, w := range dist {
				if target -= w; target <= 0 {
					pick = i
					break
				}
			}
		} else {
			pick = rng.IntN(n)
		}
		centres = append(centres, append([]float64(nil), x[pick]...))
	}
	assign := make([]int, n)
	for range kmeansRounds {
		for i, xi := range x {
			best, bestD := 0, math.Inf(1)
			for j, c := range centres {
				if dd := sqDist(xi, c); dd < bestD {
					best, bestD = j, dd
				}
			}
			assign[i] = best
		}
		counts := make([]int, k)
		sums := make([][]float64, k)
		for j := range sums {
			sums[j] = make([]float64, d)
		}
		for i, xi := range x {
			counts[assign[i]]++
			for a := range d {
				sums[assign[i]][a] += xi[a]
			}
		}
		for j := range centres {
			if counts[j] == 0 {
				continue // keep the centre; EM drops it if it stays empty
			}
			for a := range d {
				centres[j][a] = sums[j][a] / float64(counts[j])
			}
		}
	}
	resp := make([]float64, n*k)
	for i, j := range assign {
		resp[i*k+j] = 1
	}
	return resp
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		t := a[i] - b[i]
		s += t * t
	}
	return s
}

// params is the number of free parameters of a k-component mixture with
// full covariances in d dimensions (for BIC).
func params(k, d int) int { return k - 1 + k*(d+d*(d+1)/2) }
