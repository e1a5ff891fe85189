import InfertopTOML
import Testing

/// Decoding a TOML file into a shape: unknown keys in every table the shapes name, wrong types
/// and missing keys located by key, `[[array]]` table and line.
@Suite struct TOMLDocumentTests {
    struct Root: TOMLTableShape {
        var name: String?
        var seconds: TOMLNumber?
        var modes: TOMLOneOrMany<String>?
        var items: [Item]?
        var limits: [String: Int]?
        var maxCount: Int?

        enum CodingKeys: String, TOMLKeys {
            case name, seconds, modes, items, limits, maxCount
        }

        static var nestedTables: [CodingKeys: any TOMLTableShape.Type] { [.items: Item.self] }
    }

    struct Item: TOMLTableShape {
        var url: String
        var weight: Int?

        enum CodingKeys: String, TOMLKeys {
            case url
            case weight = "weight-kg"
        }
    }

    static func mistake(_ text: String) -> TOMLMistake? {
        do throws(TOMLMistake) {
            _ = try TOMLDocument(text).decode(Root.self)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFile_decodes_withWholeNumbersAsNumbers_andOneOrMany() throws {
        let text =
            "name = \"a\"\nseconds = 2\nmodes = \"x\"\nmax_count = 4\n[[items]]\nurl = \"u\"\nweight-kg = 5\n"
            + "[limits]\n\"m-1\" = 3\n"
        let root = try TOMLDocument(text).decode(Root.self)
        #expect(root.maxCount == 4 && root.items?.first?.weight == 5, "snake_case, or the key a raw value names")
        #expect(root.seconds?.value == 2)
        #expect(root.modes?.elements == ["x"])
        #expect(root.items?.first?.url == "u")
        #expect(root.limits == ["m-1": 3])
        #expect(try TOMLDocument("modes = [\"x\", \"y\"]\nseconds = 0.5").decode(Root.self).seconds?.value == 0.5)
    }

    @Test func theFirstUnknownKeyInTheFile_isNamed_withTheNearestKnownOne() {
        let mistake = Self.mistake("[[items]]\nurl = \"u\"\n[[items]]\nurl = \"v\"\nweigth-kg = 1\nnmae = 2\n")
        #expect(mistake?.keys == ["items", "weigth-kg"])
        #expect(mistake?.line == 5)
        #expect(mistake?.occurrence == 1)
        #expect(mistake?.kind == .unknownKey(known: ["url", "weight-kg"], suggestion: "weight-kg"))
        #expect(Self.mistake("[limits]\nanything = 1\n") == nil, "a map's keys are free names")
        let swapped = Self.mistake("[[items]]\nulr = \"u\"\n")
        #expect(swapped?.kind == .unknownKey(known: ["url", "weight-kg"], suggestion: "url"), "two letters swapped")
    }

    @Test func wrongTypes_andMissingKeys_areLocated() {
        #expect(Self.mistake("name = 1")?.kind == .wrongType(found: "an integer"))
        let element = Self.mistake("\n\nmodes = [\"x\", 2]")
        #expect(element?.keys == ["modes"] && element?.inList == true && element?.line == 3)
        let missing = Self.mistake("[[items]]\nurl = \"u\"\n[[items]]\nweight-kg = 1\n")
        #expect(missing?.kind == .missing && missing?.keys == ["items", "url"] && missing?.line == 3)
        let notATable = Self.mistake("items = 3")
        #expect(notATable?.kind == .wrongType(found: "an integer") && notATable?.keys == ["items"])
        #expect(Self.mistake("seconds = \"soon\"")?.kind == .wrongType(found: "a string"))
    }

    @Test func aSyntaxError_namesTheLineAndItsKey() {
        do throws(TOMLMistake) {
            _ = try TOMLDocument("a = 1\nb = [\n")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 2 || error.line == 3)
            if case .syntax = error.kind {} else { Issue.record("\(error)") }
        }
    }
}
