package metric_test

// What throw's summary says about the values the server did not store
// (#12 item 3): refused as too old or for a retired host, counted by
// reason; all refused is a failure; a server that does not report counts
// (the hosted API) is not taken to have stored anything in particular.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestThrowSummaryRefused(t *testing.T) {
	old := cmdtest.Epoch.Unix() - 25*3600
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t)
			e.SeedService("blog")
			live := seedHost(e, "web01")
			gone := seedHost(e, "gone")
			if err := e.API().RetireHost(context.Background(), gone); err != nil {
				t.Fatal(err)
			}
			e.Names["live"], e.Names["gone"] = live, gone
			in := func(s string) cmdtest.RunOpts {
				return cmdtest.RunOpts{TTY: tty, Stdin: expand(s, "")}
			}
			oldLine := "old 1 " + itoa(old) + "\n"

			// Some too old: exit 0, counted.
			e.CheckT(t, e.RunWith(in("a 1 {T}\n"+oldLine+"broken\nb 2 {T}\n"+oldLine), "throw", "-s", "blog"), cmdtest.Want{
				Stderr: cmdtest.LogLine(tty, "warning", `line 3: expected "name value epoch", got 1 fields; skipped`) +
					cmdtest.LogLine(tty, "thrown", "4 values to blog (1 lines skipped): 2 stored; refused 2 too old (over 24 h)"),
			})
			// All too old: exit 1.
			e.CheckT(t, e.RunWith(in(oldLine+oldLine), "throw", "-s", "blog"), cmdtest.Want{
				Code:   1,
				Stderr: cmdtest.LogLine(tty, "error", "none of 2 values thrown to blog was stored; refused 2 too old (over 24 h)"),
			})
			// A retired host: every value refused, whatever its age.
			e.CheckT(t, e.RunWith(in("a 1 {T}\n"+oldLine+"x\n"), "throw", "-H", "{gone}"), cmdtest.Want{
				Code: 1,
				Stderr: cmdtest.LogLine(tty, "warning", `line 3: expected "name value epoch", got 1 fields; skipped`) +
					cmdtest.LogLine(tty, "error", "none of 2 values thrown to {gone} was stored (1 lines skipped); refused 2 for a retired host"),
			})
			// A live host: the old value only.
			e.CheckT(t, e.RunWith(in("a 1 {T}\n"+oldLine), "throw", "-H", "{live}"), cmdtest.Want{
				Stderr: cmdtest.LogLine(tty, "thrown", "2 values to {live}: 1 stored; refused 1 too old (over 24 h)"),
			})
			// Milliseconds given as seconds: skipped before sending, since
			// the API would refuse the whole batch.
			ms := itoa(cmdtest.Epoch.Unix() * 1000)
			e.CheckT(t, e.RunWith(in("a 1 "+ms+"\nb 2 {T}\n"), "throw", "-s", "blog"), cmdtest.Want{
				Stderr: cmdtest.LogLine(tty, "warning", "line 1: time "+ms+" is more than 10 minutes in the future (epoch seconds, not milliseconds); skipped") +
					cmdtest.LogLine(tty, "thrown", "1 values to blog (1 lines skipped)"),
			})
			// blog a and b (the last run overwrote b), web01 a.
			if n := countPoints(e); n != 3 {
				t.Errorf("%d points stored, want 3", n)
			}
		})
	}
}

// TestThrowSummaryUnreported: a server that answers {"success":true} only,
// as the hosted API does, leaves throw unable to say what was stored.
func TestThrowSummaryUnreported(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog")
	api := e.StartAPIWith(answerAsHosted)
	old := itoa(cmdtest.Epoch.Unix() - 25*3600)
	r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{Stdin: expand("a 1 {T}\nb 1 "+old+"\nbad\n", "")}, "throw", "-s", "blog")
	e.Check(r, cmdtest.Want{Stderr: "   warning line 3: expected \"name value epoch\", got 1 fields; skipped\n" +
		"      info 2 values sent to blog (1 lines skipped); the server did not report how many it stored\n"})
	if n := countPoints(e); n != 1 {
		t.Errorf("%d points stored, want 1", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// answerAsHosted answers every success with the hosted API's bare
// {"success":true}, without mkr's counts.
func answerAsHosted(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		if rec.Code == http.StatusOK {
			w.Write([]byte(`{"success":true}`))
			return
		}
		w.Write(rec.Body.Bytes())
	})
}
