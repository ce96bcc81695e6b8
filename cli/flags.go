package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/boxoffice/boxoffice/config"
)

// configFlagUsage is the help of --config wherever the settings are taken.
const configFlagUsage = "read settings from this TOML `file` (default $" + config.FileEnv + ", else $XDG_CONFIG_HOME/boxoffice/config.toml)"

// addSettingsFlags gives cmd --config and a flag for each setting it uses
// (keys; every setting when none is named), on fs. A command takes only
// the settings it uses, in its --help and its completion, so that a flag it
// would ignore (the counter's --bell given to a script) is refused instead.
func (a *app) addSettingsFlags(cmd *cobra.Command, fs *pflag.FlagSet, keys ...string) {
	if fs.Lookup("config") == nil {
		fs.StringVar(&a.configFile, "config", "", configFlagUsage)
	}
	config.BindFlags(fs, keys...)
	completeFlags(cmd, fs, settingFileTypes)
}

// The settings each kind of command uses.
var (
	// serverSettings reach the server and log the calls.
	serverSettings = []string{"api_url", "allow_insecure_http", "ca_file", "region", "timeout", "log", "log_format", "log_level"}
	// journalSettings keep the journal and stamp its lines.
	journalSettings = []string{"journal", "counter_name", "operator"}
	// demoSettings run the built-in demo server when no api_url is set.
	demoSettings = []string{"demo_data", "demo_faults", "demo_tls"}
)

// settingsOf joins groups of settings.
func settingsOf(groups ...[]string) []string {
	var keys []string
	for _, g := range groups {
		keys = append(keys, g...)
	}
	return keys
}

// settingFileTypes are the settings' flags that name files, each with the
// file name extensions a shell offers for it.
var settingFileTypes = map[string][]string{
	"config":    {"toml"},
	"demo-data": {"json"},
	"journal":   {"jsonl"},
	// A log file's name is the operator's choice, and with log_format json
	// it is JSON lines: any file will do.
	"log": nil,
}

// completeFlags registers a shell completion for every flag of fs that
// takes a value and has none yet: a setting's values when they are a closed
// set, a file for the flags in files (filtered by extension when it lists
// any), and nothing for the rest, so that a shell does not offer file names
// for a URL or a duration.
func completeFlags(cmd *cobra.Command, fs *pflag.FlagSet, files map[string][]string) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.NoOptDefVal != "" {
			return
		}
		if _, has := cmd.GetFlagCompletionFunc(f.Name); has {
			return
		}
		if exts, isFile := files[f.Name]; isFile {
			if len(exts) > 0 {
				_ = fs.SetAnnotation(f.Name, cobra.BashCompFilenameExt, exts)
				return
			}
			mustRegister(cmd, f.Name, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return nil, cobra.ShellCompDirectiveDefault
			})
			return
		}
		if choices := config.FlagChoices(f.Name); len(choices) > 0 {
			completions := make([]cobra.Completion, len(choices))
			for i, c := range choices {
				completions[i] = cobra.CompletionWithDesc(c.Value, c.Doc)
			}
			mustRegister(cmd, f.Name, cobra.FixedCompletions(completions, cobra.ShellCompDirectiveNoFileComp))
			return
		}
		mustRegister(cmd, f.Name, cobra.NoFileCompletions)
	})
}

// mustRegister registers a flag's completion; it can only fail for a flag
// that does not exist or already has one, which is a mistake in this
// package.
func mustRegister(cmd *cobra.Command, flag string, complete cobra.CompletionFunc) {
	if err := cmd.RegisterFlagCompletionFunc(flag, complete); err != nil {
		panic(err)
	}
}

// noFileArguments keeps shells from offering file names for the arguments
// of cmd's commands: they are barcodes and ids, never files.
func noFileArguments(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		noFileArguments(c)
	}
	if cmd.Runnable() && !cmd.HasSubCommands() && cmd.ValidArgsFunction == nil {
		cmd.ValidArgsFunction = cobra.NoFileCompletions
	}
}
