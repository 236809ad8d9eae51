package mfglibref

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// MFOMORun is one MFGLib MF-OMO run: its exploitability trace (index 0 the initial policy, then
// iterations 1..N), or the error MFGLib raised.
type MFOMORun struct {
	Expl  Trace  `json:"expl"`
	Error string `json:"error"`
	// Perturbed, on float64 runs, is the same run started from MFGLib's initial variables with
	// every entry changed by a relative 1e-15: where it leaves Expl, MFGLib's trace depends on
	// rounding.
	Perturbed *MFOMORun `json:"perturbed"`
}

// Trace is a list of exploitabilities; the file writes non-finite ones as "NaN", "Inf", "-Inf".
type Trace []float64

// UnmarshalJSON reads numbers and the strings of non-finite values.
func (tr *Trace) UnmarshalJSON(b []byte) error {
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Trace, len(raw))
	for i, v := range raw {
		switch x := v.(type) {
		case float64:
			out[i] = x
		case string:
			switch x {
			case "NaN":
				out[i] = math.NaN()
			case "Inf":
				out[i] = math.Inf(1)
			case "-Inf":
				out[i] = math.Inf(-1)
			default:
				return fmt.Errorf("trace entry %d = %q: not a number", i, x)
			}
		default:
			return fmt.Errorf("trace entry %d = %v: not a number", i, v)
		}
	}
	*tr = out
	return nil
}

// LeftRight4000 is MFGLib's test_alg_on_lr for MFOMO() from one μ0: the last of 4000 iterations.
type LeftRight4000 struct {
	Mu0 []float64 `json:"mu0"`
	// MassLeft is μ0 · π_4000[0, :, left].
	MassLeft float64 `json:"mu0_dot_pi_last_0_left"`
	ExplLast float64 `json:"expl_last"`
	// PiLast is π_4000 as [t][s][a].
	PiLast [][][]float64 `json:"pi_last"`
}

// MFOMOReference is finite/testdata/mfglib_mf_omo_reference.json (written by
// finite/testdata/mfglib_driver/mf_omo_reference.py, which records how).
type MFOMOReference struct {
	TorchVersion string `json:"torch_version"`
	// Defaults[dtype][game] are the runs of MFOMO() on Environment.<game>(), dtype "float32" or
	// "float64"; Variants[dtype][setting][game] those with other settings (named as
	// "loss=l1"). Games have MFGLib's names (beach_bar, ...).
	Defaults      map[string]map[string]MFOMORun            `json:"defaults"`
	Variants      map[string]map[string]map[string]MFOMORun `json:"variants"`
	LeftRight4000 map[string][]LeftRight4000                `json:"left_right_4000"`
	// LinearQuadraticPolicies are MFOMO()'s policies π_0..π_3 on linear_quadratic in float64,
	// each flattened (t, s, a).
	LinearQuadraticPolicies [][]float64 `json:"linear_quadratic_policies_float64"`
}

// MFOMOPath is the MF-OMO reference file's path.
func MFOMOPath() string {
	return filepath.Join(filepath.Dir(Path()), "mfglib_mf_omo_reference.json")
}

// LoadMFOMO reads the MF-OMO reference file.
func LoadMFOMO() (*MFOMOReference, error) {
	raw, err := os.ReadFile(MFOMOPath())
	if err != nil {
		return nil, err
	}
	var ref MFOMOReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		return nil, fmt.Errorf("%s: %w", MFOMOPath(), err)
	}
	if len(ref.Defaults["float64"]) == 0 || len(ref.Defaults["float32"]) == 0 {
		return nil, fmt.Errorf("%s: no float32 or float64 runs", MFOMOPath())
	}
	return &ref, nil
}

// MFOMOGradients is finite/testdata/mfglib_mf_omo_gradients.json (written by
// finite/testdata/mfglib_driver/mf_omo_gradient_reference.py, which records how): MFGLib's
// autograd gradient of the MF-OMO objective in float64, per game (MFGLib's names).
type MFOMOGradients struct {
	Games map[string]struct {
		Init   MFOMOGradient `json:"init"`
		Random *struct {
			L, Z, Y, V, W []float64
			C             []float64     `json:"c"`
			Parameterized MFOMOGradient `json:"parameterized_l1_l2"`
			L1L2          MFOMOGradient `json:"l1_l2"`
			L2            MFOMOGradient `json:"l2"`
			L1            MFOMOGradient `json:"l1"`
		} `json:"random"`
	} `json:"games"`
}

// MFOMOGradient is the objective at a point and its gradient in the three blocks of variables
// (L, z, y, or u, v, w parameterised), in full or, on the large games, as Digests.
type MFOMOGradient struct {
	Objective float64 `json:"objective"`
	// GL, GZ, GY hold a []float64, or a Digest on the large games.
	// (encoding/json matches the keys gL, gz, ... to these names case-insensitively.)
	GL, GZ, GY json.RawMessage
	GU, GV, GW []float64
}

// Digest is a gradient block's Σ g² and Σ_i g_i sin(i+1).
type Digest struct {
	SumSquares float64 `json:"sum_squares"`
	DotSin     float64 `json:"dot_sin"`
}

// LoadMFOMOGradients reads the gradient reference file.
func LoadMFOMOGradients() (*MFOMOGradients, error) {
	path := filepath.Join(filepath.Dir(Path()), "mfglib_mf_omo_gradients.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ref MFOMOGradients
	if err := json.Unmarshal(raw, &ref); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(ref.Games) == 0 {
		return nil, fmt.Errorf("%s: no games", path)
	}
	return &ref, nil
}
