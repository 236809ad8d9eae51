package sweep

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"meanfield/algorithms"
	"meanfield/games"
)

// The runs of a sweep of a game of default parameters all solve one game object (Resolve takes
// the game's shared prototype): two workers solving it at once (under the race detector, which
// then checks that solving only reads the game) record what one worker records.
func TestSweepOfDefaultGameSharesItSafely(t *testing.T) {
	var names []string
	for _, name := range games.Names() {
		switch name {
		case "mf-garnet", "crowd-modelling-2d-maze", "four-rooms-obstacles": // minutes under the race detector
		default:
			names = append(names, name)
		}
	}
	if testing.Short() {
		names = []string{"auction", "beach-bar", "building-evacuation"}
	}
	for _, name := range names {
		ge, _ := games.Lookup(name)
		proto, err := ge.Prototype()
		if err != nil {
			t.Fatal(err)
		}
		algs := algorithms.Applicable(proto)
		def, _ := algorithms.DefaultFor(proto)
		axis := fmt.Sprintf("[%s, %s]", def, algs[0])
		if def == algs[0] {
			axis = fmt.Sprintf("[%s, %s]", def, algs[len(algs)-1])
		}
		yaml := fmt.Sprintf("name: shared\nseed: 3\nreplicates: 2\nbase: {game: %s, iterations: 2, compare-to-gmf-v: false}\naxes: {algorithm: %s}\n", name, axis)
		s, err := Parse([]byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		var recs [2][]*Record
		for i, workers := range []int{2, 1} {
			dir := filepath.Join(t.TempDir(), "out")
			rep, err := RunSweep(context.Background(), s, dir, Options{Workers: workers})
			if err != nil || rep.Failed > 0 {
				t.Fatalf("%s, %d workers: %v (%+v)", name, workers, err, rep)
			}
			for _, r := range s.Runs {
				rec, err := ReadRecord(dir, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				recs[i] = append(recs[i], rec)
			}
		}
		for k := range recs[0] {
			a, b := *recs[0][k], *recs[1][k]
			if !reflect.DeepEqual(a.Trace, b.Trace) || !reflect.DeepEqual(a.Exploitability, b.Exploitability) {
				t.Errorf("%s, run %s: two workers recorded %v, one worker %v", name, a.ID, a.Trace, b.Trace)
			}
		}
	}
}
