import Foundation

/// A condition a test waited for did not come true in time.
public struct PollTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Checks `condition` every `interval` until it holds; throws `PollTimeout`, naming `what` and
/// adding `diagnostics()`, when `timeout` passes first. For conditions on other processes that
/// no event announces (a file that grows, a server's answer).
public func poll(
    _ what: String, timeout: Duration, every interval: Duration, diagnostics: () -> String,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    throw PollTimeout(description: "timed out after \(timeout) waiting for \(what)\n\(diagnostics())")
}
