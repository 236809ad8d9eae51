package npgame

import (
	"syscall"
	"testing"

	"meanfield/games"
	"meanfield/seeds"
)

// BenchmarkPlay plays episodes of the mean-field policy in the N-player game and reports agent-steps
// (one agent's action, reward and move) per second: the simulation's speed, building the model
// at most once per occupied pair and round.
//
//	go test ./npgame/ -run '^$' -bench Play -benchtime 2s
func BenchmarkPlay(b *testing.B) {
	for _, c := range []struct {
		game   string
		params map[string]any
		n      int
	}{
		{"left-right", nil, 100000},
		{"beach-bar", nil, 100000},
		{"rock-paper-scissors", nil, 100000},
		{"crowd-modelling", nil, 100000},
		{"crowd-modelling", nil, 1000},
		{"beach-bar", map[string]any{"T": 20}, 100000},
	} {
		mf, err := games.New(c.game, c.params)
		if err != nil {
			b.Fatal(err)
		}
		_, pi := solved(b, c.game, c.params, "fictitious-play", 10)
		g := nGame(b, mf, c.n, Others)
		w, err := NewWorld(g, nil)
		if err != nil {
			b.Fatal(err)
		}
		returns := make([]float64, g.N)
		name := c.game
		if c.params != nil {
			name += "-T20"
		}
		b.Run(name+"/N="+itoa(c.n), func(b *testing.B) {
			cpu0 := cpuSeconds()
			for i := 0; i < b.N; i++ {
				if err := w.Play(Symmetric(pi), seeds.New(1, uint64(i)), returns); err != nil {
					b.Fatal(err)
				}
			}
			steps := float64(b.N) * float64(g.N*g.Times())
			b.ReportMetric(steps/b.Elapsed().Seconds()/1e6, "Magent-steps/s")
			// Per second of this process's CPU time: the speed of one core on a machine whose
			// cores are shared, where wall-clock time counts the other jobs' turns too.
			b.ReportMetric(steps/(cpuSeconds()-cpu0)/1e6, "Magent-steps/cpu-s")
		})
	}
}

// cpuSeconds is the process's user and system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
