import Foundation

extension Process {
    /// Sets the environment to this process's with `overrides` on top, reads standard input from
    /// /dev/null, and connects standard output and error to new pipes, which it returns.
    public func pipingOutput(environment overrides: [String: String]) -> (out: Pipe, err: Pipe) {
        environment = ProcessInfo.processInfo.environment.merging(overrides) { $1 }
        let pipes = (out: Pipe(), err: Pipe())
        standardOutput = pipes.out
        standardError = pipes.err
        standardInput = FileHandle.nullDevice
        return pipes
    }
}
