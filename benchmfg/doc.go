// Package benchmfg is Bench-MFG's evaluation protocol and learners (lorenzomagnino/Bench-MFG at
// commit 3ec7b28, src/benchmfg/envs/mfg_model_class_jit.py and src/benchmfg/learner/jax), run in
// float64 on any stationary model-based game (mfg.ModelBased). Bench-MFG's published runs are JAX
// float32 computations, so the two agree to float32 rounding, not bit for bit; where a run makes
// discrete choices (a greedy argmax, a best response) on values that float32 cannot tell apart, the
// two runs can part ways, and the tests say where.
//
// The protocol, with μ a distribution over states, π a stationary policy and Φ_π the normalised
// population step
//
//	Φ_π(μ)(s') = Σ_{s,a} μ(s) π(a|s) P(s'|s, a, μ) / Σ_{s'} (same),
//
// whose transition kernel is rebuilt at the current μ at every step (PushForward).
//
// Values are truncated value iterations of Horizon−1 backups from V = 0 (Bench-MFG's horizon 100:
// 99 backups): V_eval(π, μ), V*(μ) and its greedy policy, and Q_eval(π, μ), which returns the
// second-to-last Q iterate (a quirk Bench-MFG keeps). The exploitability of π from a start
// distribution ν is, with μ_π = Φ_π^50(ν) and both values truncated at the population μ_π,
//
//	E(π; ν) = Σ_s μ_π(s) (V*(s) − V^π(s)).
//
// Every learner starts from π0 (InitialPolicy: NumPy's legacy MT19937 stream seeded with the run's
// seed, logits U(−1, 1)^{S×A}, π0 = softmax(logits/0.2) per state) and μ_0 = Φ_π0^20(μ0), with μ0
// the game's initial state distribution, and records E(π_k; μ_k) from its own current mean field
// μ_k, not from μ0, as Bench-MFG does: Train's history has Iterations+1 entries, index 0 for π0.
//
// The learners are policy iteration (plain, smooth, Boltzmann), the damped fixed point (pure,
// damped, fictitious play), online mirror descent and MF-PSO (PSO, whose history has Iterations
// entries and whose start distribution drifts); Learner is the interface a new one implements.
// Published holds Bench-MFG's published results (testdata/published.json) and Compare runs a
// learner over seeds beside them.
package benchmfg
