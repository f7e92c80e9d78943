package host

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/mkr-dev/mkr/client"
)

// checkHostsWritable looks every id up before the first write of update or
// retire, so a typo among many ids changes nothing and is named. The API's
// bulk endpoints refuse the whole list but say only "Hosts Not Found.", and
// the per-host calls would stop half-way. A host retired or deleted between
// this check and the write is still reported by the write itself.
func checkHostsWritable(ctx context.Context, cl *client.Client, ids []string, verb string) error {
	const parallel = 4 // a few lookups at once; bulk lists hold at most a few dozen ids
	type result struct {
		host *client.Host
		err  error
	}
	results := make([]result, len(ids))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			h, err := cl.FindHost(ctx, id)
			results[i] = result{h, err}
		}()
	}
	wg.Wait()
	var missing, retired []string
	for i, r := range results {
		switch {
		case client.IsNotFound(r.err) || (r.err == nil && r.host == nil):
			missing = append(missing, ids[i])
		case r.err != nil:
			return fmt.Errorf("looking up host %s: %w", ids[i], r.err)
		case r.host.IsRetired:
			retired = append(retired, ids[i])
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, plural(len(missing), "host", "hosts")+" not found: "+strings.Join(missing, ", "))
	}
	if len(retired) > 0 {
		problems = append(problems, plural(len(retired), "host", "hosts")+" already retired: "+strings.Join(retired, ", "))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s (nothing was %s)", strings.Join(problems, "; "), verb)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
