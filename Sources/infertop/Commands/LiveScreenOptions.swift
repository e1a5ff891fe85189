import ArgumentParser
import InfertopUI

/// What every command that runs the live screen takes (`infertop`, `demo`, `wall`): display
/// settings, `--record` and the frame log, the config file, and logging.
struct LiveScreenOptions: ParsableArguments {
    @OptionGroup var display: DisplayOptions
    @OptionGroup var recording: RecordingOptions
    @OptionGroup var configFile: ConfigFileOption
    @OptionGroup var logging: DashboardLogOptions

    /// The dashboard as the config file and these flags set it up (theme, colours, ASCII, the
    /// config's settings, the frame log), with the display settings it was made from. The caller
    /// adds control and the feed.
    func dashboardRunner(_ config: DashboardConfig) throws -> (runner: DashboardRunner, display: DisplayOptions) {
        let display = display.merged(with: config.display)
        var runner = DashboardRunner(
            theme: try display.loadTheme(), themeName: display.themeName, colors: display.colors.depth,
            forceASCII: display.ascii)
        runner.apply(config)
        runner.frameLog = try recording.openFrameLog()
        return (runner, display)
    }
}

/// A command that runs the live screen: it logs as `LiveScreenOptions` says.
protocol LiveScreenCommand: DashboardLogging {
    var screen: LiveScreenOptions { get }
}

extension LiveScreenCommand {
    var logging: DashboardLogOptions { screen.logging }
}
