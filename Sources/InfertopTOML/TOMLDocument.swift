import InfertopCore
import TOMLKit

/// A TOML file parsed, with the line of every key: each file's reader decodes its shape from it
/// and locates the mistakes its own checks find with it.
public struct TOMLDocument {
    /// The parsed file.
    public let table: TOMLTable
    /// The lines of the keys and table headers.
    public let locator: TOMLKeyLocator

    /// Parses `text`.
    /// - Throws: a `.syntax` mistake on the line TOMLKit names, with the key written there.
    public init(_ text: String) throws(TOMLMistake) {
        locator = TOMLKeyLocator(text)
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            let key = locator.key(onLine: line)
            throw TOMLMistake(kind: .syntax(error.description), keys: key.map { [$0] } ?? [], line: line)
        } catch {
            throw TOMLMistake(kind: .syntax("\(error)"), keys: [], line: 1)
        }
    }

    /// Decodes the file as `Shape`. Every key is first checked against the shapes, which Codable
    /// would not do; then `TOMLDecoder` reads the values.
    /// - Throws: `TOMLMistake`: the unknown key that comes first in the file; else the first value
    ///   of the wrong type or required key left out, in the order the shapes declare their keys.
    public func decode<Shape: TOMLTableShape>(_ shape: Shape.Type) throws(TOMLMistake) -> Shape {
        let unknown = Shape.unknownKeys(in: table, under: [], occurrence: 0, document: self)
        if let first = unknown.min(by: { ($0.line ?? .max) < ($1.line ?? .max) }) { throw first }
        do {
            return try TOMLDecoder().decode(Shape.self, from: table)
        } catch let error as DecodingError {
            throw mistake(error)
        } catch {
            // TOMLDecoder throws DecodingError only (UnexpectedKeysError needs strictDecoding).
            throw TOMLMistake(kind: .syntax("\(error)"), keys: [], line: nil)
        }
    }

    /// Parses `text` and decodes it as `Shape`; `mistake` puts a mistake in the file's own words.
    public static func decode<Shape: TOMLTableShape, Failure: Error>(
        _ shape: Shape.Type, from text: String, mistake: (TOMLMistake) -> Failure
    ) throws(Failure) -> (Shape, TOMLDocument) {
        do throws(TOMLMistake) {
            let document = try TOMLDocument(text)
            return (try document.decode(shape), document)
        } catch {
            throw mistake(error)
        }
    }

    /// The line of the key at `keys` (in the `occurrence`-th table of an `[[array]]`): its
    /// `[header]` when it holds a table, else the line it is written on, else its table's header. A
    /// field of an inline table is on the line of the key holding the table.
    public func line(of keys: [String], occurrence: Int = 0) -> Int? {
        var keys = keys
        var occurrence = occurrence
        while let key = keys.popLast() {
            let section = keys.joined(separator: ".")
            let header = section.isEmpty ? key : section + "." + key
            if let line = locator.line(ofSection: header, occurrence: occurrence)
                ?? locator.line(of: key, in: section, occurrence: occurrence)
            {
                return line
            }
            occurrence = 0
        }
        return nil
    }

    /// A `DecodingError` as a mistake: the value its coding path leads to is of the wrong type, or
    /// absent. (TOMLKit reports a value of the wrong type under a key as `keyNotFound`.)
    private func mistake(_ error: DecodingError) -> TOMLMistake {
        var path: [any CodingKey] = []
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath
            if path.last?.stringValue != key.stringValue { path.append(key) }
        @unknown default: break
        }
        var mistake = TOMLMistake(kind: .missing, keys: [], line: nil)
        var value: (any TOMLValueConvertible)? = table
        var index: Int?
        for component in path {
            if let array = value?.array, let position = component.intValue {
                value = array.indices.contains(position) ? array[position] : nil
                index = position
            } else {
                value = value?.table?[component.stringValue]
                if let index { mistake.occurrence = index }
                index = nil
                mistake.keys.append(component.stringValue)
            }
        }
        mistake.inList = index != nil
        if let value { mistake.kind = .wrongType(found: value.type.phrase) }
        mistake.line = line(of: mistake.keys, occurrence: mistake.occurrence)
        return mistake
    }
}
