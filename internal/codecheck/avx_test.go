package codecheck

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// avxOnly are the assembly files whose kernels run where cpu.X86.HasAVX is set (with HasFMA for
// expinto), not HasAVX2: an AVX2 instruction in them would fault on the processors with AVX
// alone (Sandy Bridge, Ivy Bridge), which GODEBUG=cpu.avx2=off cannot show on a newer machine.
var avxOnly = []string{
	"algorithms/add_scaled_amd64.s",
	"engine/distance_amd64.s",
	"finite/rows_amd64.s",
	"finite/stencil_amd64.s",
	"games/random_linear_amd64.s",
	"internal/fastmath/expinto_amd64.s",
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
