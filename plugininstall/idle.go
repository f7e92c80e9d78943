package plugininstall

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/mkr-dev/mkr/internal/redact"
)

// do sends req and watches it for silence: the response headers, and then each read of
// the body, must come within Config.IdleTimeout, or the request is cancelled with
// ErrStalled. An overall timeout could not do this without also cutting a large
// download on a slow link; the caller's context still cancels the request at any time.
// The body must be closed, which also stops the watch.
func (in *Installer) do(client *http.Client, req *http.Request) (*http.Response, error) {
	parent := req.Context()
	ctx, cancel := context.WithCancel(parent)
	wd := &watchdog{parent: parent, cancel: cancel, idle: in.cfg.IdleTimeout}
	wd.timer = time.AfterFunc(wd.idle, wd.fire)
	resp, err := client.Do(req.WithContext(ctx))
	wd.timer.Stop()
	if err != nil {
		cancel()
		if wd.stalled() {
			return nil, fmt.Errorf("%w: no response from %s within %s", ErrStalled, redact.URL(req.URL.String()), wd.idle)
		}
		return nil, err
	}
	resp.Body = &watchedBody{rc: resp.Body, wd: wd}
	return resp, nil
}

// watchdog cancels a request once its timer fires and remembers that it did, so that
// the cancellation is reported as a stall rather than as context.Canceled.
type watchdog struct {
	parent context.Context
	cancel context.CancelFunc
	idle   time.Duration
	timer  *time.Timer
	fired  atomic.Bool
}

func (w *watchdog) fire() {
	w.fired.Store(true)
	w.cancel()
}

// stalled says whether the watchdog, not the caller, ended the request.
func (w *watchdog) stalled() bool { return w.fired.Load() && w.parent.Err() == nil }

// watchedBody runs the timer only while a Read waits for the server, so time the
// caller spends writing and hashing never counts as the server's silence.
type watchedBody struct {
	rc io.ReadCloser
	wd *watchdog
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.wd.timer.Reset(b.wd.idle)
	n, err := b.rc.Read(p)
	b.wd.timer.Stop()
	if err != nil && !errors.Is(err, io.EOF) && b.wd.stalled() {
		// The callers' errors name the URL.
		err = fmt.Errorf("%w: no data for %s", ErrStalled, b.wd.idle)
	}
	return n, err
}

func (b *watchedBody) Close() error {
	b.wd.timer.Stop()
	err := b.rc.Close()
	b.wd.cancel()
	return err
}
