//go:build race

package commands

// tsRace reports whether the race detector is on: under it the embedded
// SQLite (transpiled C) runs about 50 times slower.
const tsRace = true
