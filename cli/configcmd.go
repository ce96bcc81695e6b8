package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/config"
)

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write an example config file, or show the settings in effect",
		Args:  cobra.NoArgs,
	}

	var force bool
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented example config file (0600)",
		Long: `Write a commented example config file to --config, else to the file
BOXOFFICE_CONFIG names, else to $XDG_CONFIG_HOME/boxoffice/config.toml
(~/.config/boxoffice/config.toml). Every setting in it is commented out;
uncomment what you need.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			path := a.configPath()
			if path == "" {
				return &Error{Code: ExitUsage, What: "no home directory to put the config file in", Todo: "give a path with --config FILE"}
			}
			if err := writeConfigFile(path, force); err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stdout, "Wrote an example config to %s.\n", path)
			return nil
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "overwrite an existing config file")
	// init reads no settings: the file is all it takes.
	initCmd.Flags().StringVar(&a.configFile, "config", "", "write the example to this `file` (default $"+config.FileEnv+", else $XDG_CONFIG_HOME/boxoffice/config.toml)")
	completeFlags(initCmd, initCmd.Flags(), settingFileTypes)

	cmd.AddCommand(initCmd, a.configShowCommand())
	return cmd
}

func (a *app) configShowCommand() *cobra.Command {
	var jsonOutput bool
	showCmd := &cobra.Command{
		Use:   "show",
		Short: "Show each setting, its value and where it came from (secrets hidden)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Shown even when something is wrong: this is where to find out
			// what, with every other setting as it stands.
			cfg, err := config.Load(config.LoadOptions{ConfigFile: a.configFile, Getenv: a.env.Getenv, Flags: cmd.Flags(), KeepGoing: true})
			if err != nil {
				return &Error{Code: ExitUsage, What: err.Error(), Err: err}
			}
			path, namedBy := config.ChooseFile(a.configFile, a.env.Getenv)
			if jsonOutput {
				problems := make([]string, len(cfg.Problems))
				for i, p := range cfg.Problems {
					problems[i] = p.Error()
				}
				if err := a.printJSON(map[string]any{
					"file":            path,
					"fileRead":        cfg.File != "",
					"settings":        cfg.Settings(),
					"practiceJournal": cfg.PracticeJournal(),
					"problems":        problems,
				}); err != nil {
					return err
				}
				return configProblems(cfg)
			}
			w := a.env.Stdout
			state := "read"
			if cfg.File == "" {
				state = "not found"
			}
			if namedBy == config.FileNamedByEnv {
				state += "; named by " + namedBy
			}
			fmt.Fprintf(w, "Config file: %s (%s)\n\n", orNone(path), state)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SETTING\tFROM\tVALUE")
			for _, s := range cfg.Settings() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, settingFrom(s), orNone(s.Value))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if practice := cfg.PracticeJournal(); practice != cfg.Journal {
				fmt.Fprintf(w, "\nPractice (the built-in demo and boxoffice mock) is journalled apart, in %s.\n", practice)
			} else {
				fmt.Fprintf(w, "\nPractice (the built-in demo and boxoffice mock) is journalled in %s too, as journal is set; each line names its server.\n", practice)
			}
			if len(cfg.Problems) > 0 {
				fmt.Fprintf(w, "\nProblems (%d): the settings above are shown at their defaults where they are wrong.\n", len(cfg.Problems))
				for _, p := range cfg.Problems {
					fmt.Fprintf(w, "  %s\n", p)
				}
			}
			return configProblems(cfg)
		},
	}
	showCmd.Flags().BoolVar(&jsonOutput, "json", false, "print JSON for scripts")
	a.addSettingsFlags(showCmd, showCmd.Flags())
	return showCmd
}

// settingFrom names where a setting came from precisely enough to change it.
func settingFrom(s config.Setting) string {
	switch s.Source {
	case config.SourceEnv:
		return "env " + s.Env
	case config.SourceFlag:
		return "flag " + s.Flag
	}
	return string(s.Source)
}

// configPath is the config file a run reads, which config init writes.
func (a *app) configPath() string {
	path, _ := config.ChooseFile(a.configFile, a.env.Getenv)
	return path
}

func writeConfigFile(path string, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return &Error{Code: ExitUsage, What: "cannot create the folder for " + path + ": " + err.Error(), Todo: "choose another path with --config", Err: err}
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return &Error{Code: ExitUsage, What: "config file " + path + " already exists", Todo: "add --force to replace it with the example", Err: err}
	}
	if err != nil {
		return &Error{Code: ExitUsage, What: "cannot write " + path + ": " + err.Error(), Todo: "choose another path with --config", Err: err}
	}
	// The file may hold a token later; an overwritten file keeps its old
	// mode otherwise.
	err = f.Chmod(0o600)
	if _, werr := f.WriteString(config.ExampleFile()); err == nil {
		err = werr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &Error{Code: ExitRejected, What: "cannot write " + path + ": " + err.Error(), Err: err}
	}
	return nil
}

// configProblems is config show's failure when the settings have problems:
// they are listed above it, and a script learns of them from the exit code.
func configProblems(cfg *config.Config) error {
	switch n := len(cfg.Problems); n {
	case 0:
		return nil
	case 1:
		return &Error{Code: ExitUsage, What: cfg.Problems[0].Error(), Err: cfg.Problems[0]}
	default:
		return &Error{Code: ExitUsage, What: fmt.Sprintf("the settings have %d problems, listed above", n), Todo: "fix each where it says it comes from"}
	}
}
