package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// IntegrityCheck runs SQLite's integrity and foreign-key checks and
// reports any problem they find (crash tests call it after kill -9).
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.read.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	fk, err := s.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer fk.Close()
	for fk.Next() {
		problems = append(problems, "a row breaks a foreign key")
		break
	}
	if len(problems) > 0 {
		return fmt.Errorf("database integrity: %s", strings.Join(problems, "; "))
	}
	return fk.Err()
}
