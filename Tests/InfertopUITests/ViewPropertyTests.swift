import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

@Suite struct ViewPropertyTests {
    @Test func asciiGlyphs_drawOnlyASCII() {
        for kind in ViewKind.allCases {
            var model = Fixtures.model(size: Size(columns: 120, rows: 40), glyphs: .ascii)
            model.view = kind
            let screen = view(model)
            #expect(screen.cells.allSatisfy { $0.scalar.isASCII }, "\(kind) drew a non-ASCII glyph")
        }
    }

    @Test func tooSmall_namesTheSizeItNeeds() {
        let model = Fixtures.model(size: Size(columns: 60, rows: 15))
        let text = view(model).rows.joined(separator: "\n")
        #expect(text.contains("at least 80x24"))
        #expect(text.contains("60x15"))
    }

    @Test func overview_at200x50_showsAll128GPUsWithNumbers() {
        let model = Fixtures.model(size: Size(columns: 200, rows: 50))
        let text = view(model).rows.joined(separator: "\n")
        for n in 1...16 { #expect(text.contains(n < 10 ? "node-0\(n)" : "node-\(n)")) }
        #expect(overviewLayout(model).cell == .bar)
    }

    @Test func overview_1024GPUs_allNodesVisibleAt200x50() {
        let model = Fixtures.model(at: 30, nodes: 128, size: Size(columns: 200, rows: 50))
        let layout = overviewLayout(model)
        #expect(layout.visibleCount == 128)
        let text = view(model).rows.joined(separator: "\n")
        for n in [1, 64, 128] { #expect(text.contains("node-" + String(format: "%03d", n))) }
        #expect(!text.contains("more nodes not shown"))
    }

    @Test func overview_tooManyNodes_saysHowManyAreHidden() {
        let model = Fixtures.model(at: 5, nodes: 1024, size: Size(columns: 200, rows: 50))
        let layout = overviewLayout(model)
        #expect(layout.visibleCount < 1024)
        let text = view(model).rows.joined(separator: "\n")
        #expect(text.contains("+\(1024 - layout.visibleCount) more nodes not shown"))
    }

    @Test func layout_picksRicherCellsWhenThereIsRoom() {
        let wide = OverviewLayout(width: 200, rows: 45, nodes: 16, gpus: 8, nameWidth: 7)
        let narrow = OverviewLayout(width: 80, rows: 19, nodes: 16, gpus: 8, nameWidth: 7)
        let dense = OverviewLayout(width: 200, rows: 45, nodes: 128, gpus: 8, nameWidth: 8)
        #expect(wide.cell == .bar)
        #expect(narrow.cell == .mini)
        #expect(dense.cell <= .dot)
        #expect(dense.columns > 1)
        for layout in [wide, narrow, dense] {
            #expect(layout.columns * layout.columnWidth + (layout.columns - 1) * OverviewLayout.gap <= 200)
        }
    }

    @Test func view_isPure() {
        let model = Fixtures.model(size: Size(columns: 120, rows: 40))
        #expect(view(model) == view(model))
    }

    @Test func noCulprit_saysSoCalmly() {
        let model = Fixtures.model(at: 40, size: Size(columns: 120, rows: 40))
        let header = view(model).rows[1]
        #expect(model.culprits.isEmpty == header.contains("no culprit"))
    }

    @Test func culpritLine_namesTheIncidentGPU() {
        let model = Fixtures.model(at: 70, size: Size(columns: 120, rows: 40))
        #expect(view(model).rows[1].contains("CULPRIT node-10 gpu6: KV cache"))
    }
}

/// The overview's layout of a model's nodes over the whole body, as paging computes it.
private func overviewLayout(_ model: Model) -> OverviewLayout {
    OverviewLayout(state: model.shown, nodeCount: Rows.nodes(model).count, body: ScreenLayout(model.size).body)
}
