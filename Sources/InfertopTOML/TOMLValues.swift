/// A number as TOML writes it, `1` or `0.5`: `TOMLDecoder` reads a `Double` from a float only,
/// so `interval_seconds = 1` would be a value of the wrong type.
public struct TOMLNumber: Decodable, Sendable, Hashable {
    /// The number, whole or not.
    public var value: Double

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let whole = try? container.decode(Int.self) {
            value = Double(whole)
        } else {
            value = try container.decode(Double.self)
        }
    }
}

/// A value written alone or as a list of them: `executor = "slurm"` or `executor = ["router",
/// "slurm"]`. A value of neither type is a wrong type at the key; a wrong element, in the list.
public struct TOMLOneOrMany<Element: Decodable>: Decodable {
    /// The one value, or the list.
    public var elements: [Element]

    public init(from decoder: any Decoder) throws {
        if let one = try? decoder.singleValueContainer().decode(Element.self) {
            elements = [one]
        } else {
            elements = try [Element](from: decoder)
        }
    }
}
