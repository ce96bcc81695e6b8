//go:build race

package desk

// raceDetector is on in this build: the soak runs fewer scans, as every
// re-read of a long order costs several times as much under it.
const raceDetector = true
