package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"meanfield/algorithms"
	"meanfield/experiment"
	"meanfield/games"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "mfg",
		Short:         "Learn mean-field games: GMF-V, GMF-Q and the naive algorithm on the repeated ad auction and more",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newSolveCmd(stdout, stderr), newCompareCmd(stdout, stderr), newReproduceCmd(stdout, stderr), newSweepCmd(stdout, stderr), newGamesCmd(stdout), newAlgorithmsCmd(stdout))
	return root
}

func newGamesCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "games",
		Short: "List the games with a description and a reference",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "GAME\tKIND\tDESCRIPTION\tREFERENCE")
			for _, n := range games.AllNames() {
				if info, ok := games.Lookup(n); ok {
					fmt.Fprintf(tw, "%s\tstationary, discounted\t%s\t%s\n", n, info.Description, info.Reference)
					continue
				}
				info, _ := games.LookupFinite(n)
				fmt.Fprintf(tw, "%s\tfinite horizon\t%s (parameters: %s)\t%s\n", n, info.Description, strings.Join(games.ParamNames(info.Defaults()), ", "), info.Reference)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintln(stdout, "\nThe games of MFGLib 0.3.0 also run in its float32 arithmetic (mfg solve --arithmetic mfglib-float32), giving its results bit for bit.")
			return err
		},
	}
}

func newAlgorithmsCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "algorithms",
		Short: "List the solver presets",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ALGORITHM\tDESCRIPTION\tPARAMETERS\tREFERENCE")
			for _, n := range algorithms.Names() {
				e, _ := algorithms.Lookup(n)
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n, e.Description, strings.Join(games.ParamNames(e.Defaults()), ", "), e.Reference)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "\nGames each algorithm applies to (with their default parameters):")
			for _, n := range algorithms.Names() {
				alg, err := algorithms.New(n)
				if err != nil {
					return err
				}
				var ok []string
				for _, gn := range games.AllNames() {
					if g, err := experiment.DefaultGame(gn); err == nil && alg.Applies(g) == nil {
						ok = append(ok, gn)
					}
				}
				fmt.Fprintf(stdout, "  %s: %s\n", n, strings.Join(ok, ", "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintln(stdout, "\nOn MFGLib's ten games, fictitious-play, online-mirror-descent and prior-descent also run in MFGLib's\nfloat32 arithmetic (--arithmetic mfglib-float32), giving MFGLib 0.3.0's results bit for bit.")
			return err
		},
	}
}
