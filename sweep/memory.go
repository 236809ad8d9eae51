package sweep

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	"meanfield/experiment"
	"meanfield/internal/memory"
)

// bytesPerRun is about what the list of runs holds for each run (its record, identifier and
// axis values, and the check of identifiers), with one more bytesPerAxis for each axis.
const (
	bytesPerRun  = 250
	bytesPerAxis = 100
)

// what names the sweep in messages.
func (s *Sweep) what() string {
	if s.File.Name == "" {
		return "sweep"
	}
	return "sweep " + s.File.Name
}

// runsMemory estimates the list of total runs that Parse expands.
func (s *Sweep) runsMemory(total int) experiment.Estimate {
	per := float64(bytesPerRun + bytesPerAxis*len(s.Axes))
	lower := []string{"replicates"}
	for _, a := range s.Axes {
		lower = append(lower, "the values of "+a.Name)
	}
	return experiment.Estimate{What: s.what(), Terms: []experiment.Term{{
		Bytes: float64(total) * per, Lower: lower,
		Product: fmt.Sprintf("runs %s × about %s a run", memory.Count(float64(total)), memory.FormatSize(per)),
	}}}
}

// Memory estimates running runs of the sweep's runs on workers goroutines (0: all cores): the
// estimate of its largest run (found by Parse) times the runs at once, min(workers, runs).
func (s *Sweep) Memory(workers, runs int) experiment.Estimate {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	at := max(min(workers, runs), 1)
	products, lower := s.largest.Bulk()
	if at > 1 {
		lower = append([]string{"workers"}, lower...)
	}
	return experiment.Estimate{What: s.what(), Terms: []experiment.Term{{
		Bytes: float64(at) * s.largest.Bytes(), Lower: slices.Clip(lower),
		Product: fmt.Sprintf("%d runs at once (workers %d) × about %s for the largest, %s: %s",
			at, workers, memory.FormatSize(s.largest.Bytes()), s.largestWhich, strings.Join(products, " + ")),
	}}}
}

// CheckMemory refuses more workers than 4 × the cores, and running runs of the sweep's runs on
// workers goroutines when that is estimated to need more than MaxMemory.
func (s *Sweep) CheckMemory(workers, runs int) error {
	if err := experiment.CheckWorkers(workers); err != nil {
		return err
	}
	return s.Memory(workers, runs).Check(s.MaxMemory)
}
