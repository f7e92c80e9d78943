package bench_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// server is a running `mkr serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	peak *peakRSS
	log  chan string
}

// startServe starts `<bin> serve` on a free loopback port over env's
// database, with extra flags.
func startServe(tb testing.TB, bin string, env []string, extra ...string) *server {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, extra...)...)
	cmd.Env = env
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &server{cmd: cmd, peak: watchRSS(cmd.Process.Pid), log: make(chan string, 1)}
	addr := make(chan string, 1)
	go func() {
		var log strings.Builder
		re := regexp.MustCompile(`serving .* on (http://\S+)`)
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		s.log <- log.String()
	}()
	select {
	case s.base = <-addr:
	case log := <-s.log:
		cmd.Wait()
		tb.Fatalf("mkr serve exited:\n%s", log)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		tb.Fatal("mkr serve did not start in 60 s")
	}
	return s
}

// stop ends the server gracefully and returns its peak RSS in KiB since
// the last reset.
func (s *server) stop(tb testing.TB) int64 {
	tb.Helper()
	peak := s.peak.stop()
	s.cmd.Process.Signal(os.Interrupt)
	log := <-s.log
	if err := s.cmd.Wait(); err != nil {
		tb.Errorf("mkr serve: %v\n%s", err, log)
	}
	return peak
}

// peakRSS polls a process's peak resident set (VmHWM in
// /proc/<pid>/status). rusage's ru_maxrss cannot be used: Go starts
// children with vfork, and Linux carries the parent's peak across exec.
type peakRSS struct {
	pid      int
	peak     atomic.Int64
	done     chan struct{}
	finished chan struct{}
}

func watchRSS(pid int) *peakRSS {
	p := &peakRSS{pid: pid, done: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(p.finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if kib := procStatus(pid, "VmHWM:"); kib > p.peak.Load() {
				p.peak.Store(kib)
			}
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// reset starts a new peak: the kernel's VmHWM is reset through
// clear_refs ("5"), so a warm-up phase does not count.
func (p *peakRSS) reset() error {
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0); err != nil {
		return err
	}
	p.peak.Store(procStatus(p.pid, "VmRSS:"))
	return nil
}

func (p *peakRSS) stop() int64 {
	close(p.done)
	<-p.finished
	return p.peak.Load()
}

// procStatus reads one "kB" field of /proc/<pid>/status.
func procStatus(pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			var kib int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kib)
			return kib
		}
	}
	return 0
}
