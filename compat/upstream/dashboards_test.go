package upstream_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// modelledBody is a dashboard with only what mackerel-client-go v0.46.0
// models (so upstream mkr reads and writes all of it): a widget of each
// type, graphs of every kind that can be written, a range, reference
// lines and a format rule.
const modelledBody = `{"title":"Shop","urlPath":"shop/overview","memo":"orders & load","widgets":[
{"type":"markdown","title":"notes","layout":{"x":0,"y":0,"width":24,"height":2},"markdown":"# Runbook\nrestart <app> & check"},
{"type":"graph","title":"load","layout":{"x":0,"y":2,"width":12,"height":6},"graph":{"type":"role","roleFullname":"shop:app","name":"loadavg5","isStacked":true},"range":{"type":"relative","period":3600,"offset":-600},"referenceLines":[{"label":"busy","value":2}]},
{"type":"graph","title":"web01","layout":{"x":12,"y":2,"width":12,"height":6},"graph":{"type":"host","hostId":"{web01}","name":"loadavg5"}},
{"type":"graph","title":"orders","layout":{"x":0,"y":8,"width":8,"height":6},"graph":{"type":"service","serviceName":"shop","name":"orders.count"},"range":{"type":"absolute","start":1714950000,"end":1714953600}},
{"type":"graph","title":"max load","layout":{"x":8,"y":8,"width":8,"height":6},"graph":{"type":"expression","expression":"max(role(shop:app, loadavg5))","legend":"max"}},
{"type":"graph","title":"cpu","layout":{"x":16,"y":8,"width":8,"height":6},"graph":{"type":"query","query":"container.cpu.utilization{service.name=\"shop\"}","legend":"{{service.name}}"}},
{"type":"value","title":"orders now","layout":{"x":0,"y":14,"width":6,"height":4},"metric":{"type":"service","serviceName":"shop","name":"orders.count"},"fractionSize":1,"suffix":"/min","formatRules":[{"name":"busy","threshold":100,"operator":">"}]},
{"type":"alertStatus","title":"alerts","layout":{"x":6,"y":14,"width":6,"height":4},"roleFullname":"shop:app"}]}`

// unmodelledBody uses what the Go client drops: a graph's valueRange.
const unmodelledBody = `{"title":"Capacity","urlPath":"shop/capacity","memo":"","widgets":[
{"type":"graph","title":"load","layout":{"x":0,"y":0,"width":12,"height":6},"graph":{"type":"role","roleFullname":"shop:app","name":"loadavg5"},"valueRange":{"min":0,"max":8}}]}`

