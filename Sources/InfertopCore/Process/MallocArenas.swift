#if canImport(Glibc)
    import CMalloc
    import Glibc
#endif

/// Caps glibc's malloc arenas for a long-running process.
///
/// glibc gives each thread that meets a locked arena one of its own, up to eight per core; the
/// dashboard and the agent run a dozen threads (the cooperative pool, NIO's event loops,
/// Dispatch, the UI thread), and each arena keeps the freed memory of its own thread. With two
/// arenas the release demo at 200x50 held 87.8 MiB after four minutes against 96.1 MiB with
/// glibc's default, run side by side (Benchmarks/README.md); the allocation paths are not hot
/// enough for the lock contention to show in CPU. `MALLOC_ARENA_MAX` in the environment still
/// wins, so an operator can undo it.
public enum MallocArenas {
    /// The cap applied by `limit()`.
    public static let cap: Int32 = 2

    /// Applies the cap unless `MALLOC_ARENA_MAX` is set; call first thing in `main`, before any
    /// thread starts. A no-op where the C library is not glibc.
    public static func limit() {
        #if canImport(Glibc)
            guard getenv("MALLOC_ARENA_MAX") == nil else { return }
            _ = mallopt(M_ARENA_MAX, cap)
        #endif
    }
}
