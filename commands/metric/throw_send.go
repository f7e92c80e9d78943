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
// stays flat: the reader blocks while every slot is busy. Batches finish
// in any order, so it keeps each one's outcome by sequence number: the
// input lines before the first batch that did not succeed are the only
// ones known to be done (see throwOutcome).
type batchSender struct {
	ctx     context.Context
	cl      *client.Client
	f       *cmdutil.Factory
	opts    throwOptions
	slots   chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	batches []*batchOutcome // by sequence number
	failed  chan struct{}
	once    sync.Once
}

// batchOutcome is what became of one batch.
type batchOutcome struct {
	first, last int // input lines covered, skipped ones included (1-based)
	n           int // values
	done        bool
	err         error
	res         *client.PostMetricsResult
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
	out := &batchOutcome{first: b.first, last: b.last, n: b.n}
	s.mu.Lock()
	s.batches = append(s.batches, out)
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.slots }()
		res, err := s.post(b)
		s.mu.Lock()
		defer s.mu.Unlock()
		out.done, out.err, out.res = true, err, res
		if err != nil {
			s.once.Do(func() { close(s.failed) })
			return
		}
		if s.opts.Verbose {
			s.logValues(b)
		}
	}()
	return true
}

func (s *batchSender) abort() { s.once.Do(func() { close(s.failed) }) }

// throwOutcome sums up every batch sent.
type throwOutcome struct {
	sent        int // values in requests that succeeded
	stored      int // of those, stored (as the server reported)
	tooOld      int // refused: older than the back-fill window
	retiredHost int // refused: for a retired host
	unreported  int // successful requests whose answer had no counts
	// resume is the first input line not known to be done: every line
	// before it is in a batch that succeeded, as are all batches before
	// it. Later batches may have succeeded too.
	resume int
	// failed is the earliest batch that failed (nil if none did).
	failed *batchOutcome
	// later counts the batches after resume that succeeded.
	later int
}

// wait blocks until every batch is done and sums them up; start is the
// first input line read.
func (s *batchSender) wait(start int) throwOutcome {
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	o := throwOutcome{resume: start}
	inOrder := true
	for _, b := range s.batches {
		if b.err != nil {
			if o.failed == nil {
				o.failed = b
			}
			inOrder = false
			continue
		}
		if inOrder {
			o.resume = b.last + 1
		} else {
			o.later++
		}
		o.sent += b.n
		if !b.res.Reported() {
			o.unreported++
			continue
		}
		o.stored += *b.res.Stored
		if b.res.Refused != nil {
			o.tooOld += b.res.Refused.TooOld
			o.retiredHost += b.res.Refused.RetiredHost
		}
	}
	return o
}

// post sends one batch, retrying up to --retry times with upstream's
// backoff (15 s doubling to 5 min), never after a 4xx.
func (s *batchSender) post(b *pendingBatch) (*client.PostMetricsResult, error) {
	wait := 15 * time.Second
	for attempt := 0; ; attempt++ {
		res, err := s.cl.PostRawMetricsResult(s.ctx, s.opts.Service, b.body)
		if err == nil {
			return res, nil
		}
		code := client.StatusCode(err)
		if attempt >= s.opts.Retry || (code >= 400 && code < 500) || errors.Is(err, context.Canceled) {
			return nil, err
		}
		s.f.Log().Warn("Failed to request. will retry after %.0f seconds. Error: %s", wait.Seconds(), err)
		select {
		case <-time.After(wait):
		case <-s.ctx.Done():
			return nil, s.ctx.Err()
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
