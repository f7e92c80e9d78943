package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mkr-dev/mkr/internal/agentconf"
	"github.com/mkr-dev/mkr/internal/proc"
)

// checkPipeGrace is how long output pipes may stay open after a plugin
// exited (held by a process it started) before they are closed.
const checkPipeGrace = time.Second

// checkResult is the outcome of running one check plugin.
type checkResult struct {
	Name     string
	Memo     string
	Command  []string
	Status   string // OK, WARNING, CRITICAL, UNKNOWN
	Stdout   string
	Stderr   string
	ExitCode int
	Err      string // a run error such as "command timed out"
}

// ok is TAP's verdict: exit 0 and no run error.
func (r *checkResult) ok() bool { return r.ExitCode == 0 && r.Err == "" }

// checkStatusOf maps a plugin exit code the way the agent does.
func checkStatusOf(code int) string {
	switch code {
	case 0:
		return "OK"
	case 1:
		return "WARNING"
	case 2:
		return "CRITICAL"
	default:
		return "UNKNOWN"
	}
}

// checkCommand returns the argv of a plugin: a string runs through sh -c,
// an array is exec'd directly; user wraps it in sudo -Eu.
func checkCommand(p *agentconf.CheckPlugin) ([]string, []string, error) {
	var display, argv []string
	switch cmd := p.Command.(type) {
	case string:
		if strings.TrimSpace(cmd) == "" {
			return nil, nil, errors.New("command is empty")
		}
		display = []string{cmd}
		argv = []string{"/bin/sh", "-c", cmd}
		if runtime.GOOS == "windows" {
			argv = []string{"cmd", "/U", "/c", cmd}
		}
	case []any:
		for _, a := range cmd {
			s, ok := a.(string)
			if !ok {
				return nil, nil, fmt.Errorf("command array must hold strings, not %T", a)
			}
			argv = append(argv, s)
		}
		if len(argv) == 0 {
			return nil, nil, errors.New("command is empty")
		}
		display = argv
	default:
		return nil, nil, errors.New("command must be a string or an array of strings")
	}
	if p.User != "" && runtime.GOOS != "windows" {
		argv = append([]string{"sudo", "-Eu", p.User}, argv...)
	}
	return display, argv, nil
}

// runCheckPlugin runs one plugin with its timeout: SIGTERM to its process
// group at the deadline, SIGKILL killAfter later (on Windows, the plugin's
// process is killed at the deadline; see stopProcessGroup).
func runCheckPlugin(ctx context.Context, name string, p *agentconf.CheckPlugin, killAfter time.Duration) *checkResult {
	res := &checkResult{Name: name, Memo: p.Memo}
	display, argv, err := checkCommand(p)
	res.Command = display
	if err != nil {
		res.Status, res.ExitCode, res.Err = "UNKNOWN", 3, err.Error()
		return res
	}
	timeout := 30 * time.Second
	if p.TimeoutSeconds > 0 {
		timeout = time.Duration(p.TimeoutSeconds) * time.Second
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = os.Environ()
	for k, v := range p.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Its own process group, so that a timeout reaches every process it
	// spawned. A process the plugin left running in the background
	// (`daemon &`) would hold its output open and block Wait: WaitDelay
	// closes the pipes shortly after the plugin exits.
	cmd.SysProcAttr = proc.SysProcAttr()
	cmd.WaitDelay = checkPipeGrace
	if err := cmd.Start(); err != nil {
		res.Status, res.ExitCode, res.Err = "UNKNOWN", 3, err.Error()
		return res
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var waitErr error
	select {
	case waitErr = <-done:
	case <-timer.C:
		res.Err = "command timed out"
		waitErr = proc.Stop(proc.NewGroup(cmd.Process), done, killAfter)
	case <-ctx.Done():
		res.Err = "interrupted"
		waitErr = proc.Stop(proc.NewGroup(cmd.Process), done, killAfter)
	}
	res.Stdout, res.Stderr = strings.TrimSpace(stdout.String()), strings.TrimSpace(stderr.String())
	if errors.Is(waitErr, exec.ErrWaitDelay) && cmd.ProcessState.Success() {
		// The plugin succeeded; only a process it left behind held its
		// output open (and was cut off by WaitDelay).
		waitErr = nil
	}
	res.ExitCode = exitCodeOf(waitErr)
	if res.Err != "" && res.ExitCode == 0 {
		res.ExitCode = 3
	}
	res.Status = checkStatusOf(res.ExitCode)
	return res
}

func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 3
}

// runAllChecks runs the plugins concurrently (at most 2 per CPU) and
// returns the results in config order.
func runAllChecks(ctx context.Context, conf *agentconf.Config, killAfter time.Duration) []*checkResult {
	results := make([]*checkResult, len(conf.CheckNames()))
	sem := make(chan struct{}, max(2*runtime.NumCPU(), 1))
	var wg sync.WaitGroup
	for i, name := range conf.CheckNames() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = runCheckPlugin(ctx, name, conf.Plugin.Checks[name], killAfter)
		}()
	}
	wg.Wait()
	return results
}
