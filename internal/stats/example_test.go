package stats_test

import (
	"fmt"

	"meanfield/internal/stats"
)

func ExampleMeanStdErr() {
	mean, se := stats.MeanStdErr([]float64{1, 2, 3, 6})
	fmt.Printf("%.4f ± %.4f\n", mean, se)
	// Output: 3.0000 ± 1.0801
}
