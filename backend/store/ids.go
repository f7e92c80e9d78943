package store

import "crypto/rand"

// idAlphabet is base58 (no 0, O, I, l), like Mackerel's 11-character ids.
const idAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// NewID returns a random 11-character base58 id.
func NewID() string {
	var buf [11]byte
	// Rejection sampling keeps every character uniformly likely.
	out := make([]byte, 0, len(buf))
	for len(out) < len(buf) {
		rand.Read(buf[:])
		for _, b := range buf {
			if int(b) < 256-256%len(idAlphabet) {
				out = append(out, idAlphabet[int(b)%len(idAlphabet)])
				if len(out) == len(buf) {
					break
				}
			}
		}
	}
	return string(out)
}
