import Foundation

/// Runs a drawing loop on a thread of its own, so its blocking key reads never hold one of the
/// few threads that async tasks (feeds, agents) run on.
enum UIThread {
    static func run(named name: String, _ loop: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try loop()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = name
            thread.start()
        }
    }
}
