package benchmfg

import (
	_ "embed"
	"encoding/json"
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

// SuiteAlgorithms are the eight result directories; PSO has no learner here yet.
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

// versionParam matches a hyperparameter in a version name: lr0p0500 (0.05), temp0p20, damped0p10.
var versionParam = regexp.MustCompile(`(lr|temp|damped)(\d+)p(\d+)`)

// versionParams reads the hyperparameters encoded in a version name.
func versionParams(version string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, m := range versionParam.FindAllStringSubmatch(version, -1) {
		v, err := strconv.ParseFloat(m[2]+"."+m[3], 64)
		if err != nil {
			return nil, fmt.Errorf("version = %q: %s: %w", version, m[0], err)
		}
		out[m[1]] = v
	}
	return out, nil
}

// LearnerFor returns the learner of a result directory with the hyperparameters of a version
// name from its sweep (scripts/run_pi.sh, run_omd.sh, run_dampedfp.sh): lr0p0500 is η = 0.05,
// temp0p20 τ = 0.2, damped0p10 λ or α = 0.1. Parameters a variant does not use (the temperature
// of plain and smooth PI, the damping of Boltzmann PI) are ignored, as in Bench-MFG. The
// defaults of the configuration files fill what a name leaves out.
func LearnerFor(dir, version string) (Learner, error) {
	p, err := versionParams(version)
	if err != nil {
		return nil, err
	}
	get := func(key string, def float64) float64 {
		if v, ok := p[key]; ok {
			return v
		}
		return def
	}
	switch dir {
	case "PI_policy_iteration":
		return PolicyIteration{Variant: PIPlain}, nil
	case "PI_smooth_policy_iteration":
		return PolicyIteration{Variant: PISmooth, Damping: get("damped", 0.4)}, nil
	case "PI_boltzmann_policy_iteration":
		return PolicyIteration{Variant: PIBoltzmann, Temperature: get("temp", 0.2)}, nil
	case "DampedFP_pure":
		return DampedFP{Schedule: Pure}, nil
	case "DampedFP_damped":
		return DampedFP{Schedule: Damped, Damping: get("damped", 0.2)}, nil
	case "DampedFP_fictitious_play":
		return DampedFP{Schedule: FictitiousPlay}, nil
	case "OMD":
		return OMD{LearningRate: get("lr", 0.005), Temperature: get("temp", 0.2)}, nil
	case "PSO":
		return nil, fmt.Errorf("algorithm = %q: MF-PSO has no learner here yet", dir)
	}
	return nil, fmt.Errorf("algorithm = %q: not a Bench-MFG result directory", dir)
}

// The learners implement Learner.
var _ = []Learner{PolicyIteration{}, DampedFP{}, OMD{}}
