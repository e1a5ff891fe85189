/// Runs `body`, then `cleanup`, whether `body` returned or threw: `defer` for cleanup that must
/// be awaited, such as stopping servers gracefully. `body`'s error is rethrown after the cleanup.
public func withAsyncCleanup<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T,
    cleanup: () async -> Void
) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
    return result
}
