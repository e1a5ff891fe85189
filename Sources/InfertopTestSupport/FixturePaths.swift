import Foundation

/// Paths into the repository for tests that read its files.
public enum FixturePaths {
    /// The repository root, found from this source file's location.
    public static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }
}
