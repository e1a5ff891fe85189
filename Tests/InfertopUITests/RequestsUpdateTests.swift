import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// View 4 from the keyboard: selection, the waterfall by trace id, filter, back.
@Suite struct RequestsUpdateTests {
    func model(_ size: Size = Size(columns: 120, rows: 40)) -> Model { Fixtures.requestsModel(size: size) }

    func press(_ model: inout Model, _ keys: Key...) {
        for key in keys { _ = update(&model, .key(key)) }
    }

    func text(_ model: Model) -> String { view(model).rows.joined(separator: "\n") }

    @Test func key4_showsView4_andHelpListsIt() {
        var m = Fixtures.model(size: Size(columns: 120, rows: 40))
        press(&m, .char("4"))
        #expect(m.view == .requests)
        #expect(m.context == .requests)
        #expect(text(m).contains("LATENCY last 60s"))
        press(&m, .char("?"))
        #expect(text(m).contains("requests: latency vs its floor"))
        #expect(text(m).contains("open the waterfall of the selected request"))
    }

    @Test func enter_opensTheSelectedRequest_escAndBackspaceGoBack() throws {
        var m = model()
        let rows = Rows.requests(m)
        press(&m, .down)
        #expect(m.requests.selected == rows[1].id, "the first row counts as selected")
        press(&m, .enter)
        #expect(m.requests.open == rows[1].id)
        #expect(m.context == .waterfall)
        #expect(text(m).contains("TRACE \(rows[1].id.hex)"))
        press(&m, .escape)
        #expect(m.requests.open == nil && m.view == .requests)
        press(&m, .enter)
        #expect(m.requests.open == rows[1].id)
        press(&m, .backspace)
        #expect(m.requests.open == nil)
        press(&m, .enter, .enter)
        #expect(m.requests.open == nil, "Enter toggles the waterfall shut too")
    }

    @Test func openWaterfall_staysOnItsTrace_asNewSpansArrive() throws {
        var m = model()
        m.requests.open = RequestFixtures.heroTraceID
        let before = text(m)
        #expect(before.contains("biggest gap: 2.1 s queued on node-10 llama-405b/5 (KV cache full)"))
        let state = try #require(m.live)
        let late = RequestFixtures.span(
            RequestFixtures.heroTraceID, 9, parent: 1, "log_usage", start: 69.59, end: 69.598,
            node: "router-1", service: "router")
        let more = RequestFixtures.traffic(state, count: 50, endingAt: 69.9, seed: 99) + [late]
        _ = update(&m, .cluster(.delta(RequestFixtures.delta(state, spans: more))))
        #expect(m.requests.open == RequestFixtures.heroTraceID)
        #expect(text(m).contains("log_usage"))
    }

    @Test func evictedTrace_staysOnScreen_orSaysSo() throws {
        var m = Fixtures.model(size: Size(columns: 80, rows: 24))
        var state = try #require(m.live)
        state.requests = RequestStore(limits: .init(traces: 20))
        _ = update(&m, .cluster(.snapshot(state, sequence: 0)))
        _ = update(&m, .cluster(.delta(RequestFixtures.delta(state, spans: RequestFixtures.heroTrace()))))
        m.view = .requests
        m.requests.open = RequestFixtures.heroTraceID
        refreshPinnedTrace(&m)
        #expect(text(m).contains("TRACE \(RequestFixtures.heroTraceID.hex)"))
        // Newer requests: the store evicts those that ended first, the hero among them.
        let flood = RequestFixtures.traffic(state, count: 30, endingAt: 120, seed: 3)
        _ = update(&m, .cluster(.delta(RequestFixtures.delta(state, spans: flood))))
        #expect(m.requests.open == RequestFixtures.heroTraceID)
        #expect(m.shown?.requests[RequestFixtures.heroTraceID] == nil, "the store let it go")
        #expect(text(m).contains("TRACE \(RequestFixtures.heroTraceID.hex)"), "the open waterfall stays on screen")
        #expect(text(m).contains("biggest gap"))
        // Opened after the store let it go (nothing kept): the screen says so.
        m.pinnedTrace = nil
        let evicted = try #require(m.shown?.requests.evictedTraces)
        #expect(evicted >= 11)
        #expect(text(m).contains("trace \(RequestFixtures.heroTraceID.hex) is no longer held"))
        #expect(text(m).contains("(\(evicted) evicted so far)"))
    }

