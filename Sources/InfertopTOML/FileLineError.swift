/// A mistake in a file, described in one line that starts `FILE:LINE: `, the shape compilers use,
/// so an editor or a terminal can jump to it.
public protocol FileLineError: Error, CustomStringConvertible {
    /// The file as the user named it.
    var file: String { get }
    /// The 1-based line of the mistake; nil when none can be named (the file could not be read).
    var line: Int? { get }
}

extension FileLineError {
    /// `FILE:LINE: `, or `FILE: ` without a line.
    public var location: String { file + (line.map { ":\($0)" } ?? "") + ": " }
}
