package sqlite

// DefaultSeriesCacheSize is how many series ids a store remembers unless
// store.Options.SeriesCacheSize says otherwise: 10 M, two fleets of
// 50,000 agents' 100 metrics. The cache (idcache) keeps ids by owner and
// shares the metric names of owners that post the same ones, so an id
// costs ~5 bytes in such a fleet; seriesCacheBytes bounds it when names
// are not shared.
const DefaultSeriesCacheSize = 10_000_000

// seriesCacheBytes bounds the series cache's estimated heap: 32 MB holds
// 50,000 agents' 5 M ids with room to spare, or ~400,000 series whose
// names no other owner shares.
const seriesCacheBytes = 32 << 20
