//go:build windows

package wrap

import "os"

// setExit fills the exit fields from the job's exit code. Windows has no
// signals to die from, so Signal stays 0; a job Run killed exits with 1.
func (r *Result) setExit(ps *os.ProcessState) {
	r.ExitCode = ps.ExitCode()
	r.Message = exitedMessage(r.ExitCode)
}
