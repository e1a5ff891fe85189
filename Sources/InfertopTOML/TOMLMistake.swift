import TOMLKit

/// A mistake in a TOML file, located by key and line, for each file's own error type to put in
/// its words: syntax, a key its shape does not have, a value of the wrong type, a required key
/// left out.
public struct TOMLMistake: Error, Sendable, Hashable {
    /// What is wrong.
    public enum Kind: Sendable, Hashable {
        /// Not TOML: TOMLKit's description, `TOML syntax: …`.
        case syntax(String)
        /// A key the table does not have; `known` are those it has, `suggestion` the nearest of
        /// them when one is near.
        case unknownKey(known: [String], suggestion: String?)
        /// A value of another type than the shape's; `found` names the type written, "an integer".
        case wrongType(found: String)
        /// A key the shape requires, left out.
        case missing
    }

    public var kind: Kind
    /// The keys from the top of the file to the mistake, without array indices:
    /// `["control", "router", "workers", "url"]`. Empty when no key can be named.
    public var keys: [String]
    /// The 1-based line: the key's, else its table header's.
    public var line: Int?
    /// Which `[[array]]` table the last key is in (0 for the first, or for a plain table).
    public var occurrence = 0
    /// Whether the wrong value is an element of a list (`views = [1]`), not the whole value.
    public var inList = false

    /// The last key, the one the mistake is in.
    public var key: String? { keys.last }
}

extension TOMLType {
    /// The type as a phrase for error messages: "an integer", "a table".
    public var phrase: String {
        switch self {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .string: "a string"
        case .date, .time, .dateTime: "a date or time"
        }
    }
}
