package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewKey returns a new random API key ("mkr_" and 43 URL-safe characters)
// and the hash a KeyStore keeps instead of it.
func NewKey() (key, hash string, err error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	key = "mkr_" + base64.RawURLEncoding.EncodeToString(raw[:])
	return key, HashKey(key), nil
}

// HashKey is what a KeyStore stores and looks keys up by: the hex SHA-256
// of the key, so a leaked database leaks no usable key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
