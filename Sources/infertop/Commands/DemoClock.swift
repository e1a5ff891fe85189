import ArgumentParser

/// How the built-in simulated cluster runs in time: `--speed` and `--start-at`, shared by
/// `infertop demo` and `infertop wall --demo`.
struct DemoClockOptions: ParsableArguments {
    @Option(help: "Simulated seconds per real second (0.1-100).")
    var speed: Double = 1

    @Option(
        help: "Simulated second to start at, e.g. 65 for the KV-cache squeeze or 455 for the lost node (default 30).")
    var startAt: Double = 30

    mutating func validate() throws {
        guard speed >= 0.1, speed <= 100 else {
            throw ValidationError("--speed must be between 0.1 and 100 simulated seconds per second, got \(speed)")
        }
        guard startAt >= 0, startAt <= 86_400 else {
            throw ValidationError("--start-at must be 0 to 86400 simulated seconds, got \(startAt)")
        }
    }
}
