package games

import (
	"fmt"
	"math"
)

// Discrete is a distribution on finitely many integers: Values[i] has probability Probs[i]; empty
// Probs means uniform on Values.
type Discrete struct {
	Values []int
	Probs  []float64
}

// probabilities returns Probs, or uniform weights when Probs is empty.
func (d Discrete) probabilities() []float64 {
	if len(d.Probs) > 0 {
		return d.Probs
	}
	p := make([]float64, len(d.Values))
	for i := range p {
		p[i] = 1 / float64(len(p))
	}
	return p
}

// Mean returns E[X].
func (d Discrete) Mean() float64 {
	var m float64
	for i, p := range d.probabilities() {
		m += p * float64(d.Values[i])
	}
	return m
}

// validate checks the distribution; name is the parameter's name for error messages (values
// "name-values", probabilities "name-probs").
func (d Discrete) validate(name string, minValue int) error {
	if len(d.Values) == 0 {
		return fmt.Errorf("%s-values is empty: give at least one value", name)
	}
	for _, v := range d.Values {
		if v < minValue {
			return fmt.Errorf("%s-values contains %d: values must be at least %d", name, v, minValue)
		}
	}
	if len(d.Probs) == 0 {
		return nil
	}
	if len(d.Probs) != len(d.Values) {
		return fmt.Errorf("%s-probs has %d entries but %s-values has %d", name, len(d.Probs), name, len(d.Values))
	}
	var sum float64
	for _, p := range d.Probs {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("%s-probs contains %v: each must be a probability in [0, 1]", name, p)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("%s-probs = %v sums to %.12g: must sum to 1", name, d.Probs, sum)
	}
	return nil
}
