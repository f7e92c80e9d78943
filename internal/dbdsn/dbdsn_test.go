package dbdsn

import "testing"

func TestIsPostgresAndDisplay(t *testing.T) {
	tests := []struct {
		dsn      string
		postgres bool
		display  string
	}{
		{"postgres://mkr:s3cret@db:5432/mkr?sslmode=require", true, "postgres://[REDACTED]@db:5432/mkr?sslmode=require"},
		{"PostgreSQL://db/mkr", true, "PostgreSQL://db/mkr"},
		{"/var/lib/mkr/mkr.db", false, "/var/lib/mkr/mkr.db"},
		// A file whose name merely contains the scheme stays a file.
		{"./postgres://x", false, "./postgres://x"},
		{"user:pass@file.db", false, "user:pass@file.db"},
	}
	for _, tt := range tests {
		if got := IsPostgres(tt.dsn); got != tt.postgres {
			t.Errorf("IsPostgres(%q) = %v, want %v", tt.dsn, got, tt.postgres)
		}
		if got := Display(tt.dsn); got != tt.display {
			t.Errorf("Display(%q) = %q, want %q", tt.dsn, got, tt.display)
		}
	}
}
