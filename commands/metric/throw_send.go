package metric

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// batchSender posts batches with a bounded number in flight, so memory
// stays flat: the reader blocks while every slot is busy.
type batchSender struct {
	ctx    context.Context
	cl     *client.Client
	f      *cmdutil.Factory
	opts   throwOptions
	slots  chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	thrown int
	failed chan struct{}
	once   sync.Once
}

func newBatchSender(ctx context.Context, cl *client.Client, f *cmdutil.Factory, opts throwOptions) *batchSender {
	return &batchSender{
		ctx: ctx, cl: cl, f: f, opts: opts,
		slots:  make(chan struct{}, opts.InFlight),
		failed: make(chan struct{}),
	}
}

// send queues a batch; it returns false once a batch has failed.
func (s *batchSender) send(b *pendingBatch) bool {
	select {
	case s.slots <- struct{}{}:
	case <-s.failed:
		return false
	case <-s.ctx.Done():
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.slots }()
		err := s.post(b)
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil {
			if s.err == nil {
				s.err = err
			}
			s.once.Do(func() { close(s.failed) })
			return
		}
		s.thrown += b.n
		if s.opts.Verbose {
			s.logValues(b)
		}
	}()
	return true
}

func (s *batchSender) abort() { s.once.Do(func() { close(s.failed) }) }

// wait blocks until every batch is done and returns the count posted.
func (s *batchSender) wait() (int, error) {
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.thrown, s.err
}

// post sends one batch, retrying up to --retry times with upstream's
// backoff (15 s doubling to 5 min), never after a 4xx.
func (s *batchSender) post(b *pendingBatch) error {
	wait := 15 * time.Second
	for attempt := 0; ; attempt++ {
		err := s.cl.PostRawMetrics(s.ctx, s.opts.Service, b.body)
		if err == nil {
			return nil
		}
		code := client.StatusCode(err)
		if attempt >= s.opts.Retry || (code >= 400 && code < 500) || errors.Is(err, context.Canceled) {
			return err
		}
		s.f.Log().Warn("Failed to request. will retry after %.0f seconds. Error: %s", wait.Seconds(), err)
		select {
		case <-time.After(wait):
		case <-s.ctx.Done():
			return s.ctx.Err()
		}
		wait = min(wait*2, 5*time.Minute)
	}
}

func (s *batchSender) logValues(b *pendingBatch) {
	dest := s.opts.Host
	if dest == "" {
		dest = s.opts.Service
	}
	for _, m := range b.lines {
		s.f.Log().Log("thrown", "%s '%s\t%f\t%d'", dest, m.Name, m.Value, m.Time)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }
