/// A mistake in the dashboard's config file, located by file, line, section and key.
///
/// Its description is one line, `FILE:LINE: [section] key: PROBLEM; WHAT TO DO`, so an editor
/// can jump to it and the operator knows the fix without opening the documentation.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The config file as the user named it (or the default path).
    public var file: String
    /// The 1-based line of the mistake; nil when the file could not be read at all.
    public var line: Int?
    /// The section (`keys`), or "" for the top level.
    public var section: String
    /// The key as written in the file; nil when no key could be named.
    public var key: String?
    public var problem: String
    public var hint: String

    public init(file: String, line: Int?, section: String = "", key: String?, problem: String, hint: String) {
        self.file = file
        self.line = line
        self.section = section
        self.key = key
        self.problem = problem
        self.hint = hint
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if !section.isEmpty { text += "[\(section)] " }
        if let key { text += "\(key): " }
        return text + problem + "; " + hint
    }
}
