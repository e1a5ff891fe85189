import InfertopCLI
import Logging
import Testing

/// ``Logfmt``: one event, one line, quoted only where logfmt needs it.
@Suite struct LogfmtTests {
    @Test func line_levelAndQuotedMessageFirst_thenMetadataInKeyOrder() {
        let line = Logfmt.line(
            level: .info, message: "listening", metadata: ["op": "3f2a", "addr": "0.0.0.0:9400", "node": "node-07"])
        #expect(line == #"level=info msg="listening" addr=0.0.0.0:9400 node=node-07 op=3f2a"#)
    }

    @Test func line_timeFirstWhenGiven() {
        let line = Logfmt.line(level: .error, message: "x", metadata: [:], time: "2026-12-06T16:44:21.123Z")
        #expect(line == #"time=2026-12-06T16:44:21.123Z level=error msg="x""#)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("node-07", "node-07"),
        ("", #""""#),
        ("two words", #""two words""#),
        (#"say "hi""#, #""say \"hi\"""#),
        ("a=b", #""a=b""#),
        ("line one\nline two", #""line one\nline two""#),
        ("tab\there", #""tab\there""#),
        (#"back\slash"#, #""back\\slash""#),
        ("bell\u{7}", #""bell\u{7}""#),
        ("ünïcode", "ünïcode")
    ])
    func value_quotedOnlyWhenItMustBe(raw: String, written: String) {
        #expect(Logfmt.value(raw) == written)
    }

    @Test func message_alwaysQuoted_andNeverSpansTwoLines() {
        let line = Logfmt.line(level: .warning, message: "cut\nhere \"now\"", metadata: ["error": "a\nb"])
        #expect(line == #"level=warning msg="cut\nhere \"now\"" error="a\nb""#)
        #expect(!line.contains("\n"))
    }

    @Test func key_withoutSpacesEqualsOrQuotes() {
        #expect(Logfmt.key("a key=\"x\"") == "a_key__x_")
        #expect(Logfmt.key("") == "_")
    }

    @Test func nestedMetadata_dottedKeys_arraysJoinedByCommas() {
        let line = Logfmt.line(
            level: .debug, message: "m",
            metadata: ["gpu": ["index": "3", "node": "node-01"], "nodes": ["node-01", "node-02"]])
        #expect(line == #"level=debug msg="m" gpu.index=3 gpu.node=node-01 nodes=node-01,node-02"#)
    }
}
