package experiment

import (
	"fmt"
	"os"

	"meanfield/gamefile"
	"meanfield/games"
	"meanfield/mfg"
)

// loadGameFile reads the game of the configuration's game-file (package gamefile) with its
// parameters, and returns it with the SHA-256 of the file's contents. A configuration that
// records a hash (a resolved one, replayed) is refused when the file has changed since.
func (c SolveConfig) loadGameFile() (mfg.Game, string, error) {
	path := c.Run.GameFile
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("game-file = %s: %w", path, err)
	}
	hash := gamefile.Hash(src)
	if c.Run.GameFileSHA256 != "" && c.Run.GameFileSHA256 != hash {
		return nil, "", fmt.Errorf("game-file = %s: its contents changed since this configuration was resolved (sha256 %s, now %s): remove game-file-sha256 to solve the file as it is", path, c.Run.GameFileSHA256, hash)
	}
	g, err := gamefile.Options{MaxSteps: c.Run.GameSteps}.LoadSource(path, src, c.Params)
	if err != nil {
		return nil, "", err
	}
	return g, hash, nil
}

// fileGameSize is the size of a game read from a file: every row dense (its rows are the file's
// to choose), one stage per time step.
func fileGameSize(g mfg.Game) games.Size {
	s := games.Size{States: float64(g.States()), Actions: float64(g.Actions()), Times: 1, Successors: float64(g.States())}
	if f, ok := g.(mfg.Finite); ok {
		s.Times = float64(f.Horizon() + 1)
	}
	return s
}

// resolveGameFile names the run's game after the file's and records the file's hash.
func (c *SolveConfig) resolveGameFile() error {
	if c.Run.GameFile == "" {
		return nil
	}
	g, hash, err := c.loadGameFile()
	if err != nil {
		return err
	}
	c.Run.Game, c.Run.GameFileSHA256 = g.Name(), hash
	c.Params = gamefile.Parameters(g)
	return nil
}
