package gamefile

import (
	"errors"
	"fmt"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Error is a problem with a game file: where in the file (file:line:col, when known), in which
// evaluation (the function and its (t, s, a)), and what.
type Error struct {
	// Pos is the position in the file: the statement that failed, or the definition of the
	// function whose returned value is wrong. It is invalid when no position applies.
	Pos syntax.Position
	// Where names the evaluation, e.g. "reward(t=0, s=3, a=1)"; empty for the file as a whole.
	Where string
	Msg   string
}

func (e *Error) Error() string {
	s := ""
	if e.Pos.IsValid() {
		s = e.Pos.String() + ": "
	}
	if e.Where != "" {
		s += "in " + e.Where + ": "
	}
	return s + e.Msg
}

// errAt is an *Error at pos.
func errAt(pos syntax.Position, where, format string, args ...any) *Error {
	return &Error{Pos: pos, Where: where, Msg: fmt.Sprintf(format, args...)}
}

// fromStarlark turns an error of the interpreter into an *Error at the innermost position in the
// file: a syntax or resolve error has its own position, an evaluation error its call stack.
func fromStarlark(err error, file, where string) error {
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		var pos syntax.Position
		for i := range ee.CallStack {
			if p := ee.CallStack.At(i).Pos; p.IsValid() && p.Filename() == file {
				pos = p
				break
			}
		}
		return &Error{Pos: pos, Where: where, Msg: ee.Msg}
	}
	var se syntax.Error
	if errors.As(err, &se) {
		return &Error{Pos: se.Pos, Where: where, Msg: se.Msg}
	}
	var rl resolve.ErrorList
	if errors.As(err, &rl) {
		return &Error{Pos: rl[0].Pos, Where: where, Msg: rl[0].Msg}
	}
	var ge *Error
	if errors.As(err, &ge) {
		return ge
	}
	return &Error{Where: where, Msg: err.Error()}
}
