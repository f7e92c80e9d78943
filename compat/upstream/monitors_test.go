package upstream_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// servedFleet is a seeded database served by `mkr serve`, once every alert
// the engine can open for the seed is open (the external one needs a probe
// round of serve).
func servedFleet(t *testing.T) (*cmdtest.Env, string) {
	t.Helper()
	upstreamMkr.binary(t) // skip or fail before any work
	e := cmdtest.New(t)
	seedFleet(t, e)
	base := startServe(t, e)
	c := remoteClient(t, base)
	deadline := time.Now().Add(30 * time.Second)
	for {
		page, err := c.FindAlerts(context.Background(), false, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Alerts {
			if a.Type == "external" {
				return e, base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no external alert within 30s of serve starting; alerts: %+v", page.Alerts)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestMonitorsMatchUpstream(t *testing.T) {
	e, base := servedFleet(t)

	t.Run("list", func(t *testing.T) {
		sameResult(t, "mkr monitors", runUpstream(t, e, t.TempDir(), base, "monitors"), runOurs(t, e, base, "monitors"))
	})

	upDir, ourDir := workDirs(t)
	upFile, ourFile := filepath.Join(upDir, "monitors.json"), filepath.Join(ourDir, "monitors.json")
	t.Run("pull", func(t *testing.T) {
		up := runUpstream(t, e, upDir, base, "monitors", "pull", "-F", upFile)
		ours := runOurs(t, e, base, "monitors", "pull", "-F", ourFile)
		sameResult(t, "mkr monitors pull", up, ours, upDir, ourDir)
		sameFile(t, "the pulled monitors.json", upFile, ourFile)
	})

	t.Run("diff unchanged", func(t *testing.T) {
		for _, extra := range [][]string{nil, {"--reverse"}, {"--exit-code"}} {
			args := append([]string{"monitors", "diff"}, extra...)
			sameResult(t, strings.Join(args, " "), runUpstream(t, e, upDir, base, append(args, "-F", upFile)...),
				runOurs(t, e, base, append(args, "-F", ourFile)...))
		}
	})

	// Edit both copies alike: modify the host rule, drop the query rule,
	// append a new service rule without an id.
	edited := editRules(t, e, upFile)
	for _, p := range []string{upFile, ourFile} {
		if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("diff edited", func(t *testing.T) {
		for _, extra := range [][]string{nil, {"--reverse"}, {"--exit-code"}, {"--reverse", "--exit-code"}} {
			args := append([]string{"monitors", "diff"}, extra...)
			sameResult(t, strings.Join(args, " "), runUpstream(t, e, upDir, base, append(args, "-F", upFile)...),
				runOurs(t, e, base, append(args, "-F", ourFile)...))
		}
	})

	t.Run("push dry-run", func(t *testing.T) {
		up := runUpstream(t, e, upDir, base, "monitors", "push", "--dry-run", "-F", upFile)
		// Upstream deletes the rules missing from the file unasked; mkr only
		// with --delete (README, "Differences from upstream").
		ours := runOurs(t, e, base, "monitors", "push", "--dry-run", "--delete", "-F", ourFile)
		sameResult(t, "mkr monitors push --dry-run (ours with --delete)", up, ours)
	})

	// Without --delete mkr leaves the query rule out of the plan and says
	// on stderr that it is kept and how to delete it.
	t.Run("push dry-run without --delete", func(t *testing.T) {
		up := runUpstream(t, e, upDir, base, "monitors", "push", "--dry-run", "-F", upFile)
		ours := runOurs(t, e, base, "monitors", "push", "--dry-run", "-F", ourFile)
		qid := e.Names["m-query"]
		block := regexp.MustCompile(`(?s)\{\n  "id": "` + qid + `",\n.*?\n\},\n`)
		if len(block.FindAllString(up.Stdout, -1)) != 1 {
			t.Fatalf("upstream's plan does not delete the query rule once:\n%s", up)
		}
		up.Stdout = block.ReplaceAllString(up.Stdout, "")
		up.Stderr = strings.Replace(up.Stderr, "      info Delete a rule.\n", "", 1) +
			`   warning Kept ` + qid + ` query "query": it is not in DIR/monitors.json.` + "\n" +
			`   warning 1 rule(s) not in DIR/monitors.json would be kept; mkr monitors push --delete -F DIR/monitors.json would delete them.` + "\n"
		ours.Stderr = strings.ReplaceAll(ours.Stderr, ourDir, "DIR")
		sameResult(t, "mkr monitors push --dry-run (upstream without its deletion, with mkr's warnings)", up, ours)
	})
}

// editRules returns the pulled file with the host rule's critical
// threshold changed, the query rule removed and a service rule appended
// (text edits, as a person makes them).
func editRules(t *testing.T, e *cmdtest.Env, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	replace := func(old, new string) {
		t.Helper()
		if strings.Count(s, old) != 1 {
			t.Fatalf("editing %s: %q occurs %d times in:\n%s", path, old, strings.Count(s, old), s)
		}
		s = strings.Replace(s, old, new, 1)
	}
	replace(`"critical": 4,`, `"critical": 4.5,`)
	qid := `"id": "` + e.Names["m-query"] + `"`
	at := strings.Index(s, qid)
	if at < 0 {
		t.Fatalf("no query rule in:\n%s", s)
	}
	start := strings.LastIndex(s[:at], "        {")
	end := at + strings.Index(s[at:], "\n        }") + len("\n        }")
	if s[end] == ',' {
		s = s[:start] + s[end+2:] // the rule, its comma and newline
	} else {
		s = s[:start-2] + s[end:] // the last rule and the comma before it
	}
	replace("\n    ]\n}", `,
        {
            "name": "orders slow",
            "type": "service",
            "service": "shop",
            "metric": "orders.latency",
            "operator": ">",
            "warning": 300,
            "critical": 600,
            "duration": 3
        }
    ]
}`)
	return s
}
