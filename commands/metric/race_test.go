//go:build race

package metric_test

// raceEnabled reports whether the race detector is on: under it the
// embedded SQLite (transpiled C) runs about 50 times slower.
const raceEnabled = true
