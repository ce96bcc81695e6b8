package config

import (
	"strings"
)

const exampleHeader = `# boxoffice configuration (TOML).
#
# Every setting is optional. Precedence, lowest first: built-in defaults,
# this file, environment variables (BOXOFFICE_<KEY> in capitals), flags.
# 'boxoffice config show' prints what is in effect and where it came from.
#
# The password for auth_url is never read from this file: set
# BOXOFFICE_PASSWORD, or boxoffice asks for it.

`

// ExampleFile is a commented config file listing every setting the file may
// hold, each commented out with an example value.
func ExampleFile() string {
	var b strings.Builder
	b.WriteString(exampleHeader)
	for _, s := range settings {
		if s.noFile {
			continue
		}
		for _, line := range wrap(s.doc, 76) {
			b.WriteString("# " + line + "\n")
		}
		b.WriteString("# " + s.key + " = " + s.example + "\n\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
