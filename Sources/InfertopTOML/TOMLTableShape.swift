/// A table of a TOML file as a `Decodable` type: a struct whose properties mirror the table's
/// keys, with `CodingKeys` spelled as the file spells them (`interval_seconds`, `page-down`).
///
/// Codable skips keys a type does not name, so `TOMLDocument.decode` first compares every table
/// of the file with the `CodingKeys` of its shape; `nestedTables` tells it the shape of each key
/// that holds a table, or an array of tables, of its own.
public protocol TOMLTableShape: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable & Hashable

    /// The shape of each key whose value is a table (or `[[array]]` tables) with known keys. A key
    /// not named here holds a value, or a table of free names (a map such as `[keys]`), whose
    /// keys are checked where it is converted.
    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] { get }
}

extension TOMLTableShape {
    public static var nestedTables: [CodingKeys: any TOMLTableShape.Type] { [:] }

    /// The keys the table may have, in the order `CodingKeys` declares them.
    public static var keys: [String] { CodingKeys.allCases.map(\.stringValue) }
}

/// `CodingKeys` spelled as TOML files spell keys: the case `intervalSeconds` is the key
/// `interval_seconds`. A case whose key the rule does not give has a raw value of its own, used
/// as it is (`weightsBytesPerGPU = "weights_bytes_per_gpu"`). TOMLDecoder has no key strategy
/// such as JSONDecoder's `convertFromSnakeCase`; this one spells a shape's keys only, never the
/// free names of a map (`[control.min_available]`'s models). The members below take the place of
/// those the compiler would derive for a `CodingKey` enum.
public protocol TOMLKeys: CodingKey, CaseIterable, Hashable, RawRepresentable where RawValue == String {}

extension TOMLKeys {
    public var stringValue: String {
        String(rawValue.flatMap { $0.isUppercase ? ["_", Character($0.lowercased())] : [$0] })
    }

    public init?(stringValue: String) {
        guard let key = Self.allCases.first(where: { $0.stringValue == stringValue }) else { return nil }
        self = key
    }

    public var intValue: Int? { nil }

    public init?(intValue: Int) { nil }
}
