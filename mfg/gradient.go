package mfg

// StageGradient is implemented by the finite-horizon games that differentiate their stages with
// respect to the mean field, for algorithms that take gradients through the model (MF-OMO): the
// vector–Jacobian product of L_t ↦ (r(t, ·, ·, L_t), P(·|t, ·, ·, L_t)).
type StageGradient interface {
	Finite
	// StageVJP writes into dst (length States()·Actions()) the cotangent of L_t
	//
	//	dst(k) = Σ_{s,a} gr(s,a) ∂r(t,s,a,L)/∂L(k) + Σ_{s,a,s'} gp((s·A+a)·S+s') ∂P(s'|t,s,a,L)/∂L(k),
	//
	// k = s·A+a flat, from the cotangents gr of the rewards (S·A) and gp of the transitions
	// (S·A·S, dense in s'). gp is nil at t = T and when it is zero; a game whose transitions do not
	// depend on L reads it never. Where the stage is not differentiable (a clamp, a rounding) the
	// derivative is the one autograd would take through the formulas the game documents.
	StageVJP(t int, L Population, gr, gp, dst []float64) error
}

// RewardBound is implemented by the games that state a bound r_max on |r(t, s, a, L)|, as MFGLib's
// env.r_max (its value per game, which MF-OMO's constraints read, whether or not it bounds the
// rewards everywhere).
type RewardBound interface {
	RewardBound() float64
}
