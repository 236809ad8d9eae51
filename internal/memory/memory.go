// Package memory holds the limits a run is checked against before it allocates: sizes written as
// 16GiB or 512MiB, the default memory limit (3/4 of the machine's memory), the cap on workers (a
// multiple of the cores) and the bounded reading of configuration and sweep files.
package memory

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// units are the suffixes ParseSize reads, by their lower-case spelling: binary ones (KiB, and
// the bare K) and decimal ones (KB).
var units = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	"p": 1 << 50, "pib": 1 << 50, "pb": 1e15,
}

// ParseSize reads a positive size in bytes: a number and a unit, such as 16GiB, 512MiB, 1.5TiB,
// 8G (a bare K, M, G, T or P is binary, like KiB ... PiB; KB ... PB are powers of 1000) or 1000000
// (bytes).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	x, err := strconv.ParseFloat(num, 64)
	scale, ok := units[unit]
	if err != nil || !ok {
		return 0, fmt.Errorf("%q is not a size: write a number and a unit, such as 16GiB or 512MiB", s)
	}
	b := x * scale
	switch {
	case !(b >= 1):
		return 0, fmt.Errorf("%q: must be at least 1 byte", s)
	case b > math.MaxInt64/2:
		return 0, fmt.Errorf("%q: at most 4 EiB", s)
	}
	return int64(b), nil
}

// FormatSize writes a number of bytes with a binary unit and 3 significant digits: 512 MiB,
// 17.6 GiB, 2.3 TiB.
func FormatSize(bytes float64) string {
	names := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for bytes >= 1024 && i < len(names)-1 {
		bytes /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f bytes", bytes)
	}
	return strconv.FormatFloat(bytes, 'g', 3, 64) + " " + names[i]
}

// Count writes a count (a product of sizes, which may be far beyond an int) briefly: in full
// below a million, else as 2.5e10.
func Count(x float64) string {
	if x < 1e6 && x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	m, e, _ := strings.Cut(strconv.FormatFloat(x, 'e', 2, 64), "e")
	m = strings.TrimSuffix(strings.TrimRight(m, "0"), ".")
	exp, _ := strconv.Atoi(e)
	return fmt.Sprintf("%se%d", m, exp)
}

// Fallback is the default limit where the machine's memory cannot be read (no /proc/meminfo).
const Fallback = 8 << 30

// defaultLimit finds the default limit once: 3/4 of the machine's memory.
var defaultLimit = sync.OnceValues(func() (int64, string) {
	total, source := machineMemory()
	if total <= 0 {
		return Fallback, fmt.Sprintf("%s: the machine's memory could not be read", FormatSize(Fallback))
	}
	return total / 4 * 3, fmt.Sprintf("3/4 of the %s of %s", FormatSize(float64(total)), source)
})

// Default is the default memory limit: 3/4 of the machine's memory, that is of MemTotal in
// /proc/meminfo or of the process's cgroup limit (memory.max, or memory.limit_in_bytes in cgroup
// v1) when that is lower (a container's, a Slurm job's), and Fallback (8 GiB) where neither can be
// read.
func Default() int64 { l, _ := defaultLimit(); return l }

// DefaultSource says how Default was found, for help texts: "3/4 of the 23.5 GiB of
// /proc/meminfo".
func DefaultSource() string { _, s := defaultLimit(); return s }

// Limit is maxMemory, or Default when maxMemory is 0 (not given).
func Limit(maxMemory int64) int64 {
	if maxMemory > 0 {
		return maxMemory
	}
	return Default()
}

// machineMemory reads the memory this process may use: MemTotal from /proc/meminfo, lowered to
// the limit of its cgroup (a container's, a Slurm job's) when one is set. It returns 0 when
// neither can be read.
func machineMemory() (int64, string) {
	total, source := meminfo("/proc/meminfo"), "/proc/meminfo"
	for _, path := range cgroupLimitFiles() {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v > 0 && (total == 0 || v < total) {
			total, source = v, path
		}
	}
	return total, source
}

// cgroupLimitFiles lists the files that may hold this process's cgroup memory limit: those of
// its own cgroup (from /proc/self/cgroup, v2 and v1) and those at the root of the hierarchy.
func cgroupLimitFiles() []string {
	b, _ := os.ReadFile("/proc/self/cgroup")
	return limitFiles(string(b))
}

// limitFiles lists the files of cgroupLimitFiles for the content of /proc/self/cgroup.
func limitFiles(cgroups string) []string {
	files := []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}
	for _, line := range strings.Split(cgroups, "\n") {
		parts := strings.SplitN(line, ":", 3) // hierarchy:controllers:path
		switch {
		case len(parts) != 3 || strings.Contains(parts[2], ".."):
		case parts[0] == "0" && parts[1] == "":
			files = append(files, filepath.Join("/sys/fs/cgroup", parts[2], "memory.max"))
		case slices.Contains(strings.Split(parts[1], ","), "memory"):
			files = append(files, filepath.Join("/sys/fs/cgroup/memory", parts[2], "memory.limit_in_bytes"))
		}
	}
	return files
}

// meminfo returns MemTotal, in bytes, from a file in the format of /proc/meminfo; 0 when absent.
func meminfo(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// WorkersPerCore is how many workers per core CheckWorkers accepts.
const WorkersPerCore = 4

// MaxWorkers is the most workers a command takes: WorkersPerCore × the machine's cores.
func MaxWorkers() int { return WorkersPerCore * runtime.NumCPU() }

// CheckWorkers refuses a negative number of workers and more than MaxWorkers: more goroutines
// than that only hold more memory at once, they do not finish sooner.
func CheckWorkers(workers int) error {
	switch {
	case workers < 0:
		return fmt.Errorf("workers = %d: must be non-negative (0 = all cores)", workers)
	case workers > MaxWorkers():
		return fmt.Errorf("workers = %d: at most %d (%d × the %d cores of this machine; 0 = all cores)", workers, MaxWorkers(), WorkersPerCore, runtime.NumCPU())
	}
	return nil
}

// MaxFileSize is the largest configuration or sweep file read: 16 MiB.
const MaxFileSize = 16 << 20

// ErrTooLarge marks input longer than MaxFileSize.
var ErrTooLarge = errors.New("larger than 16 MiB, the most a configuration or sweep file may hold")

// ReadAll reads r to its end, or fails with ErrTooLarge after MaxFileSize bytes (so that
// /dev/zero or a huge file fails fast instead of filling the memory).
func ReadAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// ReadFile is ReadAll on a file.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f)
}
