package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/params"
	"meanfield/mfg"
	"meanfield/mfglib32"
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
		Short: "List the games: kind, description, parameters with their defaults, reference",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, n := range games.Names() {
				e, _ := games.Lookup(n)
				g, err := games.New(n, nil)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%s (%s): %s\n  reference: %s\n", n, gameKind(g), e.Description, e.Reference)
				printParams(stdout, "  --param ", e.Defaults())
			}
			_, err := fmt.Fprintf(stdout, "\nMFGLib 0.3.0's games (%s) also run in its float32 arithmetic\n(mfg solve --arithmetic mfglib-float32), giving its results bit for bit.\n", mfglib32.Games())
			return err
		},
	}
}

// gameKind says which kind a game is and what access it offers.
func gameKind(g mfg.Game) string {
	if f, ok := g.(mfg.Finite); ok {
		return "finite horizon, " + mfg.TimeSteps(f.Horizon()) + " by default"
	}
	var access []string
	if _, ok := g.(mfg.ModelBased); ok {
		access = append(access, "model")
	}
	if _, ok := g.(mfg.ModelFree); ok {
		access = append(access, "simulator")
	}
	return "stationary, discounted; " + strings.Join(access, " and ")
}

// printParams lists the parameters of a parameter struct with their defaults and help.
func printParams(w io.Writer, prefix string, p any) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range params.Fields(p) {
		fmt.Fprintf(tw, "%s%s=%s\t%s\n", prefix, f.Name, formatValue(f.Default), f.Help)
	}
	tw.Flush()
}

func newAlgorithmsCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "algorithms",
		Short: "List the algorithms: description, parameters with their defaults, reference, games",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, n := range algorithms.Names() {
				e, _ := algorithms.Lookup(n)
				alg, err := algorithms.New(n)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%s: %s\n  reference: %s\n  default iterations: %d\n  games: %s\n", n, e.Description, e.Reference, e.Iterations, strings.Join(applicableGames(alg), ", "))
				printParams(stdout, "  --", e.Defaults())
			}
			_, err := fmt.Fprintf(stdout, "\nOn MFGLib's games (%s),\n%s also run in MFGLib's float32 arithmetic (--arithmetic mfglib-float32), giving MFGLib 0.3.0's results bit for bit.\n", mfglib32.Games(), mfglib32.Algorithms())
			return err
		},
	}
}

// applicableGames lists the games (at their defaults) the algorithm applies to.
func applicableGames(alg engine.Algorithm) []string {
	var ok []string
	for _, n := range games.Names() {
		if g, err := games.New(n, nil); err == nil && alg.Applies(g) == nil {
			ok = append(ok, n)
		}
	}
	return ok
}
