import InfertopCore
import Testing

@testable import InfertopUI

@Suite struct ScreenTests {
    func filled(_ c: Int, _ r: Int) -> Screen { Screen(size: Size(columns: c, rows: r), fill: Cell("x")) }

    @Test func put_clipsAtTheEdge() {
        var screen = filled(4, 2)
        let end = screen.put("abcdef", x: 2, y: 0)
        #expect(screen.rows == ["xxab", "xxxx"])
        #expect(end == 4)
        screen.put("zz", x: -1, y: 1)
        #expect(screen.rows == ["xxab", "zxxx"])
        screen.put("q", x: 0, y: 5)
        #expect(screen.rows == ["xxab", "zxxx"])
    }

    @Test func diff_unchangedFrameHasNoRuns() {
        let a = filled(10, 3)
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func diff_reportsOnlyChangedCells() {
        let a = filled(10, 3)
        var b = a
        b[3, 1] = Cell("y")
        b[4, 1] = Cell("y")
        b[9, 2] = Cell("x", Style(.crit))
        let runs = b.diff(from: a)
        #expect(runs.count == 2)
        #expect(runs[0].x == 3 && runs[0].y == 1 && runs[0].cells.count == 2)
        #expect(runs[1].x == 9 && runs[1].y == 2 && runs[1].cells == [Cell("x", Style(.crit))])
    }

    @Test func diff_newSizeRedrawsEverything() {
        let runs = filled(5, 2).diff(from: filled(4, 2))
        #expect(runs.count == 2 && runs.allSatisfy { $0.cells.count == 5 })
        #expect(filled(3, 2).diff(from: nil).count == 2)
    }

    @Test(arguments: 1...40)
    func memoryBar_partsAlwaysFillTheWidth(width: Int) {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let cap = UInt64.random(in: 1...200, using: &rng) * gigabyte
            var left = cap
            func part() -> UInt64 {
                let p = UInt64.random(in: 0...left, using: &rng)
                left -= p
                return p
            }
            let m = MemoryBreakdown(
                capacityBytes: cap, weightsBytes: part(), kvUsedBytes: part(), kvFreeBytes: part(),
                activationBytes: part(), otherBytes: part())
            let widths = MemoryBar.segmentWidths(m, width: width)
            #expect(widths.reduce(0, +) == width)
            #expect(widths.allSatisfy { $0 >= 0 })
            var screen = Screen(size: Size(columns: width + 2, rows: 1), fill: Cell("x"))
            MemoryBar.render(into: &screen, x: 1, y: 0, width: width, memory: m, glyphs: .unicode, depth: .full)
            #expect(screen[0, 0] == Cell("x") && screen[width + 1, 0] == Cell("x"), "the bar stays inside its cells")
        }
    }

    @Test func text_fitCutsWithEllipsisAndPads() {
        #expect(Text.fit("abcdef", 4) == "abc…")
        #expect(Text.fit("ab", 4) == "ab  ")
        #expect(Text.fit("ab", 4, alignRight: true) == "  ab")
        #expect(Text.fit("ab", 0) == "")
    }

    @Test func glyphs_levelCoversTheRange() {
        #expect(Glyphs.unicode.level(0) == "▁")
        #expect(Glyphs.unicode.level(1) == "█")
        #expect(Glyphs.ascii.level(1) == "@")
        #expect(StyleRole.heat(0) == .heat0 && StyleRole.heat(1) == .heat9 && StyleRole.heat(0.55) == .heat5)
    }
}

@Suite struct SparklineTests {
    @Test func keepsSpikesAndAlignsRight() {
        #expect(Sparkline.bucketMaxima([0.1, 0.9, 0.1, 0.1], count: 2) == [0.9, 0.1])
        #expect(Sparkline.bucketMaxima([0.5], count: 3) == [nil, nil, 0.5])
        #expect(Sparkline.bucketMaxima([], count: 2) == [nil, nil])
    }

    @Test func drawsInsideItsCells() {
        var screen = Screen(size: Size(columns: 6, rows: 1), fill: Cell("x"))
        Sparkline.render([0, 1, 0.5], into: &screen, x: 1, y: 0, width: 4, glyphs: .unicode, style: .text)
        #expect(screen.rows == ["x ▁█▅x"])
    }
}