    @Test func filter_matchesTraceIDPrefixModelOrNode() {
        var m = model()
        press(&m, .char("/"))
        for c in "4bf92f35" { press(&m, .char(c)) }
        press(&m, .enter)
        #expect(Rows.requests(m).map(\.id) == [RequestFixtures.heroTraceID], "found by prefix wherever it is held")
        m.filter = Filter("llama-8b")
        let eight = Rows.requests(m)
        #expect(!eight.isEmpty && eight.allSatisfy { $0.model == "llama-8b" })
        m.filter = Filter("node-15")
        #expect(Rows.requests(m).allSatisfy { $0.spans.contains { $0.span.node == "node-15" } })
        m.filter = Filter("!node-16")
        #expect(!Rows.requests(m).contains { $0.node == "node-16" })
    }

    @Test func waterfall_scrollsWhenRowsOutnumberTheScreen() throws {
        var m = Fixtures.model(size: Size(columns: 80, rows: 24))
        let state = try #require(m.live)
        let t = RequestFixtures.traceID(77)
        var spans = [RequestFixtures.span(t, 1, "batch", start: 60, end: 64, node: "node-01")]
        for i in 0..<30 {
            spans.append(
                RequestFixtures.span(
                    t, UInt64(i + 2), parent: 1, "step \(i)", start: 60 + Double(i) * 0.1,
                    end: 60.1 + Double(i) * 0.1, node: "node-01"))
        }
        _ = update(&m, .cluster(.delta(RequestFixtures.delta(state, spans: spans))))
        press(&m, .char("4"), .enter)
        #expect(m.requests.open == t)
        let visible = WaterfallLayout.visibleRows(ScreenLayout(m.size).body)
        press(&m, .pageDown, .pageDown, .pageDown)
        #expect(m.requests.waterfallScroll == 31 - visible)
        #expect(text(m).contains("step 29"))
        #expect(text(m).contains("rows \(31 - visible + 1)-31 of 31"))
        press(&m, .home)
        #expect(m.requests.waterfallScroll == 0)
    }

    @Test func emptyStore_explainsWhereSpansComeFrom() {
        var m = Fixtures.model(size: Size(columns: 80, rows: 24))
        m.live?.requests = RequestStore()
        press(&m, .char("4"))
        #expect(text(m).contains("no requests yet"))
        press(&m, .enter)
        #expect(m.requests.open == nil)
        #expect(m.status?.isError == true)
    }

    @Test(arguments: Array(stride(from: 80, through: 240, by: 7)))
    func waterfallLayout_neverOverflows_andKeepsAThirdForBars(width: Int) {
        for widest in [4, 12, 25, 40, 90] {
            let layout = WaterfallLayout(width: width, widestName: widest)
            let labels = layout.labels.reduce(0) { $0 + $1.width + 1 }
            #expect(2 + layout.nameWidth + labels + 1 == layout.barX)
            #expect(layout.barX + layout.barWidth == width)
            #expect(layout.barWidth >= width / 3)
            #expect(layout.labels.contains(.duration))
        }
    }

    @Test func waterfall_at80x24_fitsEveryRow() {
        var m = model(Size(columns: 80, rows: 24))
        m.requests.open = RequestFixtures.heroTraceID
        let screen = view(m)
        #expect(screen.rows.allSatisfy { $0.unicodeScalars.count == 80 })
        #expect(screen.rows[4].contains("NODE") && screen.rows[4].contains("REPLICA"))
        #expect(screen.rows[3].hasSuffix("(KV cache full)" + String(repeating: " ", count: 80 - 67)))
    }
}
