// Package codecheck holds tests of rules the code base keeps, read from its source files: no
// function outside tests longer than 80 lines, every algorithm implemented once, and the README's
// table of packages matching the packages in the tree. It has no code of its own.
package codecheck
