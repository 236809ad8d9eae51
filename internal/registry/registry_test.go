package registry

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := Registry[int]{What: "thing"}
	if _, ok := r.Lookup("a"); ok || len(r.Names()) != 0 {
		t.Fatal("an empty registry has entries")
	}
	r.Add("b", 2)
	r.Add("a", 1)
	if e, ok := r.Lookup("b"); !ok || e != 2 || !slices.Equal(r.Names(), []string{"a", "b"}) {
		t.Fatalf("Lookup(b) = %v, %v; Names = %v", e, ok, r.Names())
	}
	defer func() {
		if msg := recover(); msg != `thing "a" registered twice` {
			t.Errorf("duplicate: recovered %v", msg)
		}
	}()
	r.Add("a", 3)
}