// servedDashboards is a database with a shop service (roles app, db), a
// host web01 and the two dashboards above, served by `mkr serve`.
func servedDashboards(t *testing.T) (e *cmdtest.Env, base string, modelled, unmodelled string) {
	t.Helper()
	upstreamMkr.binary(t) // skip or fail before any work
	e = cmdtest.New(t)
	e.SeedService("shop", "app", "db")
	e.SeedHost(client.CreateHostParam{Name: "web01", RoleFullnames: []string{"shop:app"}})
	create := func(body string) string {
		d, err := client.NewDashboard([]byte(strings.ReplaceAll(body, "{web01}", e.Names["web01"])))
		if err != nil {
			t.Fatal(err)
		}
		created, err := e.API().CreateDashboard(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		return created.ID()
	}
	modelled, unmodelled = create(modelledBody), create(unmodelledBody)
	return e, startServe(t, e), modelled, unmodelled
}

// TestDashboardsMatchUpstream compares upstream mkr v0.65.0's dashboards
// commands (list, pull, push; generate and migrate are gone from it)
// with ours against the same `mkr serve`.
func TestDashboardsMatchUpstream(t *testing.T) {
	e, base, modelled, unmodelled := servedDashboards(t)
	ctx := context.Background()
	c := remoteClient(t, base)

	t.Run("list", func(t *testing.T) {
		sameResult(t, "mkr dashboards", runUpstream(t, e, t.TempDir(), base, "dashboards"), runOurs(t, e, base, "dashboards"))
	})

	t.Run("pull --id", func(t *testing.T) {
		upDir, ourDir := workDirs(t)
		for _, id := range []string{modelled, unmodelled} {
			up := runUpstream(t, e, upDir, base, "dashboards", "pull", "--id", id)
			ours := runOurs(t, e, base, "dashboards", "pull", "--id", id, "--dir", ourDir)
			ours.Stderr = strings.ReplaceAll(ours.Stderr, ourDir+"/", "")
			sameResult(t, "mkr dashboards pull --id "+id, up, ours)
		}
		// The files hold the same dashboard but not the same bytes: upstream
		// writes its Go client's struct (null for every absent metric,
		// graph and range; no empty referenceLines; & as \u0026), mkr the
		// object the server answered (README, "Differences from upstream").
		upFile, ourFile := readJSON(t, filepath.Join(upDir, "dashboard-"+modelled+".json")), readJSON(t, filepath.Join(ourDir, "dashboard-"+modelled+".json"))
		if !reflect.DeepEqual(withoutEmpty(upFile), withoutEmpty(ourFile)) {
			t.Errorf("the pulled dashboard differs beyond nulls and empty lists:\nupstream %v\nours     %v", upFile, ourFile)
		}
		// Upstream's client drops valueRange; mkr keeps what the server
		// answers (README, "Differences from upstream").
		up := readJSON(t, filepath.Join(upDir, "dashboard-"+unmodelled+".json"))
		ours := readJSON(t, filepath.Join(ourDir, "dashboard-"+unmodelled+".json"))
		if _, kept := widget0(t, ours)["valueRange"]; !kept {
			t.Errorf("our pull lost valueRange: %v", ours)
		}
		if _, kept := widget0(t, up)["valueRange"]; kept {
			t.Errorf("upstream's pull kept valueRange (its client models it now? update README): %v", up)
		}
	})

	// Upstream's pull without --id saves the list's objects, widgets null
	// (its #766); mkr's saves every dashboard in full.
	t.Run("pull all", func(t *testing.T) {
		upDir, ourDir := workDirs(t)
		up := runUpstream(t, e, upDir, base, "dashboards", "pull")
		ours := runOurs(t, e, base, "dashboards", "pull", "--dir", ourDir)
		if up.Code != 0 || ours.Code != 0 {
			t.Fatalf("pull:\nupstream:\n%s\nours:\n%s", up, ours)
		}
		for _, id := range []string{modelled, unmodelled} {
			name := "dashboard-" + id + ".json"
			if w := readJSON(t, filepath.Join(upDir, name))["widgets"]; w != nil {
				t.Errorf("upstream's pull-all saved widgets in %s (its #766 fixed? update README): %v", name, w)
			}
			if w, _ := readJSON(t, filepath.Join(ourDir, name))["widgets"].([]any); len(w) == 0 {
				t.Errorf("our pull-all saved no widgets in %s", name)
			}
		}
	})

	// A file pulled by mkr, pushed by upstream, changes nothing that
	// upstream's client models: the round trip through both tools is
	// exact for such a dashboard.
	t.Run("push of our pull by upstream", func(t *testing.T) {
		dir := t.TempDir()
		if r := runOurs(t, e, base, "dashboards", "pull", "--id", modelled, "--dir", dir); r.Code != 0 {
			t.Fatalf("pull:\n%s", r)
		}
		before, err := c.FindDashboard(ctx, modelled)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "dashboard-"+modelled+".json")
		e.Clock.Advance(time.Minute)
		up := runUpstream(t, e, dir, base, "dashboards", "push", "-F", file)
		if up.Code != 0 || up.Stdout != "" || up.Stderr != "" {
			t.Fatalf("upstream push:\n%s", up)
		}
		after, err := c.FindDashboard(ctx, modelled)
		if err != nil {
			t.Fatal(err)
		}
		if !sameWidgets(t, before, after) {
			t.Errorf("upstream's push of our pull changed the dashboard:\nbefore %s\nafter  %s", raw(t, before), raw(t, after))
		}
		ours := runOurs(t, e, base, "dashboards", "diff", "--exit-code", "-F", file)
		if ours.Code != 0 || ours.Stdout != "Summary: 0 modify, 0 append, 0 remove\n\n" || ours.Stderr != "" {
			t.Errorf("our diff after upstream's push:\n%s", ours)
		}
	})

	// And a file pulled by upstream, pushed by mkr, changes nothing.
	t.Run("push of upstream's pull by ours", func(t *testing.T) {
		dir := t.TempDir()
		if r := runUpstream(t, e, dir, base, "dashboards", "pull", "--id", modelled); r.Code != 0 {
			t.Fatalf("upstream pull:\n%s", r)
		}
		before, err := c.FindDashboard(ctx, modelled)
		if err != nil {
			t.Fatal(err)
		}
		if r := runOurs(t, e, base, "dashboards", "push", "-F", filepath.Join(dir, "dashboard-"+modelled+".json")); r.Code != 0 {
			t.Fatalf("our push:\n%s", r)
		}
		after, err := c.FindDashboard(ctx, modelled)
		if err != nil {
			t.Fatal(err)
		}
		if !sameWidgets(t, before, after) {
			t.Errorf("our push of upstream's pull changed the dashboard:\nbefore %s\nafter  %s", raw(t, before), raw(t, after))
		}
	})

	// What the Go client does not model is lost by upstream's push and
	// kept by ours.
	t.Run("push of a field the Go client lacks", func(t *testing.T) {
		dir := t.TempDir()
		if r := runOurs(t, e, base, "dashboards", "pull", "--id", unmodelled, "--dir", dir); r.Code != 0 {
			t.Fatalf("pull:\n%s", r)
		}
		file := filepath.Join(dir, "dashboard-"+unmodelled+".json")
		if up := runUpstream(t, e, dir, base, "dashboards", "push", "-F", file); up.Code != 0 {
			t.Fatalf("upstream push:\n%s", up)
		}
		if d, err := c.FindDashboard(ctx, unmodelled); err != nil || strings.Contains(raw(t, d), "valueRange") {
			t.Errorf("after upstream's push the dashboard has valueRange (its client models it now? update README): %v", err)
		}
		ours := runOurs(t, e, base, "dashboards", "push", "-F", file)
		if ours.Code != 0 {
			t.Fatalf("our push:\n%s", ours)
		}
		if d, err := c.FindDashboard(ctx, unmodelled); err != nil || !strings.Contains(raw(t, d), `"valueRange":{"min":0,"max":8}`) {
			t.Errorf("our push did not restore valueRange: %v %s", err, raw(t, d))
		}
	})

	// A new dashboard (no id) pushed by each tool is created alike.
	t.Run("push new", func(t *testing.T) {
		upDir, ourDir := workDirs(t)
		body := strings.ReplaceAll(strings.ReplaceAll(modelledBody, "shop/overview", "shop/new-%s"), "{web01}", e.Names["web01"])
		for dir, who := range map[string]string{upDir: "up", ourDir: "ours"} {
			if err := os.WriteFile(filepath.Join(dir, "new.json"), []byte(strings.Replace(body, "%s", who, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		up := runUpstream(t, e, upDir, base, "dashboards", "push", "-F", filepath.Join(upDir, "new.json"))
		ours := runOurs(t, e, base, "dashboards", "push", "-F", filepath.Join(ourDir, "new.json"))
		if up.Code != 0 || ours.Code != 0 {
			t.Fatalf("push:\nupstream:\n%s\nours:\n%s", up, ours)
		}
		made := map[string]*client.Dashboard{}
		list, err := c.FindDashboards(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			if who, ok := strings.CutPrefix(d.URLPath(), "shop/new-"); ok {
				if made[who], err = c.FindDashboard(ctx, d.ID()); err != nil {
					t.Fatal(err)
				}
			}
		}
		if made["up"] == nil || made["ours"] == nil {
			t.Fatalf("created: %v", made)
		}
		if !sameWidgets(t, made["up"], made["ours"]) {
			t.Errorf("the dashboards pushed differ:\nupstream %s\nours     %s", raw(t, made["up"]), raw(t, made["ours"]))
		}
	})
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// withoutEmpty drops, at every depth, the keys whose value is null or an
// empty list.
func withoutEmpty(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			if l, isList := x.([]any); x == nil || isList && len(l) == 0 {
				continue
			}
			out[k] = withoutEmpty(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = withoutEmpty(x)
		}
		return out
	}
	return v
}

func widget0(t *testing.T, d map[string]any) map[string]any {
	t.Helper()
	ws, _ := d["widgets"].([]any)
	if len(ws) == 0 {
		t.Fatalf("no widgets: %v", d)
	}
	w, _ := ws[0].(map[string]any)
	return w
}

func raw(t *testing.T, d *client.Dashboard) string {
	t.Helper()
	b, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameWidgets compares title, memo and widgets (not id, urlPath or times).
func sameWidgets(t *testing.T, a, b *client.Dashboard) bool {
	t.Helper()
	pick := func(d *client.Dashboard) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw(t, d)), &m); err != nil {
			t.Fatal(err)
		}
		return map[string]any{"title": m["title"], "memo": m["memo"], "widgets": m["widgets"]}
	}
	return reflect.DeepEqual(pick(a), pick(b))
}
