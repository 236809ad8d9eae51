package benchmfg

import "testing"

// BenchmarkLearners times one iteration of each learner (with the hyperparameters of Bench-MFG's
// defaults) on a small chain and on the 121-cell four rooms: Q_eval or V*, 20 population steps
// and an exploitability (50 more steps and two 99-backup value iterations).
func BenchmarkLearners(b *testing.B) {
	learners := []struct {
		name string
		l    Learner
	}{
		{"pi", PolicyIteration{Variant: PIPlain}},
		{"smooth-pi", PolicyIteration{Variant: PISmooth, Damping: 0.4}},
		{"boltzmann-pi", PolicyIteration{Variant: PIBoltzmann, Temperature: 0.2}},
		{"pure-fp", DampedFP{Schedule: Pure}},
		{"damped-fp", DampedFP{Schedule: Damped, Damping: 0.2}},
		{"fictitious-play", DampedFP{Schedule: FictitiousPlay}},
		{"omd", OMD{LearningRate: 0.005, Temperature: 0.2}},
	}
	for _, name := range []string{"lasry-lions-chain", "four-rooms-obstacles"} {
		g := suiteGame(b, name)
		setup, err := NewSetup(g, 42, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range learners {
			b.Run(name+"/"+l.name, func(b *testing.B) {
				run, _, err := l.l.Begin(g, setup)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := run.Step(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
