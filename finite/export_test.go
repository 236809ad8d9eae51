package finite

// SetRememberedStages makes m remember k stages per time step (see Memory.write), in place of
// the number its games' sizes give; before m's first evaluation.
func SetRememberedStages(m *Memory, k int) { m.ways = k }
