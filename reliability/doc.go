// Package reliability holds tests only: properties that must hold for any
// input or any caller, across the whole backend rather than one handler.
//
//   - Fuzz targets (Go native fuzzing) with seed corpora inline (f.Add) and
//     in testdata/fuzz/<Target>/. Plain `go test` (and so `make test` and CI)
//     runs every seed as a regular test; `make fuzz` runs each target for
//     FUZZTIME (default 60s) to search for new failing inputs.
//   - FuzzWriteRoutes: any method, path, Content-Type and body sent to the
//     write routes of a served backend (anonymous loopback mode, as
//     `mkr serve` runs without keys) is never answered with a 5xx other
//     than 507, every error body is Mackerel's {"error":{"message":…}},
//     and a refused (4xx) request leaves the database exactly as it was.
//   - FuzzThrow: `mkr throw` on any input, in both input formats, never
//     panics and accounts for every line: each one is a blank line or a
//     comment, a value thrown, or a line reported as skipped.
//   - TestAuthMatrix: every route the backend registers (read from the
//     backend's source, so a new route without a row here fails the test)
//     × no key, wrong key, revoked key, read-only key and valid key on a
//     keyed server, plus a foreign Host, a foreign Origin and a text/plain
//     write on an anonymous loopback server: 401, 403, 415 or the route's
//     own answer, and a refused request changes nothing.
//
// Every test runs the real backend on a temporary SQLite database: the
// backend tests on copies of a fixture seeded once per test process
// (fixture_test.go), FuzzThrow on one cmdtest installation.
package reliability
