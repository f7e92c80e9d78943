// Package backend is a wire-compatible implementation of the Mackerel API
// v0. Its http.Handler serves local mode in-process (through
// client.NewInProcessTransport) and `mkr serve` over TCP.
//
// The backend is layered, each layer knowing only the ones below it:
//
//   - backend (this package): HTTP. Routes (routes*.go), one file of
//     handlers per resource, request decoding and validation against the
//     limits and rules of package client, and errors (errors.go), which
//     turn typed store errors into the hosted API's status and message
//     from their fields. Handlers hold a store.Store, never a concrete
//     store. Open opens the SQLite store and owns it; New wraps any store.
//   - backend/auth: who may call a served backend (API keys).
//   - backend/engine: the monitoring rules — the check-report state
//     machine, closing alerts by hand or when a host retires, and Advance
//     for time-driven work. Each rule runs in one store transaction
//     (store.Store.InTx) over small store.Tx primitives, so a rejected
//     batch changes nothing.
//   - backend/store: row types, typed errors (store.Error), one interface
//     per resource and store.Store embedding them; no SQL, no rules.
//     store/storetest is the contract suite every implementation passes.
//   - backend/store/sqlite: the SQLite implementation, its schema and
//     migrations.
//
// backend/backendtest builds all of this on a temporary database for the
// tests of any package.
package backend
