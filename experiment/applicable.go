package experiment

import (
	"slices"

	"go.yaml.in/yaml/v3"

	"meanfield/engine"
	"meanfield/mfg"
)

// inapplicableKeys are the run and output keys of c that change nothing in a solve of g, and that
// resolved.yaml therefore leaves out: seed when the algorithm draws no random numbers,
// compare-to-gmf-v unless g is a stationary game with a model (GMF-V needs one), exploitability
// when g's policies cannot be evaluated.
func (c SolveConfig) inapplicableKeys(g mfg.Game) []string {
	var drop []string
	if entry, ap, err := c.algorithmParams(); err == nil {
		if alg, err := entry.Build(ap); err == nil {
			if s, ok := alg.(engine.Seeded); !ok || !s.UsesSeed() {
				drop = append(drop, "seed")
			}
		}
	}
	if _, ok := g.(mfg.ModelBased); !ok {
		drop = append(drop, "compare-to-gmf-v")
	}
	if p, err := engine.NewProblem(g, engine.EvaluationOptions{}); err != nil || p.CanEvaluate() != nil {
		drop = append(drop, "exploitability")
	}
	return drop
}

// applicableYAML is c as resolved.yaml holds it: every key, less the top-level ones that do not
// apply to a solve of g (inapplicableKeys). Without g (nil) it is c whole.
func (c SolveConfig) applicableYAML(g mfg.Game) (any, error) {
	if g == nil {
		return c, nil
	}
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		return nil, err
	}
	drop := c.inapplicableKeys(g)
	var kept []*yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if !slices.Contains(drop, doc.Content[i].Value) {
			kept = append(kept, doc.Content[i], doc.Content[i+1])
		}
	}
	doc.Content = kept
	return &doc, nil
}
