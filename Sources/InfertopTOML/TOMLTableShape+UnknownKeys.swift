import TOMLKit

extension TOMLTableShape {
    /// The keys of `table` (at `keys`, in the `occurrence`-th table of an array) and of the tables
    /// under it that their shapes do not have, each with the nearest key the table has.
    static func unknownKeys(
        in table: TOMLTable, under keys: [String], occurrence: Int, document: TOMLDocument
    ) -> [TOMLMistake] {
        var mistakes: [TOMLMistake] = []
        for name in table.keys {
            guard let key = CodingKeys.allCases.first(where: { $0.stringValue == name }) else {
                let kind = TOMLMistake.Kind.unknownKey(known: Self.keys, suggestion: nearest(to: name, in: Self.keys))
                let line = document.line(of: keys + [name], occurrence: occurrence)
                mistakes.append(TOMLMistake(kind: kind, keys: keys + [name], line: line, occurrence: occurrence))
                continue
            }
            guard let shape = nestedTables[key], let value = table[name] else { continue }
            let tables: [TOMLTable?] = value.table.map { [$0] } ?? value.array?.map(\.table) ?? []
            for (index, nested) in tables.enumerated() {
                guard let nested else { continue }
                mistakes += shape.unknownKeys(in: nested, under: keys + [name], occurrence: index, document: document)
            }
        }
        return mistakes
    }

    /// The key of `known` nearest to `name`, when it is near: with short keys, everything is two
    /// edits from something.
    private static func nearest(to name: String, in known: [String]) -> String? {
        known.map { (key: $0, distance: editDistance($0, name)) }
            .filter { $0.distance <= max(1, name.count / 3) }
            .min { $0.distance < $1.distance }?.key
    }

    /// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: "ulr" is one from "url".
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var table = [Array(0...b.count)] + a.indices.map { [$0 + 1] + Array(repeating: 0, count: b.count) }
        for i in a.indices {
            for j in b.indices {
                var cost = min(table[i][j + 1] + 1, table[i + 1][j] + 1, table[i][j] + (a[i] == b[j] ? 0 : 1))
                if i > 0, j > 0, a[i] == b[j - 1], a[i - 1] == b[j] { cost = min(cost, table[i - 1][j - 1] + 1) }
                table[i + 1][j + 1] = cost
            }
        }
        return table[a.count][b.count]
    }
}
