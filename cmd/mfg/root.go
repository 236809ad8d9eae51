package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "mfg",
		Short:         "Learn mean-field games: GMF-V, GMF-Q and the naive algorithm on the repeated ad auction and more",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(plainFlagError)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newSolveCmd(stdout, stderr), newCompareCmd(stdout, stderr), newNPlayerCmd(stdout, stderr), newReproduceCmd(stdout, stderr), newSweepCmd(stdout, stderr), newTuneCmd(stdout, stderr), newBenchMFGCmd(stdout, stderr), newGamesCmd(stdout), newAlgorithmsCmd(stdout), newCheckGameCmd(stdout))
	return root
}
