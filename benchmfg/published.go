package benchmfg

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// publishedJSON is Bench-MFG's published results, extracted from its best_model.yaml files by
// testdata/extract.py (the file records the repository, commit and command).
//
//go:embed testdata/published.json
var publishedJSON []byte

// Published is Bench-MFG's published results: per environment and algorithm directory
// (src/results/<Env>/<Alg>/best_model.yaml), the best version of the sweep and its runs.
type Published struct {
	Source  map[string]string                     `json:"source"`
	Results map[string]map[string]PublishedResult `json:"results"`
}

// PublishedResult is one best_model.yaml: the best version's name, the mean and population
// standard deviation (ddof 0) of the final exploitability over the seeds, and per seed ("42", …)
// its run. Histories are float32 values (each the shortest decimal that rounds to it).
type PublishedResult struct {
	BestVersion string                  `json:"best_version"`
	Mean        float64                 `json:"mean"`
	Std         float64                 `json:"std"`
	Seeds       map[string]PublishedRun `json:"seeds"`
}

// PublishedRun is one seed's run: the final exploitability and the whole history.
type PublishedRun struct {
	Final   float64   `json:"final"`
	History []float64 `json:"history"`
}

var loadPublished = sync.OnceValues(func() (*Published, error) {
	var p Published
	if err := json.Unmarshal(publishedJSON, &p); err != nil {
		return nil, fmt.Errorf("benchmfg: published results: %w", err)
	}
	return &p, nil
})

// LoadPublished returns the embedded published results, parsed once; callers must not modify them.
func LoadPublished() (*Published, error) { return loadPublished() }

// Lookup returns the published result of an environment (e.g. "LasryLionsChain") and algorithm
// directory (e.g. "OMD").
func (p *Published) Lookup(env, dir string) (PublishedResult, error) {
	r, ok := p.Results[env][dir]
	if !ok {
		return PublishedResult{}, fmt.Errorf("benchmfg: no published result for environment %q, algorithm %q", env, dir)
	}
	return r, nil
}

// Seeds are the seeds of Bench-MFG's published runs, in the order its tables use.
var Seeds = []uint32{42, 10, 111, 1032}

// SuiteGame is one of Bench-MFG's games: this project's registered name and Bench-MFG's
// environment name.
type SuiteGame struct{ Name, Env string }

// SuiteGames are the eight games with published results.
var SuiteGames = []SuiteGame{
	{"contraction", "ContractionGame"},
	{"lasry-lions-chain", "LasryLionsChain"},
	{"sis-epidemic", "SISEpidemic"},
	{"kinetic-congestion", "KineticCongestion"},
	{"no-interaction", "NoInteractionChain"},
	{"multiple-equilibria", "MultipleEquilibriaGame"},
	{"skew-rps", "RockPaperScissors"},
	{"four-rooms-obstacles", "FourRoomsAversion2D"},
}

// SuiteAlgorithm is one of Bench-MFG's result directories: this package's name for it and the
// directory.
type SuiteAlgorithm struct{ Name, Dir string }

// SuiteAlgorithms are the eight result directories.
var SuiteAlgorithms = []SuiteAlgorithm{
	{"pi", "PI_policy_iteration"},
	{"smooth-pi", "PI_smooth_policy_iteration"},
	{"boltzmann-pi", "PI_boltzmann_policy_iteration"},
	{"pure-fp", "DampedFP_pure"},
	{"damped-fp", "DampedFP_damped"},
	{"fictitious-play", "DampedFP_fictitious_play"},
	{"omd", "OMD"},
	{"pso", "PSO"},
}

// FindGame returns the suite game of a registered name.
func FindGame(name string) (SuiteGame, error) {
	for _, g := range SuiteGames {
		if g.Name == name {
			return g, nil
		}
	}
	names := make([]string, len(SuiteGames))
	for i, g := range SuiteGames {
		names[i] = g.Name
	}
	return SuiteGame{}, fmt.Errorf("game = %q: not a Bench-MFG game; one of %s", name, strings.Join(names, ", "))
}

