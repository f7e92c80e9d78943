package store

import "context"

// StreamPoint is one point of a PointStream; Series indexes the stream's
// Series().
type StreamPoint struct {
	Series uint32
	Time   int64
	Value  float64
}

// PointStream is a batch of points to insert all or none, already decoded
// and validated, that may be too large to hold as []SeriesPoint (a POST
// of 64 MiB is ~850,000 points): the distinct series it writes, known
// before any point is read (a store checks their owners first), and the
// points in their posted order, in bounded chunks.
type PointStream interface {
	// Series lists each series the points address, once.
	Series() []SeriesKey
	// Len is the number of points (a store bounds its transactions by it).
	Len() int
	// Each calls fn with the points in order, in chunks of bounded size.
	// fn must not keep a chunk. Each may be called more than once (a
	// store may retry); an error from fn or from reading ends it.
	Each(fn func([]StreamPoint) error) error
}

// StreamInserter is implemented by stores that write a PointStream chunk by
// chunk inside one transaction, without holding it whole.
type StreamInserter interface {
	// InsertPointStream is InsertPointsSince for a stream: the same rules
	// and result, all or nothing.
	InsertPointStream(ctx context.Context, src PointStream, oldest int64) (InsertResult, error)
}

// InsertStream writes src through s: chunk by chunk when s is a
// StreamInserter, otherwise collected into one InsertPointsSince call
// (correct, but memory then grows with the stream). A store that has not
// implemented streaming yet (a new engine) thereby still serves ingest.
func InsertStream(ctx context.Context, s MetricStore, src PointStream, oldest int64) (InsertResult, error) {
	if si, ok := s.(StreamInserter); ok {
		return si.InsertPointStream(ctx, src, oldest)
	}
	keys := src.Series()
	var points []SeriesPoint
	err := src.Each(func(chunk []StreamPoint) error {
		for _, p := range chunk {
			points = append(points, SeriesPoint{Key: keys[p.Series], Point: Point{Time: p.Time, Value: p.Value}})
		}
		return nil
	})
	if err != nil {
		return InsertResult{}, err
	}
	return s.InsertPointsSince(ctx, points, oldest)
}

// sliceStreamChunk bounds the chunks a SliceStream hands out.
const sliceStreamChunk = 4096

// SliceStream is a PointStream over points held in memory.
type SliceStream struct {
	keys   []SeriesKey
	points []StreamPoint
}

// NewSliceStream indexes points' series.
func NewSliceStream(points []SeriesPoint) *SliceStream {
	s := &SliceStream{points: make([]StreamPoint, len(points))}
	index := map[SeriesKey]uint32{}
	for i, p := range points {
		n, ok := index[p.Key]
		if !ok {
			n = uint32(len(s.keys))
			index[p.Key] = n
			s.keys = append(s.keys, p.Key)
		}
		s.points[i] = StreamPoint{Series: n, Time: p.Time, Value: p.Value}
	}
	return s
}

// Series lists the distinct series in order of first appearance.
func (s *SliceStream) Series() []SeriesKey { return s.keys }

// Len is the number of points.
func (s *SliceStream) Len() int { return len(s.points) }

// Each hands out the points in chunks.
func (s *SliceStream) Each(fn func([]StreamPoint) error) error {
	for i := 0; i < len(s.points); i += sliceStreamChunk {
		if err := fn(s.points[i:min(i+sliceStreamChunk, len(s.points))]); err != nil {
			return err
		}
	}
	return nil
}
