package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/plot"
)

// solveInto solves the game with params for a few iterations into a new folder and returns it.
func solveInto(t *testing.T, game string, params map[string]any, iterations int) (string, *SolveReport) {
	t.Helper()
	cfg := DefaultSolveConfig()
	cfg.Run.Game, cfg.Run.Iterations, cfg.Params = game, iterations, params
	dir := t.TempDir()
	rep, err := RunSolve(context.Background(), cfg, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, rep
}

// result.json counts the time steps as the tables do and names every state and action as the
// game does.
func TestResultJSONLabelsAndTimeSteps(t *testing.T) {
	dir, rep := solveInto(t, "crowd-modelling", map[string]any{"horizon": 4, "size": 6}, 2)
	var out struct {
		TimeSteps    int           `json:"time_steps"`
		Horizon      *int          `json:"horizon"`
		StateLabels  []string      `json:"state_labels"`
		ActionLabels []string      `json:"action_labels"`
		Policy       [][][]float64 `json:"policy"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.TimeSteps != 4 || len(out.Policy) != 4 || out.Horizon != nil {
		t.Errorf("time_steps %d, horizon %v, %d policy tables: want 4 time steps t = 0..3 and no horizon", out.TimeSteps, out.Horizon, len(out.Policy))
	}
	if !slices.Equal(out.StateLabels, []string{"0", "1", "2", "3", "4", "5"}) || !slices.Equal(out.ActionLabels, []string{"left", "stay", "right"}) {
		t.Errorf("labels %q and %q", out.StateLabels, out.ActionLabels)
	}
	if len(out.Policy[0]) != len(out.StateLabels) || len(out.Policy[0][0]) != len(out.ActionLabels) {
		t.Errorf("the policy is %d×%d, the labels %d and %d", len(out.Policy[0]), len(out.Policy[0][0]), len(out.StateLabels), len(out.ActionLabels))
	}
	if got := mfg.StateLabels(rep.Game); !slices.Equal(got, out.StateLabels) {
		t.Errorf("state labels %q, the game's %q", out.StateLabels, got)
	}
}

// resolvedYAML returns the top-level map of resolved.yaml for a default solve of game by algorithm.
func resolvedYAML(t *testing.T, game, algorithm string) map[string]any {
	t.Helper()
	given := DefaultSolveConfig()
	given.Run.Game, given.Run.Algorithm = game, algorithm
	resolved, err := given.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	g, _, err := resolved.Build()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, o := range solveConfigOutputs(given, resolved, g) {
		if o.name == "resolved.yaml" {
			if err := o.write(&buf); err != nil {
				t.Fatal(err)
			}
		}
	}
	var m map[string]any
	if err := yaml.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// resolved.yaml of a finite-horizon game holds its own parameters, all of them, and none of the
// keys that change nothing in its solve: no GMF-V to compare with, no seed for an algorithm that
// draws no random numbers. The auction solved by GMF-Q keeps both.
func TestResolvedYAMLHoldsWhatApplies(t *testing.T) {
	for _, name := range games.Names() {
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := g.(mfg.Finite); !ok {
			continue
		}
		m := resolvedYAML(t, name, "")
		e, _ := games.Lookup(name)
		params, _ := m["params"].(map[string]any)
		var keys []string
		for k := range params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := games.ParamNames(e.Defaults())
		slices.Sort(want)
		if !slices.Equal(keys, want) {
			t.Errorf("%s: params %q, want the game's %q", name, keys, want)
		}
		for _, k := range []string{"compare-to-gmf-v", "seed"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s: resolved.yaml holds %s, which does not apply to fictitious play on it", name, k)
			}
		}
		if m["algorithm"] != "fictitious-play" || m["exploitability"] != true || m["game"] != name {
			t.Errorf("%s: resolved.yaml lacks a key that applies: %v", name, m)
		}
	}
	m := resolvedYAML(t, "auction", "gmf-q")
	if m["seed"] != 1 || m["compare-to-gmf-v"] != true {
		t.Errorf("auction by GMF-Q: seed %v, compare-to-gmf-v %v: want both", m["seed"], m["compare-to-gmf-v"])
	}
	if _, ok := resolvedYAML(t, "auction", "gmf-v")["seed"]; ok {
		t.Error("auction by GMF-V, which draws no random numbers: resolved.yaml holds a seed")
	}
}

// resolved.yaml repeats the run it describes: read back, it resolves to the same choices.
func TestResolvedYAMLRepeatsTheRun(t *testing.T) {
	dir, rep := solveInto(t, "beach-bar", map[string]any{"n": 6}, 3)
	again, err := LoadYAMLFile(filepath.Join(dir, "resolved.yaml"), DefaultSolveConfig())
	if err != nil {
		t.Fatal(err)
	}
	r, err := again.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	want := rep.Config.Run
	want.Seed = r.Run.Seed // fictitious play draws no random numbers: resolved.yaml has no seed
	if r.Run != want || !reflect.DeepEqual(r.Params, rep.Config.Params) || !reflect.DeepEqual(r.AlgorithmParams, rep.Config.AlgorithmParams) {
		t.Errorf("resolved.yaml read back resolves to %+v, the run was %+v", r, rep.Config)
	}
}

// checkPNG checks that path decodes as a PNG of w×h inches at plot.PNGDPI.
func checkPNG(t *testing.T, path string, wInches, hInches float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	w, h := int(math.Round(wInches*plot.PNGDPI)), int(math.Round(hInches*plot.PNGDPI))
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Errorf("%s is %v pixels, want %dx%d", path, got, w, h)
	}
	svg, err := os.ReadFile(strings.TrimSuffix(path, ".png") + ".svg")
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("no SVG beside %s (%v)", path, err)
	}
}

// manifestFiles returns the files manifest.json lists.
func manifestFiles(t *testing.T, dir string) []string {
	t.Helper()
	var m struct{ Files []string }
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Files
}

// Crowd modelling (a line) gets the population over time beside the mean move, 11 × 4.5 inches;
// crowd motion (a plane) and building evacuation (floors) maps at the snapshot times, 2.3 inches
// a map plus 1.2 across for the colour bar and 0.5 down for the title. Left-right, without
// positions, gets none, and a later solve of it into the same folder removes the earlier figure.
func TestPopulationFigures(t *testing.T) {
	for _, c := range []struct {
		game   string
		params map[string]any
		w, h   float64
	}{
		{"crowd-modelling", nil, 11, 4.5},
		{"crowd-motion", map[string]any{"torus-l": 6, "torus-w": 8}, 4*2.3 + 1.2, 2.3 + 0.5}, // T = 3: t = 0, 1, 2, 3
		{"building-evacuation", map[string]any{"n-floor": 2, "floor-l": 3, "floor-w": 4, "T": 2}, 3*2.3 + 1.2, 2*2.3 + 0.5},
	} {
		cfg := DefaultSolveConfig()
		cfg.Run.Game, cfg.Run.Iterations, cfg.Params, cfg.PNG = c.game, 2, c.params, true
		dir := t.TempDir()
		if _, err := RunSolve(context.Background(), cfg, dir, nil); err != nil {
			t.Fatal(err)
		}
		checkPNG(t, filepath.Join(dir, "population.png"), c.w, c.h)
		if files := manifestFiles(t, dir); !slices.Contains(files, "population.png") || !slices.Contains(files, "population.svg") {
			t.Errorf("%s: manifest.json lists %q", c.game, files)
		}
	}
	dir, _ := solveInto(t, "crowd-modelling", nil, 1)
	cfg := DefaultSolveConfig()
	cfg.Run.Game, cfg.Run.Iterations = "left-right", 1
	if _, err := RunSolve(context.Background(), cfg, dir, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"population.png", "population.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("left-right left %s of the earlier crowd-modelling solve (%v)", f, err)
		}
	}
}

// The figures are SVG only unless PNG is asked for, and a solve without PNG removes an earlier
// solve's PNGs from its folder.
func TestFiguresPNGOnRequest(t *testing.T) {
	dir := t.TempDir()
	for _, png := range []bool{true, false} {
		cfg := DefaultSolveConfig()
		cfg.Run.Game, cfg.Run.Iterations, cfg.PNG = "crowd-modelling", 1, png
		if _, err := RunSolve(context.Background(), cfg, dir, nil); err != nil {
			t.Fatal(err)
		}
		files := manifestFiles(t, dir)
		for _, f := range []string{"convergence", "population"} {
			_, err := os.Stat(filepath.Join(dir, f+".png"))
			if listed := slices.Contains(files, f+".png"); listed != png || (err == nil) != png {
				t.Errorf("PNG %v: %s.png listed %v, on disk: %v", png, f, listed, err)
			}
			if !slices.Contains(files, f+".svg") {
				t.Errorf("PNG %v: %s.svg not listed in %q", png, f, files)
			}
		}
	}
}

func TestSnapshotTimes(t *testing.T) {
	for T, want := range map[int][]int{0: {0}, 1: {0, 1}, 2: {0, 1, 2}, 3: {0, 1, 2, 3}, 9: {0, 3, 6, 9}, 50: {0, 17, 33, 50}} {
		if got := SnapshotTimes(T); !slices.Equal(got, want) {
			t.Errorf("SnapshotTimes(%d) = %v, want %v", T, got, want)
		}
	}
	if got := spread(20, 6); !slices.Equal(got, []int{0, 3, 7, 11, 15, 19}) {
		t.Errorf("spread(20, 6) = %v", got)
	}
}
