import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// Golden screens: each view of the simulated cluster (seed 7) at a fixed virtual time and size,
/// compared with `__Snapshots__/ViewGoldenTests/<name>.txt` (the text a person reads) and
/// `<name>.style.txt` (runs of style roles). `INFERTOP_RECORD_SNAPSHOTS=1` re-records.
@Suite struct ViewGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let size: Size
        var view: ViewKind = .overview
        var node: String? = nil
        var at: Double = 70
        var nodes = 16
        var glyphs: Glyphs = .unicode
        var depth: ColorDepth = .full
        var help = false
        var resolveColors = false

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "overview_80x24", size: Size(columns: 80, rows: 24)),
        Case(name: "overview_120x40", size: Size(columns: 120, rows: 40)),
        Case(name: "overview_200x50", size: Size(columns: 200, rows: 50)),
        Case(name: "memory_80x24", size: Size(columns: 80, rows: 24), view: .memory),
        Case(name: "memory_120x40", size: Size(columns: 120, rows: 40), view: .memory),
        Case(name: "memory_200x50", size: Size(columns: 200, rows: 50), view: .memory),
        Case(name: "node_80x24", size: Size(columns: 80, rows: 24), node: "node-10"),
        Case(name: "node_120x40", size: Size(columns: 120, rows: 40), node: "node-10"),
        Case(name: "node_200x50", size: Size(columns: 200, rows: 50), node: "node-10"),
        Case(name: "overview_ascii_80x24", size: Size(columns: 80, rows: 24), glyphs: .ascii),
        Case(name: "overview_ascii_120x40", size: Size(columns: 120, rows: 40), glyphs: .ascii),
        Case(name: "memory_ascii_120x40", size: Size(columns: 120, rows: 40), view: .memory, glyphs: .ascii),
        Case(name: "overview_8color_120x40", size: Size(columns: 120, rows: 40), depth: .eight, resolveColors: true),
        Case(
            name: "memory_8color_120x40", size: Size(columns: 120, rows: 40), view: .memory, depth: .eight,
            resolveColors: true),
        Case(name: "overview_mono_120x40", size: Size(columns: 120, rows: 40), depth: .mono, resolveColors: true),
        Case(name: "overview_nodelost_120x40", size: Size(columns: 120, rows: 40), at: 465),
        Case(name: "overview_straggler_120x40", size: Size(columns: 120, rows: 40), at: 210),
        Case(name: "overview_1024gpus_200x50", size: Size(columns: 200, rows: 50), at: 30, nodes: 128),
        Case(name: "overview_8192gpus_200x50", size: Size(columns: 200, rows: 50), at: 5, nodes: 1024),
        Case(name: "help_120x40", size: Size(columns: 120, rows: 40), help: true),
        Case(name: "interconnect_80x24", size: Size(columns: 80, rows: 24), view: .interconnect, at: 340),
        Case(name: "interconnect_120x40", size: Size(columns: 120, rows: 40), view: .interconnect, at: 340),
        Case(name: "interconnect_200x50", size: Size(columns: 200, rows: 50), view: .interconnect, at: 340),
        Case(name: "interconnect_portflap_120x40", size: Size(columns: 120, rows: 40), view: .interconnect, at: 536),
        Case(
            name: "interconnect_8color_120x40", size: Size(columns: 120, rows: 40), view: .interconnect, at: 340,
            depth: .eight, resolveColors: true),
        Case(
            name: "interconnect_1024gpus_200x50", size: Size(columns: 200, rows: 50), view: .interconnect, at: 30,
            nodes: 128),
        Case(name: "too_small_60x15", size: Size(columns: 60, rows: 15))
    ]

    @Test(arguments: cases)
    func golden(_ c: Case) {
        var model = Fixtures.model(at: c.at, nodes: c.nodes, size: c.size, glyphs: c.glyphs, depth: c.depth)
        model.view = c.view
        model.node = c.node.map { NodeID($0) }
        model.showHelp = c.help
        let screen = view(model)
        let style = Fixtures.styleLayer(screen, theme: c.resolveColors ? .default : nil, depth: c.depth)
        for failure in Snapshot.verify(screen: screen, style: style, named: c.name, suite: "ViewGoldenTests") {
            Issue.record(Comment(rawValue: failure))
        }
    }
}
