package engine_test

import (
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// An open alert is notified again every notificationInterval minutes,
// counted from its last notification; repeats pause while its host is
// not working, and a monitor without an interval never repeats.
func TestRepeatNotifications(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.NotificationInterval = 10 }))
	mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.Name = "no repeats" }))
	env.Clock.Advance(time.Minute)
	post(t, env, h, map[string]float64{"loadavg5": 9})
	advance(t, env)
	opened := []string{"->CRITICAL monitoring notify=true", "->CRITICAL monitoring notify=true"}
	wantEvents(t, env, opened...)
	env.Clock.Advance(9*time.Minute + 59*time.Second)
	advance(t, env)
	wantEvents(t, env, opened...)
	env.Clock.Advance(time.Second)
	advance(t, env)
	advance(t, env)
	repeat := "CRITICAL->CRITICAL monitoring notify=true"
	wantEvents(t, env, append(opened, repeat)...)
	if err := env.Store.SetHostStatus(t.Context(), []string{h}, "standby"); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(30 * time.Minute)
	advance(t, env)
	wantEvents(t, env, append(opened, repeat)...)
	if err := env.Store.SetHostStatus(t.Context(), []string{h}, "working"); err != nil {
		t.Fatal(err)
	}
	advance(t, env)
	wantEvents(t, env, append(opened, repeat, repeat)...)
}

// Check monitors repeat at the interval their reports carry.
func TestRepeatCheckNotifications(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	_, err := env.Engine.ApplyCheckReports(t.Context(), []store.CheckReport{{HostID: h, Name: "backup", Status: "CRITICAL",
		OccurredAt: env.Clock.Now().Unix(), NotificationInterval: 10, MaxCheckAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(10 * time.Minute)
	advance(t, env)
	wantEvents(t, env, "->CRITICAL monitoring notify=true", "CRITICAL->CRITICAL monitoring notify=true")
}
