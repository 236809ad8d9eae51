package finite

// PolicyValuesToOverwrite is PolicyValues for a caller that writes every value before anything
// reads one (a softmax of every row): a policy handed back (Recycle) comes as it was left, not
// cleared first, which on large tables would cost a pass over them.
func (c *Chunks) PolicyValuesToOverwrite(T1, S, A int) (Policy, []float64) {
	if pi, buf := c.reusedPolicy(T1, S, A, false); pi != nil {
		return pi, buf
	}
	return c.PolicyValues(T1, S, A)
}
