// Package bench holds the benchmarks that run mkr as separate processes
// against `mkr serve` and take minutes: the end-to-end ingest comparison
// with a raw SQLite bulk insert and the simulated-agents load. `make bench`
// runs them once each (-benchtime 1x), apart from the package benchmarks;
// `make test` compiles them and runs nothing.
package bench
