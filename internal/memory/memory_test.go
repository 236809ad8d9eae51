package memory

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"16GiB", 16 << 30}, {"512MiB", 512 << 20}, {"512mib", 512 << 20}, {"1.5TiB", 3 << 39},
		{"8G", 8 << 30}, {"2GB", 2e9}, {"100", 100}, {"64 KiB", 64 << 10}, {"1b", 1},
	} {
		if got, err := ParseSize(c.in); err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "lots", "16XB", "GiB", "-1GiB", "0", "0.1", "1e30", "9999PiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestFormatSizeAndCount(t *testing.T) {
	for in, want := range map[float64]string{
		512: "512 bytes", 512 << 20: "512 MiB", 17.6 * (1 << 30): "17.6 GiB", 2.5 * (1 << 40): "2.5 TiB", 1 << 70: "1.02e+03 EiB",
	} {
		if got := FormatSize(in); got != want {
			t.Errorf("FormatSize(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{5: "5", 999999: "999999", 1e10: "1e10", 2.5e12: "2.5e12", 1234567: "1.23e6"} {
		if got := Count(in); got != want {
			t.Errorf("Count(%v) = %q, want %q", in, got, want)
		}
	}
}

// The default limit is 3/4 of MemTotal, or the fallback; Limit takes a given limit over it.
func TestDefaultLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meminfo")
	os.WriteFile(path, []byte("MemFree:  100 kB\nMemTotal:       24683584 kB\n"), 0o644)
	if got := meminfo(path); got != 24683584<<10 {
		t.Errorf("meminfo = %d", got)
	}
	if got := meminfo(filepath.Join(t.TempDir(), "absent")); got != 0 {
		t.Errorf("meminfo of no file = %d", got)
	}
	if d := Default(); d <= 0 || (d != Fallback && !strings.HasPrefix(DefaultSource(), "3/4 of the ")) {
		t.Errorf("Default() = %d (%s)", d, DefaultSource())
	}
	if Limit(1<<20) != 1<<20 || Limit(0) != Default() {
		t.Error("Limit does not prefer the given limit")
	}
}

// The cgroup limit is looked for in the process's own cgroup, v2 and v1, and at the root.
func TestCgroupLimitFiles(t *testing.T) {
	got := limitFiles("12:cpu,cpuacct:/job\n4:memory:/slurm/uid_1/job_7\n0::/user.slice/job.scope\n3:memory:/../x\n")
	want := []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
		"/sys/fs/cgroup/memory/slurm/uid_1/job_7/memory.limit_in_bytes", "/sys/fs/cgroup/user.slice/job.scope/memory.max"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("limitFiles = %v, want %v", got, want)
	}
}

func TestCheckWorkers(t *testing.T) {
	for _, ok := range []int{0, 1, MaxWorkers()} {
		if err := CheckWorkers(ok); err != nil {
			t.Errorf("workers = %d: %v", ok, err)
		}
	}
	for _, bad := range []int{-1, MaxWorkers() + 1, 1000000} {
		if err := CheckWorkers(bad); err == nil || !strings.Contains(err.Error(), "workers = ") {
			t.Errorf("workers = %d: %v", bad, err)
		}
	}
	if MaxWorkers() != WorkersPerCore*runtime.NumCPU() {
		t.Error("MaxWorkers")
	}
}

// ReadAll stops after MaxFileSize bytes: an endless reader fails at once.
func TestReadAllIsBounded(t *testing.T) {
	if b, err := ReadAll(strings.NewReader("game: auction\n")); err != nil || string(b) != "game: auction\n" {
		t.Errorf("%q, %v", b, err)
	}
	if _, err := ReadAll(bytes.NewReader(make([]byte, MaxFileSize))); err != nil {
		t.Errorf("exactly the limit: %v", err)
	}
	if _, err := ReadAll(endless{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("endless input: %v", err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }
