package mfglib32_test

import (
	"context"
	"fmt"
	"log"

	"meanfield/algorithms"
	"meanfield/mfglib32"
)

// ExampleSolve runs MFGLib's fictitious play on its beach bar game for 3 iterations in MFGLib's
// own float32 arithmetic, recording the exploitability of the uniform π_0 and of the policy after
// each iteration, as MFGLib 0.3.0 computes them (these are the first values of its reference
// trace in finite/testdata/mfglib_reference.json).
func ExampleSolve() {
	g, err := mfglib32.New("beach-bar", nil)
	if err != nil {
		log.Fatal(err)
	}
	res, err := mfglib32.Solve(context.Background(), g, algorithms.FictitiousPlay{}, 3, nil)
	if err != nil {
		log.Fatal(err)
	}
	for k, e := range res.Exploitabilities() {
		fmt.Printf("k=%d exploitability %.6g\n", k, e)
	}
	// Output:
	// k=0 exploitability 1.22126
	// k=1 exploitability 0.401437
	// k=2 exploitability 0.24035
	// k=3 exploitability 0.179557
}
