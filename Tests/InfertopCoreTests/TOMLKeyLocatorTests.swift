import InfertopCore
import Testing

/// The one TOML key locator: keys by table, each `[[array]]` table apart, dotted and quoted keys.
@Suite struct TOMLKeyLocatorTests {
    static let text = """
        node = "node-07"
        otlp.http_listen = "off"

        [[tokens]]
        token = "a"
        role = "viewer"

        [[tokens]]
        "token" = "b"
        role = "admin"

        [tls]
        key = "k.pem"
        """

    @Test func keysAreFoundInTheirOwnTable_andOccurrence() {
        let locator = TOMLKeyLocator(Self.text)
        #expect(locator.line(of: "node", in: "") == 1)
        #expect(locator.line(of: "http_listen", in: "otlp") == 2, "a dotted key at the top level")
        #expect(locator.line(of: "role", in: "tokens") == 6)
        #expect(locator.line(of: "role", in: "tokens", occurrence: 1) == 10)
        #expect(locator.line(of: "token", in: "tokens", occurrence: 1) == 9, "a quoted key")
        #expect(locator.line(of: "name", in: "tokens", occurrence: 1) == 8, "a missing key: its table's header")
        #expect(locator.line(ofSection: "tokens", occurrence: 1) == 8)
        #expect(locator.line(ofSection: "tokens", occurrence: 2) == nil)
        #expect(locator.line(of: "key", in: "tls") == 13)
        #expect(locator.key(onLine: 10) == "role")
    }
}
