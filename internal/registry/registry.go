// Package registry is the name → entry table behind the registries of games and of algorithms.
package registry

import (
	"fmt"
	"sort"
)

// Registry maps names to entries. Entries are added from init functions, before any lookup, so
// it needs no lock.
type Registry[E any] struct {
	// What names the kind of entry in errors, e.g. "game".
	What    string
	entries map[string]E
}

// Add registers e under name; a name registered twice is a programming error and panics.
func (r *Registry[E]) Add(name string, e E) {
	if r.entries == nil {
		r.entries = map[string]E{}
	}
	if _, dup := r.entries[name]; dup {
		panic(fmt.Sprintf("%s %q registered twice", r.What, name))
	}
	r.entries[name] = e
}

// Lookup returns the entry of name.
func (r *Registry[E]) Lookup(name string) (E, bool) {
	e, ok := r.entries[name]
	return e, ok
}

// Names lists the names in alphabetical order.
func (r *Registry[E]) Names() []string {
	names := make([]string, 0, len(r.entries))
	for n := range r.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
