import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// Golden screens of operating the cluster: view 5 (shards, with the relieve plan previewed and
/// three operations), view 6 (journal and audit) from `Fixtures.controlModel`, and the drain and
/// rebalance dialogs over the simulated cluster (seed 7, t=70) with node-12 spare
/// (`Fixtures.spareNodeModel`), as typed from the `:` line.
/// Files: `__Snapshots__/ControlGoldenTests/<name>.txt` and `<name>.style.txt`;
/// `INFERTOP_RECORD_SNAPSHOTS=1` re-records.
@Suite struct ControlGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let size: Size
        var view: ViewKind = .overview
        /// Typed on the `:` line of the plain cluster, then Enter (a dialog golden).
        var command: String? = nil
        var glyphs: Glyphs = .unicode

        var testDescription: String { name }
    }

    static let small = Size(columns: 80, rows: 24)
    static let large = Size(columns: 200, rows: 50)

    static let cases: [Case] = [
        Case(name: "shards_80x24", size: small, view: .shards),
        Case(name: "shards_200x50", size: large, view: .shards),
        Case(name: "shards_ascii_80x24", size: small, view: .shards, glyphs: .ascii),
        Case(name: "events_80x24", size: small, view: .events),
        Case(name: "events_200x50", size: large, view: .events),
        Case(name: "dialog_drain_80x24", size: small, command: "drain node-11 --evacuate --reason \"kv full\""),
        Case(name: "dialog_drain_200x50", size: large, command: "drain node-11 --evacuate --reason \"kv full\""),
        Case(
            name: "dialog_rebalance_80x24", size: small, command: "rebalance --relieve node-10:6 --reason \"KV full\""),
        Case(
            name: "dialog_rebalance_200x50", size: large, command: "rebalance --relieve node-10:6 --reason \"KV full\"")
    ]

    @Test(arguments: cases)
    func golden(_ c: Case) {
        var model: Model
        if let command = c.command {
            model = Fixtures.spareNodeModel(size: c.size, glyphs: c.glyphs)
            _ = update(&model, .key(.char(":")))
            for ch in command { _ = update(&model, .key(.char(ch))) }
            _ = update(&model, .key(.enter))
            #expect(model.dialog != nil, "\(model.status?.text ?? "")")
        } else {
            model = Fixtures.controlModel(size: c.size, glyphs: c.glyphs)
            model.view = c.view
        }
        let screen = view(model)
        let style = Fixtures.styleLayer(screen)
        for failure in Snapshot.verify(screen: screen, style: style, named: c.name, suite: "ControlGoldenTests") {
            Issue.record(Comment(rawValue: failure))
        }
    }
}
