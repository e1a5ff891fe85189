import InfertopCore
import Testing

/// `withAsyncCleanup`: the cleanup runs once, after the body, whichever way the body ends.
@Suite struct AsyncCleanupTests {
    struct Failure: Error, Equatable {}

    actor Log {
        var entries: [String] = []
        func add(_ entry: String) { entries.append(entry) }
    }

    @Test func returnsTheBodysValueAfterCleaningUp() async throws {
        let log = Log()
        let value = try await withAsyncCleanup {
            await log.add("body")
            return 42
        } cleanup: {
            await log.add("cleanup")
        }
        #expect(value == 42)
        #expect(await log.entries == ["body", "cleanup"])
    }

    @Test func cleansUpThenRethrowsTheBodysError() async {
        let log = Log()
        await #expect(throws: Failure()) {
            try await withAsyncCleanup {
                await log.add("body")
                throw Failure()
            } cleanup: {
                await log.add("cleanup")
            }
        }
        #expect(await log.entries == ["body", "cleanup"])
    }
}
