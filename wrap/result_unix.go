//go:build unix

package wrap

import (
	"fmt"
	"os"
	"syscall"
)

// setExit fills the exit fields from the job's wait status.
func (r *Result) setExit(ps *os.ProcessState) {
	ws := ps.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled():
		r.Signal = ws.Signal()
		r.ExitCode = ExitSignalBase + int(r.Signal)
		r.Message = signaledMessage(r.Signal)
	case ws.Exited():
		r.ExitCode = ws.ExitStatus()
		r.Message = exitedMessage(r.ExitCode)
	default:
		// Stopped or continued never end a Wait; keep a failure just in case.
		r.ExitCode = ExitWrapperError
		r.Message = fmt.Sprintf("command ended with wait status: %#x", uint32(ws))
	}
}
