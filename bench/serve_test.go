package bench_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
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

// procCPU is a process's CPU time so far, user and system, from
// /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s: Linux's
// USER_HZ is 100 on every architecture Go runs on).
func procCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count from its ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// freeLoopbackAddr is a loopback address with a port free right now.
func freeLoopbackAddr(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// saveProfiles takes a CPU profile of a serve started with
// MKR_SERVE_PPROF=addr over the next seconds, then a heap profile, into
// dir (cpu.pprof, heap.pprof): `go tool pprof -top dir/cpu.pprof`.
func saveProfiles(tb testing.TB, addr, dir string, seconds int) {
	get := func(path, file string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			tb.Logf("profile %s: %v", path, err)
			return
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != 200 {
			err = fmt.Errorf("%s: %s", resp.Status, data)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, file), data, 0o644)
		}
		if err != nil {
			tb.Logf("profile %s: %v", path, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Logf("profiles: %v", err)
		return
	}
	get(fmt.Sprintf("/debug/pprof/profile?seconds=%d", max(1, seconds-1)), "cpu.pprof")
	get("/debug/pprof/heap", "heap.pprof")
}
