import InfertopCore
import InfertopSim
import InfertopTestSupport
import Testing

@testable import InfertopUI

@Suite struct UpdateTests {
    func model(_ size: Size = Size(columns: 120, rows: 40)) -> Model { Fixtures.model(size: size) }

    func press(_ model: inout Model, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&model, .key($0)) }
    }

    @Test func numberKeys_switchViews() {
        var m = model()
        _ = press(&m, .char("2"))
        #expect(m.view == .memory)
        _ = press(&m, .char("3"))
        #expect(m.view == .interconnect)
        #expect(view(m).rows[2].hasPrefix("NVLINK") || view(m).rows[2].hasPrefix("XGMI"))
        _ = press(&m, .char("1"))
        #expect(m.view == .overview)
    }

    @Test func interconnect_followsTheSelectedNode() {
        var m = model()
        _ = press(&m, .char("3"))
        #expect(view(m).rows[2].contains("node-10"), "the culprit's node first")
        _ = press(&m, .down)
        let selected = m.selectedNode!
        #expect(view(m).rows[2].contains(selected.name))
    }

    @Test func q_quits_andCtrlCToo() {
        var m = model()
        #expect(press(&m, .char("q")) == [.quit])
        #expect(press(&m, .ctrl("c")) == [.quit])
    }

    @Test func help_opensAndAnyKeyClosesIt() {
        var m = model()
        _ = press(&m, .char("?"))
        #expect(m.showHelp)
        #expect(view(m).rows.joined().contains("this help"))
        _ = press(&m, .char("x"))
        #expect(!m.showHelp)
        _ = press(&m, .char("?"))
        #expect(press(&m, .char("q")) == [.quit])
    }

    @Test func commandLine_runsCommands() {
        var m = model()
        _ = press(&m, .char(":"), .char("v"), .char("i"), .char("e"), .char("w"), .char(" "))
        for c in "memory" { _ = press(&m, .char(c)) }
        #expect(view(m).rows.last?.hasPrefix(":view memory") == true)
        _ = press(&m, .enter)
        #expect(m.view == .memory)
        #expect(m.input == .normal)
        _ = press(&m, .char(":"), .char("q"))
        #expect(press(&m, .enter) == [.quit])
    }

    @Test func commandLine_badCommandSaysWhy() {
        var m = model()
        _ = press(&m, .char(":"))
        for c in "view bogus" { _ = press(&m, .char(c)) }
        _ = press(&m, .enter)
        #expect(m.status?.isError == true)
        #expect(m.status?.text.contains("unknown view 'bogus'") == true)
        #expect(m.view == .overview)
    }

    @Test func filter_narrowsAndNegates() {
        var m = model()
        _ = press(&m, .char("/"))
        for c in "mi300" { _ = press(&m, .char(c)) }
        _ = press(&m, .enter)
        let shown = Rows.nodes(m).map { m.shown!.topology.nodes[$0].gpuModel?.shortName }
        #expect(shown.count == 4 && shown.allSatisfy { $0 == "MI300X" })
        _ = press(&m, .char("/"), .backspace, .backspace, .backspace, .backspace, .backspace)
        for c in "!h100" { _ = press(&m, .char(c)) }
        _ = press(&m, .enter)
        #expect(Rows.nodes(m).count == 9, "four H200, the H200 spare and four MI300X")
        _ = press(&m, .escape)
        #expect(m.filter.isEmpty)
        #expect(Rows.nodes(m).count == 17)
    }

    @Test func filter_byReplicaFindsItsNodes() {
        var m = model()
        m.filter = Filter("llama-405b/0")
        let names = Rows.nodes(m).map { m.shown!.topology.nodes[$0].id.name }
        #expect(names == ["node-01", "node-02"])
    }

    @Test func enterDrillsIntoTheSelectedNode_escReturns() {
        var m = model()
        _ = press(&m, .down, .down)
        let selected = m.selectedNode
        #expect(selected != nil)
        _ = press(&m, .enter)
        #expect(m.node == selected)
        #expect(view(m).rows[2].hasPrefix(selected!.name))
        _ = press(&m, .escape)
        #expect(m.node == nil)
    }

    @Test func memoryView_enterOpensTheSelectedGPUsNode() {
        var m = model()
        _ = press(&m, .char("2"), .down)
        let gpu = m.selectedGPU
        _ = press(&m, .enter)
        #expect(m.node == gpu?.node)
    }

    @Test func memoryView_sortCyclesAndTheTableFollows() {
        var m = model()
        _ = press(&m, .char("2"))
        #expect(m.memorySort == .kv)
        let first = Rows.gpus(m).first
        #expect(first == GPUID(node: "node-10", index: 6), "the squeezed GPU sorts to the top by KV%")
        _ = press(&m, .char("s"))
        #expect(m.memorySort == .used)
        _ = press(&m, .char("s"), .char("s"))
        #expect(m.memorySort == .name)
        #expect(Rows.gpus(m).first == GPUID(node: "node-01", index: 0))
    }

    @Test func memoryView_scrollKeepsTheSelectionOnScreen() {
        var m = model(Size(columns: 100, rows: 24))
        _ = press(&m, .char("2"))
        for _ in 0..<40 { _ = press(&m, .down) }
        let rows = ScreenLayout(m.size).listRows
        let index = Rows.gpus(m).firstIndex(of: m.selectedGPU!)!
        #expect(index >= m.scroll && index < m.scroll + rows)
        _ = press(&m, .end)
        #expect(m.selectedGPU == Rows.gpus(m).last)
        _ = press(&m, .home)
        #expect(m.scroll == 0)
    }

    @Test func pause_holdsTheScreenWhileDataArrives() {
        var m = model()
        _ = press(&m, .char("p"))
        #expect(m.isPaused)
        let before = view(m)
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7))
        cluster.advance(to: 71)
        var delta = cluster.sample()
        delta.sequence = 99
        _ = update(&m, .cluster(.delta(delta)))
        #expect(m.lastSequence == 99)
        var a = before.rows
        var b = view(m).rows
        a.removeLast()
        b.removeLast()
        #expect(a == b, "paused screen must not move")
        _ = press(&m, .char("p"))
        #expect(!m.isPaused)
    }

    @Test func deltaBeforeSnapshot_isIgnored() {
        var m = Model(size: Size(columns: 80, rows: 24))
        _ = update(&m, .cluster(.delta(ClusterDelta(sequence: 1, time: 1))))
        #expect(m.live == nil)
        #expect(view(m).rows[0].contains("waiting for the first snapshot"))
    }

    @Test func tooSmall_onlyQuitWorks() {
        var m = model(Size(columns: 60, rows: 15))
        _ = press(&m, .char("2"))
        #expect(m.view == .overview)
        #expect(press(&m, .char("q")) == [.quit])
        _ = update(&m, .resized(Size(columns: 120, rows: 40)))
        _ = press(&m, .char("2"))
        #expect(m.view == .memory)
    }

    @Test func unboundKey_saysSoInTheFooter() {
        var m = model()
        _ = press(&m, .char("Z"))
        #expect(m.status?.text.contains("no action on Z") == true)
    }
}
