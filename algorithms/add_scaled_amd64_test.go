package algorithms

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// On a machine with AVX the kernel is in use: its probe passed.
func TestAddScaledAVXOn(t *testing.T) {
	if !cpu.X86.HasAVX {
		t.Skip("no AVX")
	}
	if !addScaledFast {
		t.Fatal("the processor has AVX but addScaledAVX failed its probe")
	}
}
