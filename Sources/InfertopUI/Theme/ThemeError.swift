/// A mistake in a theme file, located by file, line and key.
///
/// Its description is one line, `FILE:LINE: key 'KEY': PROBLEM (what to do)`, the shape
/// compilers use, so an editor or a terminal can jump to it and the user knows the fix
/// without opening the documentation.
public struct ThemeError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The theme file as the user named it.
    public var file: String
    /// The 1-based line of the mistake; nil when the file could not be read at all.
    public var line: Int?
    /// The key the mistake is in, as written in the file; nil when no key could be named.
    public var key: String?
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var hint: String

    public init(file: String, line: Int?, key: String?, problem: String, hint: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
        self.hint = hint
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "key '\(key)': " }
        return text + problem + " (\(hint))"
    }
}
