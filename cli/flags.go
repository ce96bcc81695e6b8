package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/boxoffice/boxoffice/config"
)

// configFlagUsage is the help of --config wherever the settings are taken.
const configFlagUsage = "read settings from this TOML `file` (default $" + config.FileEnv + ", else $XDG_CONFIG_HOME/boxoffice/config.toml)"

// addSettingsFlags gives cmd --config and a flag for each setting, on fs
// (cmd.Flags(), or cmd.PersistentFlags() for a command whose subcommands
// all take the settings). Only the commands that read the settings get them,
// so that a command that does not, like mock, refuses them instead of
// ignoring them.
func (a *app) addSettingsFlags(cmd *cobra.Command, fs *pflag.FlagSet) {
	fs.StringVar(&a.configFile, "config", "", configFlagUsage)
	config.BindFlags(fs)
	completeFlags(cmd, fs, settingFileTypes)
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
