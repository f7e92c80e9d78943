package metric

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/client"
)

// checkFetchedHostsExist names the host ids that do not exist. The API
// answers every asked id, an unknown one like a host without data (all
// values null), so only those hosts are looked up: a typo is an error,
// not a "null" that reads as "no data yet".
func checkFetchedHostsExist(ctx context.Context, cl *client.Client, hostIDs []string, latest client.LatestMetricValues) error {
	var missing []string
	for _, id := range hostIDs {
		if hasValue(latest[id]) || slices.Contains(missing, id) {
			continue
		}
		_, err := cl.FindHost(ctx, id)
		if client.IsNotFound(err) {
			missing = append(missing, id)
		} else if err != nil {
			return fmt.Errorf("looking up host %s: %w", id, err)
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("host not found: %s", missing[0])
	default:
		return fmt.Errorf("hosts not found: %s", strings.Join(missing, ", "))
	}
}

func hasValue(byName map[string]*client.MetricValue) bool {
	for _, v := range byName {
		if v != nil {
			return true
		}
	}
	return false
}
