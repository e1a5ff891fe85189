import Testing

@testable import InfertopCore

@Suite struct FormatTests {
    @Test(arguments: [
        (0.0076, "7.6ms"), (0.412, "412ms"), (1.23, "1.2s"), (38.4, "38s"), (0.0, "0.0ms")
    ])
    func duration(seconds: Double, text: String) { #expect(Format.duration(seconds) == text) }

    @Test func percent_clampsAndRounds() {
        #expect(Format.percent(0.994) == "99%")
        #expect(Format.percent(1.7) == "100%")
        #expect(Format.percent(-1) == "0%")
        #expect(Format.percent2(1.0) == "**")
        #expect(Format.percent2(0.05) == " 5")
    }

    @Test func gib_andCount_andRatio() {
        #expect(Format.gib(80 * gigabyte) == "74.5")
        #expect(Format.gib(192 * gigabyte) == "179")
        #expect(Format.count(48_200) == "48k")
        #expect(Format.count(1_250) == "1.3k")
        #expect(Format.count(950) == "950")
        #expect(Format.ratio(3.06) == "x3.1")
        #expect(Format.ratio(12.4) == "x12")
    }

    @Test func fixed_handlesNegativeAndPadding() {
        #expect(Format.fixed(-2.05, 1) == "-2.1" || Format.fixed(-2.05, 1) == "-2.0")
        #expect(Format.fixed(3.007, 2) == "3.01")
        #expect(Format.fixed(0.0001, 2) == "0.00")
        #expect(Format.fixed(.nan, 1) == "-")
    }

    @Test func clock_andAge() {
        #expect(Format.clock(3723) == "01:02:03")
        #expect(Format.age(0.4) == "0s")
        #expect(Format.age(184) == "3m04s")
        #expect(Format.age(7500) == "2h05m")
    }

    @Test func naturalOrder_comparesDigitRunsByValue() {
        #expect(NodeID("node-2") < NodeID("node-10"))
        #expect(!(NodeID("node-10") < NodeID("node-2")))
        #expect(NodeID("a") < NodeID("b"))
        #expect("node-07".compare(naturally: "node-7") == 0)
    }

    @Test func grouped_putsACommaEveryThreeDigits_forAnyWholeNumber() {
        #expect(Format.grouped(0) == "0")
        #expect(Format.grouped(999) == "999")
        #expect(Format.grouped(1000) == "1,000")
        #expect(Format.grouped(1_234_567) == "1,234,567")
        #expect(Format.grouped(UInt64.max) == "18,446,744,073,709,551,615")
        #expect(Format.grouped(-1_204) == "-1,204")
        #expect(Format.grouped(Int.min) == "-9,223,372,036,854,775,808")
    }
}
