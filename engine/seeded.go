package engine

// Seeded is implemented by algorithms that may draw random numbers: UsesSeed reports whether this
// value does (GMF-Q does, GMF-V does not). An algorithm that does not implement it draws none, so
// the seed of a solve does not change its result.
type Seeded interface {
	UsesSeed() bool
}