// FindAlgorithm returns the suite algorithm of a name.
func FindAlgorithm(name string) (SuiteAlgorithm, error) {
	i := slices.IndexFunc(SuiteAlgorithms, func(a SuiteAlgorithm) bool { return a.Name == name })
	if i < 0 {
		names := make([]string, len(SuiteAlgorithms))
		for i, a := range SuiteAlgorithms {
			names[i] = a.Name
		}
		return SuiteAlgorithm{}, fmt.Errorf("algorithm = %q: unknown; one of %s", name, strings.Join(names, ", "))
	}
	return SuiteAlgorithms[i], nil
}

// versionParam matches a hyperparameter in a version name: lr0p0500 (0.05), temp0p20, damped0p10,
// and MF-PSO's w0p70, c10p30 (c1 = 0.3), c21p20 (c2 = 1.2).
var versionParam = regexp.MustCompile(`(lr|temp|damped|w|c1|c2)(\d+)p(\d+)`)

// VersionParams are the hyperparameters encoded in a version name, by their key in the name.
type VersionParams map[string]float64

// Get returns the hyperparameter key, or def when the name does not set it (the configuration
// file's default).
func (p VersionParams) Get(key string, def float64) float64 {
	if v, ok := p[key]; ok {
		return v
	}
	return def
}

// parseVersion reads the hyperparameters encoded in a version name.
func parseVersion(version string) (VersionParams, error) {
	out := VersionParams{}
	for _, m := range versionParam.FindAllStringSubmatch(version, -1) {
		v, err := strconv.ParseFloat(m[2]+"."+m[3], 64)
		if err != nil {
			return nil, fmt.Errorf("version = %q: %s: %w", version, m[0], err)
		}
		out[m[1]] = v
	}
	return out, nil
}

// learnerMakers builds each result directory's learner from the hyperparameters of a version
// name (Bench-MFG's sweeps, scripts/run_pi.sh, run_omd.sh, run_dampedfp.sh), the defaults of its
// configuration files filling what a name leaves out. Parameters a variant does not use (the
// temperature of plain and smooth PI, the damping of Boltzmann PI) are ignored, as in Bench-MFG.
// A file adding a learner adds its directory here in an init function (MF-PSO: "PSO").
var learnerMakers = map[string]func(VersionParams) Learner{
	"PI_policy_iteration": func(VersionParams) Learner { return PolicyIteration{Variant: PIPlain} },
	"PI_smooth_policy_iteration": func(p VersionParams) Learner {
		return PolicyIteration{Variant: PISmooth, Damping: p.Get("damped", 0.4)}
	},
	"PI_boltzmann_policy_iteration": func(p VersionParams) Learner {
		return PolicyIteration{Variant: PIBoltzmann, Temperature: p.Get("temp", 0.2)}
	},
	"DampedFP_pure":            func(VersionParams) Learner { return DampedFP{Schedule: Pure} },
	"DampedFP_damped":          func(p VersionParams) Learner { return DampedFP{Schedule: Damped, Damping: p.Get("damped", 0.2)} },
	"DampedFP_fictitious_play": func(VersionParams) Learner { return DampedFP{Schedule: FictitiousPlay} },
	"OMD": func(p VersionParams) Learner {
		return OMD{LearningRate: p.Get("lr", 0.005), Temperature: p.Get("temp", 0.2)}
	},
}

// errNoLearner is LearnerFor's error for a result directory without a learner here.
var errNoLearner = errors.New("no learner here yet")

// LearnerFor returns the learner of a result directory with the hyperparameters of a version
// name from its sweep: lr0p0500 is η = 0.05, temp0p20 τ = 0.2, damped0p10 λ or α = 0.1.
func LearnerFor(dir, version string) (Learner, error) {
	mk, ok := learnerMakers[dir]
	if !ok {
		if slices.ContainsFunc(SuiteAlgorithms, func(a SuiteAlgorithm) bool { return a.Dir == dir }) {
			return nil, fmt.Errorf("algorithm = %q: %w", dir, errNoLearner)
		}
		return nil, fmt.Errorf("algorithm = %q: not a Bench-MFG result directory", dir)
	}
	p, err := parseVersion(version)
	if err != nil {
		return nil, err
	}
	return mk(p), nil
}

// The learners implement Learner.
var _ = []Learner{PolicyIteration{}, DampedFP{}, OMD{}}
