import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// Golden screens of view 4 (requests) and of a request's waterfall: the simulated cluster
/// (seed 7, t=70) with seeded fixture traffic and the hero trace, which queued 2.1 s behind
/// node-10's full KV cache. Files: `__Snapshots__/RequestViewGoldenTests/<name>.txt` and
/// `<name>.style.txt`. `INFERTOP_RECORD_SNAPSHOTS=1` re-records.
@Suite struct RequestViewGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let size: Size
        var waterfall = false
        var glyphs: Glyphs = .unicode
        var depth: ColorDepth = .full
        var resolveColors = false
        var filter: String? = nil

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "requests_80x24", size: Size(columns: 80, rows: 24)),
        Case(name: "requests_120x40", size: Size(columns: 120, rows: 40)),
        Case(name: "requests_200x50", size: Size(columns: 200, rows: 50)),
        Case(name: "requests_8color_120x40", size: Size(columns: 120, rows: 40), depth: .eight, resolveColors: true),
        Case(name: "requests_filtered_80x24", size: Size(columns: 80, rows: 24), filter: "node-10"),
        Case(name: "waterfall_80x24", size: Size(columns: 80, rows: 24), waterfall: true),
        Case(name: "waterfall_120x40", size: Size(columns: 120, rows: 40), waterfall: true),
        Case(name: "waterfall_200x50", size: Size(columns: 200, rows: 50), waterfall: true),
        Case(
            name: "waterfall_8color_120x40", size: Size(columns: 120, rows: 40), waterfall: true, depth: .eight,
            resolveColors: true),
        Case(name: "waterfall_ascii_80x24", size: Size(columns: 80, rows: 24), waterfall: true, glyphs: .ascii)
    ]

    @Test(arguments: cases)
    func golden(_ c: Case) {
        var model = Fixtures.requestsModel(size: c.size, glyphs: c.glyphs, depth: c.depth)
        if let filter = c.filter { model.filter = Filter(filter) }
        if c.waterfall { model.requests.open = RequestFixtures.heroTraceID }
        let screen = view(model)
        let style = Fixtures.styleLayer(screen, theme: c.resolveColors ? .default : nil, depth: c.depth)
        for failure in Snapshot.verify(screen: screen, style: style, named: c.name, suite: "RequestViewGoldenTests") {
            Issue.record(Comment(rawValue: failure))
        }
    }
}
