// Package yamlsize measures YAML documents, so that fuzz targets can pass over inputs that are
// valid but too large to be worth solving.
package yamlsize

import "go.yaml.in/yaml/v3"

// Within reports whether every number in the YAML document is at most maxNumber in absolute value
// and every list at most maxList long. A document that does not parse is within (its parser must
// refuse it, quickly).
func Within(data []byte, maxNumber float64, maxList int) bool {
	var v any
	if yaml.Unmarshal(data, &v) != nil {
		return true
	}
	return within(v, maxNumber, maxList)
}

func within(v any, maxNumber float64, maxList int) bool {
	switch x := v.(type) {
	case int:
		return float64(x) >= -maxNumber && float64(x) <= maxNumber
	case float64:
		return x >= -maxNumber && x <= maxNumber
	case []any:
		if len(x) > maxList {
			return false
		}
		for _, e := range x {
			if !within(e, maxNumber, maxList) {
				return false
			}
		}
	case map[string]any:
		for _, e := range x {
			if !within(e, maxNumber, maxList) {
				return false
			}
		}
	}
	return true
}
