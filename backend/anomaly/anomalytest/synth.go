// Package anomalytest makes deterministic synthetic roles for the tests
// and benchmarks of anomaly detection: hosts of one role with a daily
// cycle (busy days, quiet nights, a nightly batch job), as the agent's
// system metrics, and the two anomalies Mackerel's engineers describe
// (memory falling while CPU idles; the load rising with swap).
//
// Every value is a pure function of (seed, host, time): any day of any
// host can be made alone, in any order, and the same call always gives
// the same bits.
package anomalytest

import (
	"math"

	"github.com/mkr-dev/mkr/backend/anomaly"
)

// Injection is an anomaly laid over a host's normal values.
type Injection int

const (
	None Injection = iota
	// MemoryDrop: memory used falls to a third of its usual share (a
	// worker pool died) while the CPU does what it always does.
	MemoryDrop
	// LoadSwap: the host swaps (30 % of swap used) and its load average
	// rises by two per core.
	LoadSwap
)

// Role is a synthetic role: Seed picks its noise, Batch says whether its
// nights hold a batch job (01:00–03:00 UTC: disk writes, iowait and system
// time up, network down), the non-Gaussian swing a single Gaussian fits
// badly.
type Role struct {
	Seed  uint64
	Batch bool
}

// Host constants: 4 cores, 16 GiB of memory, 2 GiB of swap.
const (
	cores    = 4
	memTotal = 16 << 30
	swap     = 2 << 30
	fsSize   = 100 << 30
)

// Activity is the role's daily cycle at t: about 0.1 at night, rising in
// the morning to 1 in the afternoon.
func Activity(t int64) float64 {
	h := float64(t%86400) / 3600
	return 0.1 + 0.9*math.Pow(math.Max(0, math.Sin(math.Pi*(h-7)/16)), 2)
}

// inBatch reports whether t falls in the nightly batch window.
func inBatch(t int64) bool {
	h := (t % 86400) / 3600
	return h >= 1 && h < 3
}

// Values are host h's metrics in the 5-minute bucket starting at t (a
// multiple of 300), with inj laid over them.
func (r Role) Values(h int, t int64, inj Injection) anomaly.Values {
	n := func(i int) float64 { return r.noise(h, t, i) }
	a := math.Max(0.02, Activity(t)*(1+0.05*float64(h%3))+0.04*n(0))
	batch := 0.0
	if r.Batch && inBatch(t) {
		// How much a night's batch has to do varies from night to night
		// (one draw per role and day): consecutive buckets move together,
		// as real loads do.
		batch = math.Max(0.2, 1+0.5*r.noise(-1, t/86400, 0))
	}
	user := 4 + 50*a + 1.5*n(1)
	system := 2 + 8*a + 9*batch + 0.8*n(2)
	iowait := math.Max(0, 0.4+14*batch+0.6*n(3)+0.2*n(4)*batch*5)
	irq := 0.5 + 2*a + 0.1*n(5)
	idle := math.Max(0, 100-user-system-iowait-irq)
	load := 0.1 + 1.1*a + 0.7*batch + 0.08*n(6)
	usedPct := 42 + 9*a + 0.8*n(7)
	cachedPct := 28 - 6*a + 8*batch + 0.7*n(8)
	buffersPct := 2.5 + 0.1*n(9)
	swapUsed := 0.0
	reads := 40 + 600*a + 30*n(10)
	writes := 90 + 250*a + 6000*batch + 20*n(11)
	rx := 2e5 + 8e6*a*(1-0.8*batch) + 1e5*n(12)
	tx := 1e5 + 4e6*a*(1-0.8*batch) + 5e4*n(13)
	switch inj {
	case MemoryDrop:
		usedPct = usedPct / 3
	case LoadSwap:
		load += 2
		swapUsed = 0.3 * swap
	}
	pct := func(p float64) float64 { return math.Max(0, p) * cores } // summed over cores
	used := usedPct / 100 * memTotal
	return anomaly.Values{
		"loadavg1":                     math.Max(0, load+0.05*n(14)) * cores,
		"loadavg5":                     math.Max(0, load) * cores,
		"loadavg15":                    math.Max(0, load-0.03*n(15)) * cores,
		"cpu.user.percentage":          pct(user),
		"cpu.nice.percentage":          0,
		"cpu.system.percentage":        pct(system),
		"cpu.iowait.percentage":        pct(iowait),
		"cpu.irq.percentage":           pct(irq * 0.3),
		"cpu.softirq.percentage":       pct(irq * 0.7),
		"cpu.steal.percentage":         0,
		"cpu.guest.percentage":         0,
		"cpu.idle.percentage":          pct(idle),
		"memory.total":                 memTotal,
		"memory.used":                  used,
		"memory.cached":                cachedPct / 100 * memTotal,
		"memory.buffers":               buffersPct / 100 * memTotal,
		"memory.mem_available":         memTotal - used,
		"memory.free":                  memTotal * math.Max(0, 1-(usedPct+cachedPct+buffersPct)/100),
		"memory.swap_total":            swap,
		"memory.swap_free":             swap - swapUsed,
		"disk.sda.reads.delta":         math.Max(0, reads),
		"disk.sda.writes.delta":        math.Max(0, writes),
		"interface.eth0.rxBytes.delta": math.Max(0, rx),
		"interface.eth0.txBytes.delta": math.Max(0, tx),
		"filesystem.sda1.size":         fsSize,
		"filesystem.sda1.used":         (0.55 + 0.002*n(16)) * fsSize,
	}
}

// Samples are the feature vectors of hosts 0..hosts-1 over the buckets
// of [from, to), host by host.
func (r Role) Samples(hosts int, from, to int64) [][]float64 {
	var out [][]float64
	for h := range hosts {
		for t := from; t < to; t += 300 {
			x, err := anomaly.Extract(r.Values(h, t, None))
			if err != nil {
				panic(err) // the generator always makes every required metric
			}
			out = append(out, x)
		}
	}
	return out
}

// noise is a standard normal value, a pure function of its arguments
// (a hashed counter through Box–Muller).
func (r Role) noise(h int, t int64, i int) float64 {
	u1 := unit(mix(r.Seed, uint64(h), uint64(t), uint64(2*i)))
	u2 := unit(mix(r.Seed, uint64(h), uint64(t), uint64(2*i+1)))
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// mix hashes its words (SplitMix64's finaliser over a running sum).
func mix(words ...uint64) uint64 {
	z := uint64(0x9e3779b97f4a7c15)
	for _, w := range words {
		z ^= w + 0x9e3779b97f4a7c15 + (z << 6) + (z >> 2)
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
	}
	return z
}

// unit maps a hash to (0, 1].
func unit(z uint64) float64 { return (float64(z>>11) + 1) / (1 << 53) }
