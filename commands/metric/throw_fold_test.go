package metric_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestThrowPrometheusFoldCollision: two series that fold into one metric
// name are stored (as before) but named in a warning, once per name.
func TestThrowPrometheusFoldCollision(t *testing.T) {
	input := strings.Join([]string{
		fmt.Sprintf(`req{a="x.y"} 1 %d`, hourAgo),
		fmt.Sprintf(`req{a="x_y"} 2 %d`, hourAgo+60),
		fmt.Sprintf(`req{a="x.y"} 3 %d`, hourAgo+120), // the first series again: no warning
		fmt.Sprintf(`req{a="x y"} 4 %d`, hourAgo+180), // a third series: already warned
		fmt.Sprintf(`process:cpu 5 %d`, hourAgo),
		fmt.Sprintf(`process_cpu 6 %d`, hourAgo+60),
		fmt.Sprintf(`req{a="x-y"} 7 %d`, hourAgo), // "-" is kept: a name of its own
		"",
	}, "\n")
	for _, tty := range []bool{false, true} {
		e := cmdtest.New(t)
		e.SeedService("blog")
		r := e.RunWith(cmdtest.RunOpts{TTY: tty, Stdin: input}, "throw", "-s", "blog", "--input", "prometheus")
		e.Check(r, cmdtest.Want{Stderr: cmdtest.LogLine(tty, "warning", `line 2: req{a="x_y"} and req{a="x.y"} (line 1) both become metric req.a_x_y; their values overwrite each other`) +
			cmdtest.LogLine(tty, "warning", `line 6: process_cpu and process:cpu (line 5) both become metric process_cpu; their values overwrite each other`) +
			cmdtest.LogLine(tty, "thrown", "7 values to blog")})
		want := []store.Point{{Time: hourAgo, Value: 1}, {Time: hourAgo + 60, Value: 2}, {Time: hourAgo + 120, Value: 3}, {Time: hourAgo + 180, Value: 4}}
		if got := points(e, store.ServiceSeries("blog", "req.a_x_y")); !reflect.DeepEqual(got, want) {
			t.Errorf("req.a_x_y = %v, want %v", got, want)
		}
	}
}
