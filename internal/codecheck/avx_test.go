package codecheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// avxOnly are the assembly files whose kernels run where cpu.X86.HasAVX is set (with HasFMA for
// expinto), not HasAVX2: an AVX2 instruction in them would fault on the processors with AVX
// alone (Sandy Bridge, Ivy Bridge), which GODEBUG=cpu.avx2=off cannot show on a newer machine.
var avxOnly = []string{
	"algorithms/add_scaled_amd64.s",
	"algorithms/mix5_amd64.s",
	"engine/distance_amd64.s",
	"engine/feasible_amd64.s",
	"finite/rows_amd64.s",
	"finite/stencil_amd64.s",
	"games/mf_garnet_amd64.s",
	"games/random_linear_amd64.s",
	"internal/fastmath/expinto_amd64.s",
	"rl/argmax_rows_amd64.s",
}

// avx2Gated are the assembly files whose kernels run only where cpu.X86.HasAVX2 is set.
var avx2Gated = []string{
	"games/crowd_motion_amd64.s",
	"games/random_linear_stage5_amd64.s",
	"internal/fastmath/exptable_amd64.s",
	"internal/fastmath/log_amd64.s",
	"rl/softmax_rows_amd64.s",
}

// avx512Gated are the assembly files (each also in avx2Gated or avxOnly) that may use AVX-512
// forms, on a path their Go side takes only where cpu.X86.HasAVX512F is set: without it those
// forms fault, and GODEBUG=cpu.avx512f=off shows only the paths that ask it.
var avx512Gated = []string{
	"games/random_linear_stage5_amd64.s",
}

// Every assembly file is in avxOnly or avx2Gated, so that a new one is checked or said to need
// AVX2 (its Go side must then ask cpu.X86.HasAVX2).
func TestAssemblyFilesClassified(t *testing.T) {
	known := map[string]bool{}
	for _, name := range append(slices.Clone(avxOnly), avx2Gated...) {
		known[name] = true
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".s") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			if rel = filepath.ToSlash(rel); !known[rel] {
				t.Errorf("%s: add it to avxOnly (run on AVX alone) or avx2Gated (run on AVX2)", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// avx2Form matches an instruction that needs AVX2: a broadcast from a register (AVX's reads
// memory), the integer broadcasts, permutes, blends, variable shifts, gathers and lane moves of
// AVX2, and any other VP instruction (integer) on a Y register, but for AVX's VPERM2F128 and
// VPERMILPD/PS.
var (
	avx2Form = regexp.MustCompile(`^\s*(VBROADCASTS[SD]\s+X\d|VPBROADCAST|VINSERTI128|VEXTRACTI128|VPERM2I128|VPERM[QD]\b|VPERMP[SD]\b|VPBLENDD|VPS[LR]LV|VPSRAV|V(P)?GATHER|VPMASKMOV)`)
	vpOnY    = regexp.MustCompile(`^\s*(VP[A-Z0-9]+)\b.*\bY\d+`)
)

// The kernels that run on AVX alone use no AVX2 instruction.
func TestAVXKernelsNeedNoAVX2(t *testing.T) {
	for _, name := range avxOnly {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			code, _, _ := strings.Cut(line, "//")
			m := vpOnY.FindStringSubmatch(code)
			avx := m != nil && (m[1] == "VPERM2F128" || strings.HasPrefix(m[1], "VPERMILP"))
			if avx2Form.MatchString(code) || m != nil && !avx {
				t.Errorf("%s:%d: an AVX2 instruction in a kernel run on AVX alone: %s", name, i+1, strings.TrimSpace(code))
			}
		}
	}
}

// avx512Form matches an instruction that needs AVX-512: a ZMM or opmask register, X16-X31 or
// Y16-Y31, an EVEX broadcast, zeroing or rounding suffix, or an opmask or AVX-512-only mnemonic.
var avx512Form = regexp.MustCompile(`\b(Z\d+|K[0-7]|[XY](1[6-9]|2\d|3[01]))\b|\.(BCST|Z|SAE|R[NDUZ]_SAE)\b|^\s*(K[A-Z]+W?\b|VRNDSCALE|VEXTRACT[FI](32X4|64X2|32X8|64X4)|VINSERT[FI](32X4|64X2|32X8|64X4)|VPERM[TI]2|VPTERNLOG|VCOMPRESS|VEXPAND|VSCALEF|VGETEXP|VGETMANT|VFIXUPIMM|VRCP14|VRSQRT14|VALIGN[DQ]|VBLENDM|VPMOV[QDW][BWD]\b)`)

// Only the avx512Gated files use AVX-512 forms, and each of them has a Go side (the file of the
// same name, .go) that asks cpu.X86.HasAVX512F.
func TestAVX512FormsGated(t *testing.T) {
	for _, name := range append(slices.Clone(avxOnly), avx2Gated...) {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		gated, used := slices.Contains(avx512Gated, name), false
		for i, line := range strings.Split(string(data), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if avx512Form.MatchString(code) {
				used = true
				if !gated {
					t.Errorf("%s:%d: an AVX-512 form in a file not in avx512Gated: %s", name, i+1, strings.TrimSpace(code))
				}
			}
		}
		if gated && !used {
			t.Errorf("%s: in avx512Gated but uses no AVX-512 form", name)
		}
	}
	for _, name := range avx512Gated {
		if !slices.Contains(avxOnly, name) && !slices.Contains(avx2Gated, name) {
			t.Errorf("%s: in avx512Gated but in neither avxOnly nor avx2Gated", name)
		}
		goSide, err := os.ReadFile(filepath.Join(root, strings.TrimSuffix(name, ".s")+".go"))
		if err != nil {
			t.Errorf("%s: its Go side: %v", name, err)
		} else if !strings.Contains(string(goSide), "cpu.X86.HasAVX512F") {
			t.Errorf("%s: its Go side does not ask cpu.X86.HasAVX512F", name)
		}
	}
}
