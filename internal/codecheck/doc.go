// Package codecheck holds tests of rules the code base keeps, read from its source files: no
// function outside tests longer than 80 lines, every algorithm implemented once, the README's
// table of packages matching the packages in the tree, every relative link of every Markdown file
// resolving inside the repository, no AVX2 instruction in the assembly run on AVX alone, and go.mod's go line agreeing with the Go version the README
// asks for. It has no code of its own.
package codecheck
