// Command boxoffice is the box-office counter screen for attaching cinema
// vouchers to Vista OCAPI orders. The command line lives in package cli.
package main

import (
	"os"

	"github.com/boxoffice/boxoffice/cli"
)

func main() {
	os.Exit(cli.Main())
}
