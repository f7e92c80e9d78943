package metric_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// SIGTERM ends mkr with 128+15, saying so.
func TestSignalExitCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	e := cmdtest.New(t)
	host := e.CreateHost("web")
	cmd, out, errOut := e.Command("throw", "-H", host)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmdtest.WaitOpened(t, cmd.Process.Pid, e.Vars["MKR_DB"])
	cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond)
	stdin.Write([]byte("a.b 1 1700000000\n"))
	stdin.Close()
	r := cmdtest.Finish(t, cmd, out, errOut, time.Minute)
	if r.Code != 143 || !strings.Contains(r.Stderr, "interrupted by terminated") {
		t.Fatalf("mkr throw after SIGTERM:\n%s", r)
	}
}
