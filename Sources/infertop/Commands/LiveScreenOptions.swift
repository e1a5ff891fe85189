import ArgumentParser

/// What every command that runs the live screen takes (`infertop`, `demo`, `wall`): display
/// settings, `--record` and the frame log, the config file, and logging.
struct LiveScreenOptions: ParsableArguments {
    @OptionGroup var display: DisplayOptions
    @OptionGroup var recording: RecordingOptions
    @OptionGroup var configFile: ConfigFileOption
    @OptionGroup var logging: DashboardLogOptions
}
