package backend

// SetIngestGate gives b's metric posts a gate of active turns and waiting
// places, for tests of admission control.
func SetIngestGate(b *Backend, active, waiting int) {
	*b.ingestGate = *newIngestGate(active, waiting)
}
