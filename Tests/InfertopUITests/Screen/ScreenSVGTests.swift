import Foundation
import InfertopTestSupport
import Testing

@testable import InfertopUI

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `Screen.svg`: a picture that parses as XML and shows exactly the frame's text.
@Suite struct ScreenSVGTests {
    /// What XMLParser found: the backdrop, each `<rect>` and each `<text>` with its attributes.
    final class Picture: NSObject, XMLParserDelegate {
        struct Element {
            var attributes: [String: String]
            var text = ""
            func number(_ name: String) -> Int { Int(attributes[name] ?? "") ?? -1 }
        }
        var root: [String: String] = [:]
        var rects: [Element] = []
        var texts: [Element] = []
        var elements: [String] = []
        private var open: Element?

        init(_ svg: String) throws {
            super.init()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = self
            guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        }

        func parser(
            _ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.append(name)
            switch name {
            case "svg": root = attributes
            case "rect": rects.append(Element(attributes: attributes))
            case "text": open = Element(attributes: attributes)
            default: break
            }
        }

        func parser(_ p: XMLParser, foundCharacters string: String) { open?.text += string }

        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", let element = open { texts.append(element) }
            open = nil
        }

        /// The rows of text as a terminal would show them: each `<text>` placed at its column.
        func rows(width: Int, height: Int) -> [String] {
            var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
            for text in texts {
                let column = text.number("x") / SVGGrid.cellWidth
                let row = (text.number("y") - SVGGrid.baseline) / SVGGrid.rowHeight
                for (offset, character) in text.text.enumerated() { grid[row][column + offset] = character }
            }
            return grid.map { String($0) }
        }
    }

    private let theme = Theme(canvas: ThemeCanvas(background: RGB(0x10, 0x10, 0x10), paints: true)) { role in
        switch role {
        case .crit: ThemeColor(fg: RGB(255, 0, 0), bold: true)
        case .selection: ThemeColor(fg: RGB(255, 255, 255), bg: RGB(0, 0, 255))
        default: ThemeColor(fg: RGB(0x80, 0x80, 0x80))
        }
    }

    @Test func smallScreen_isExact() throws {
        var screen = Screen(size: Size(columns: 12, rows: 2))
        screen.put("a<b>&c", x: 0, y: 0)
        screen.put("OOM", x: 8, y: 0, style: Style(.crit))
        screen.put(" sel ", x: 2, y: 1, style: Style(.selection))
        let svg = screen.svg(theme: theme)
        let picture = try Picture(svg)
        #expect(picture.root["width"] == "108" && picture.root["height"] == "36")
        #expect(picture.root["xml:space"] == "preserve")
        #expect(picture.root["font-family"]?.hasSuffix("monospace") == true)
        #expect(picture.rects.first?.attributes["fill"] == "#101010", "the canvas behind everything")
        #expect(picture.rects.count == 2)
        let selection = picture.rects[1]
        #expect([selection.number("x"), selection.number("y"), selection.number("width")] as [Int] == [18, 18, 45])
        #expect(selection.attributes["fill"] == "#0000FF")
        #expect(picture.texts.map(\.text) == ["a<b>&c", "OOM", "sel"])
        #expect(picture.texts[1].attributes["font-weight"] == "bold")
        #expect(picture.texts[1].attributes["fill"] == "#FF0000")
        #expect(picture.texts[0].attributes["font-weight"] == nil)
        #expect(picture.texts[2].number("x") == 27, "leading blanks are left out, the text starts at its glyph")
        #expect(picture.texts[2].number("textLength") == 27)
        #expect(picture.rows(width: 12, height: 2) == screen.rows)
        #expect(svg.contains("a&lt;b&gt;&amp;c"))
    }

    @Test(arguments: [
        (ViewKind.overview, 70.0), (.memory, 70), (.interconnect, 340), (.requests, 75)
    ])
    func view_rowsEqualTheFrame(view kind: ViewKind, at time: Double) throws {
        var model = Fixtures.model(at: time, size: Size(columns: 120, rows: 40))
        model.view = kind
        let screen = view(model)
        for name in BuiltInThemes.names {
            let theme = try #require(BuiltInThemes.theme(named: name))
            let picture = try Picture(screen.svg(theme: theme))
            #expect(picture.rows(width: 120, height: 40) == screen.rows, "\(kind) in \(name)")
            #expect(picture.rects.first?.attributes["fill"] == theme.canvas.background.hex)
        }
    }

    @Test func selfContained_noScriptsFontsOrLinks() throws {
        let svg = view(Fixtures.model(size: Size(columns: 80, rows: 24))).svg(theme: .default)
        let picture = try Picture(svg)
        #expect(Set(picture.elements) == ["svg", "rect", "text"])
        #expect(!svg.contains("href") && !svg.contains("@import") && !svg.contains("url("))
        #expect(svg == view(Fixtures.model(size: Size(columns: 80, rows: 24))).svg(theme: .default), "deterministic")
    }

    @Test func colours_areTheThemes24BitOnes() throws {
        var screen = Screen(size: Size(columns: 3, rows: 1))
        screen.put("x", x: 0, y: 0, style: Style(.memWeights))
        screen.put("y", x: 2, y: 0, style: Style(.crit, .reverse))
        let picture = try Picture(screen.svg(theme: .default))
        #expect(picture.texts.first?.attributes["fill"] == Theme.default[.memWeights].fg.hex)
        // Reverse video: the canvas colour on the role's colour.
        #expect(picture.texts.last?.attributes["fill"] == Theme.default.canvas.background.hex)
        #expect(picture.rects.last?.attributes["fill"] == Theme.default[.crit].fg.hex)
    }

    @Test func emptyScreen_isAnEmptyPicture() throws {
        let picture = try Picture(Screen(size: Size(columns: 0, rows: 0)).svg(theme: .default))
        #expect(picture.texts.isEmpty)
        #expect(picture.rects.count == 1)
    }
}
