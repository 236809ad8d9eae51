package gamefile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.starlark.net/lib/math"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"meanfield/mfg"
)

// Options bound what a game file may cost.
type Options struct {
	// MaxSteps is the most Starlark steps one evaluation may take: running the file, or building
	// one stage (every entry of its rewards and transitions). 0 means DefaultMaxSteps.
	MaxSteps uint64
	// MaxEntries is the most state-action pairs S×A a game may have. 0 means DefaultMaxEntries.
	MaxEntries int
	// MaxMemory is the most heap, in bytes, an evaluation may add; 0 means DefaultMaxMemory.
	MaxMemory uint64
}

const (
	// DefaultMaxSteps allows about a second of Starlark per evaluation.
	DefaultMaxSteps = 100_000_000
	// DefaultMaxEntries is 2^22 state-action pairs.
	DefaultMaxEntries = 1 << 22
	// DefaultMaxMemory is 1 GiB.
	DefaultMaxMemory = 1 << 30
)

func (o Options) withDefaults() Options {
	if o.MaxSteps == 0 {
		o.MaxSteps = DefaultMaxSteps
	}
	if o.MaxEntries == 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxMemory == 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	return o
}

// Load reads the game file at path and builds its game with the given parameters over the file's
// defaults (nil: the defaults), with the default Options.
func Load(path string, params map[string]any) (mfg.Game, error) {
	return Options{}.Load(path, params)
}

// LoadSource is Load of a file's contents; name is the file name errors show.
func LoadSource(name string, src []byte, params map[string]any) (mfg.Game, error) {
	return Options{}.LoadSource(name, src, params)
}

// Load is the package's Load with these options.
func (o Options) Load(path string, params map[string]any) (mfg.Game, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("game file: %w", err)
	}
	return o.LoadSource(path, src, params)
}

// Hash is the SHA-256 of a game file's contents, in hex: what a run records beside the path.
func Hash(src []byte) string {
	h := sha256.Sum256(src)
	return hex.EncodeToString(h[:])
}

// maxSource bounds a game file's size: the parser holds the whole file's syntax tree.
const maxSource = 16 << 20

// fileOptions are the dialect: Python's set, top-level if and for; no while and no recursion, so
// that only the step limit can make a script long.
var fileOptions = &syntax.FileOptions{Set: true, TopLevelControl: true}

// LoadSource is the package's LoadSource with these options.
func (o Options) LoadSource(name string, src []byte, params map[string]any) (mfg.Game, error) {
	o = o.withDefaults()
	if len(src) > maxSource {
		return nil, errAt(syntax.MakePosition(&name, 1, 1), "", "the file has %d bytes, more than the %d MiB a game file may have", len(src), maxSource>>20)
	}
	r := &runner{opt: o, file: name}
	predeclared := starlark.StringDict{
		"finite":      starlark.NewBuiltin("finite", finiteBuiltin),
		"stationary":  starlark.NewBuiltin("stationary", stationaryBuiltin),
		"grid_index":  starlark.NewBuiltin("grid_index", gridIndex),
		"grid_coords": starlark.NewBuiltin("grid_coords", gridCoords),
		"math":        math.Module,
	}
	var globals starlark.StringDict
	err := r.run("", func(th *starlark.Thread) error {
		var err error
		globals, err = starlark.ExecFileOptions(fileOptions, th, name, src, predeclared)
		return err
	})
	if err != nil {
		return nil, err
	}
	p, err := r.params(globals, src, params)
	if err != nil {
		return nil, err
	}
	sp, err := r.spec(globals, p)
	if err != nil {
		return nil, err
	}
	if sp.name == "" {
		sp.name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	return r.build(sp, p)
}

// spec finds the game: the global game, a value of finite(...) or stationary(...), or a
// function of the parameters returning one.
func (r *runner) spec(globals starlark.StringDict, p *starlark.Dict) (*spec, error) {
	v, ok := globals["game"]
	if !ok {
		return nil, errAt(syntax.MakePosition(&r.file, 1, 1), "", "no game: define game = finite(...) or stationary(...), or def game(p): returning one")
	}
	if fn, ok := v.(*starlark.Function); ok {
		err := r.run("game(p)", func(th *starlark.Thread) error {
			var err error
			v, err = starlark.Call(th, fn, starlark.Tuple{p}, nil)
			return err
		})
		if err != nil {
			return nil, err
		}
		sp, ok := v.(*spec)
		if !ok {
			return nil, errAt(fn.Position(), "game(p)", "returned a %s, want the value of finite(...) or stationary(...)", v.Type())
		}
		return sp, nil
	}
	sp, ok := v.(*spec)
	if !ok {
		return nil, errAt(syntax.MakePosition(&r.file, 1, 1), "", "game is a %s, want finite(...), stationary(...) or a function of the parameters returning one", v.Type())
	}
	return sp, nil
}
