// Package e2e drives the built boxoffice binary in a pseudo-terminal and
// reads its screen through a terminal emulator: what only a real terminal
// shows (bursts of bytes from a scanner, bracketed paste, resizes, restoring
// the terminal on exit) is tested here, against the embedded demo server.
//
// The package has tests only. TestMain builds the binary once; Start runs it
// in a terminal of a given size, and the Terminal it returns types, resizes
// and waits for what the screen shows.
package e2e
