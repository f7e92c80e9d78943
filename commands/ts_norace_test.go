//go:build !race

package commands

// tsRace reports whether the race detector is on (see ts_race_test.go).
const tsRace = false
