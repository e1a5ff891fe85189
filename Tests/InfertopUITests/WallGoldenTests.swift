import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// Golden wall screens at the sizes of a wall's panes: 200x50, 100x30 (a quarter of a 1080p
/// screen in tmux) and 40x12 (the compact layout), during an incident, in calm, and with every
/// source lost. `INFERTOP_RECORD_SNAPSHOTS=1` re-records.
@Suite struct WallGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let size: Size
        var at: Double = 70
        var noData = false
        var glyphs: Glyphs = .unicode
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "wall_culprit_200x50", size: Size(columns: 200, rows: 50)),
        Case(name: "wall_culprit_100x30", size: Size(columns: 100, rows: 30)),
        Case(name: "wall_culprit_40x12", size: Size(columns: 40, rows: 12)),
        Case(name: "wall_calm_200x50", size: Size(columns: 200, rows: 50), at: 30),
        Case(name: "wall_calm_100x30", size: Size(columns: 100, rows: 30), at: 30),
        Case(name: "wall_calm_40x12", size: Size(columns: 40, rows: 12), at: 30),
        Case(name: "wall_nodata_100x30", size: Size(columns: 100, rows: 30), noData: true),
        Case(name: "wall_nodata_40x12", size: Size(columns: 40, rows: 12), noData: true),
        Case(name: "wall_culprit_ascii_100x30", size: Size(columns: 100, rows: 30), glyphs: .ascii)
    ]

    static func wall(_ c: Case) -> WallModel {
        var wall = WallModel(size: c.size, glyphs: c.glyphs, depth: .full, source: "demo seed 7")
        wall.dashboard = Fixtures.model(at: c.at, size: c.size, glyphs: c.glyphs)
        if c.noData { Self.loseEverySource(&wall.dashboard) }
        return wall
    }

    /// Every agent's connection drops, as when all of them are killed.
    static func loseEverySource(_ model: inout Model) {
        guard let state = model.live else { return }
        var delta = ClusterDelta(sequence: 9_999, time: state.time + 1)
        delta.sources = state.topology.nodes.enumerated().map { i, node in
            SourceStatus(
                address: "10.0.0.\(i + 1):50051", node: node.id,
                state: .retrying(reason: "connection refused", inSeconds: 1),
                lastMessageTime: state.time)
        }
        _ = update(&model, .cluster(.delta(delta)))
    }

    @Test(arguments: cases)
    func golden(_ c: Case) {
        let screen = wallView(Self.wall(c))
        let style = Fixtures.styleLayer(screen)
        for failure in Snapshot.verify(screen: screen, style: style, named: c.name, suite: "WallGoldenTests") {
            Issue.record(Comment(rawValue: failure))
        }
    }
}

/// What the wall does, frame by frame: it holds on the culprit, cycles in calm, shows freshness,
/// and no key but quit changes anything.
@Suite struct WallBehaviourTests {
    @Test func duringAnIncident_itHoldsOnTheCulpritsView_inLargeType() {
        let wall = WallGoldenTests.wall(.init(name: "", size: Size(columns: 100, rows: 30)))
        let rows = wallView(wall).rows
        #expect(rows[1].contains("█"), "large type under the header")
        #expect(rows.contains { $0.contains("CULPRIT node-10 gpu6") })
        #expect(rows.contains { $0.contains("KV FREE") }, "view 2, where a KV-starved GPU shows")
        #expect(rows.last?.contains("holding on the culprit") == true)
    }

    @Test func inCalm_itCyclesTheViews_onTheWallClock() {
        var wall = WallGoldenTests.wall(.init(name: "", size: Size(columns: 120, rows: 40), at: 30))
        wall.settings = WallSettings(cycleSeconds: 20, views: [.overview, .requests, .interconnect])
        var seen: [ViewKind] = []
        for second in stride(from: 0.0, through: 65, by: 0.5) {
            _ = wallUpdate(&wall, .tick(second))
            if seen.last != wall.cycledView { seen.append(wall.cycledView) }
        }
        #expect(seen == [.overview, .requests, .interconnect, .overview])
        #expect(wallView(wall).rows.last?.contains("cycling overview, requests, interconnect every 20s") == true)
    }

    @Test func keys_otherThanQuit_changeNothing() {
        var wall = WallGoldenTests.wall(.init(name: "", size: Size(columns: 100, rows: 30)))
        let before = wallView(wall)
        let keys: [Key] = [
            .char("d"), .char("c"), .char("w"), .char("2"), .char(":"), .enter, .char("p"), .char("?"), .char(" ")
        ]
        for key in keys { #expect(wallUpdate(&wall, .key(key)) == false) }
        #expect(wallView(wall) == before)
        #expect(wallUpdate(&wall, .key(.char("q"))))
    }

    @Test func freshness_isAlwaysOnScreen() {
        for size in [Size(columns: 200, rows: 50), Size(columns: 100, rows: 30), Size(columns: 40, rows: 12)] {
            let text = wallView(WallGoldenTests.wall(.init(name: "", size: size))).rows.joined(separator: "\n")
            #expect(text.contains("data ") && text.contains(" old"), "no freshness at \(size)")
        }
    }

    @Test func everySourceLost_saysNoDataOverTheWholePane() {
        let wall = WallGoldenTests.wall(.init(name: "", size: Size(columns: 100, rows: 30), noData: true))
        let text = wallView(wall).rows.joined(separator: "\n")
        #expect(text.contains("NO DATA since 00:01:10"))
        #expect(!text.contains("CULPRIT"), "no frozen picture under it")
    }
}
