import Testing

@testable import InfertopCore

/// `HostPort`, the one parser of `HOST:PORT` for flags, config files and URLs.
struct HostPortTests {
    @Test(arguments: [
        ("10.0.0.7:50051", "10.0.0.7", 50051, false),
        ("node-07:9400", "node-07", 9400, false),
        (" node-07:1 ", "node-07", 1, false),
        ("[::1]:4317", "::1", 4317, true),
        ("[fe80::1]:50051", "fe80::1", 50051, true)
    ])
    func reads(text: String, host: String, port: Int, ipv6: Bool) throws {
        let address = try HostPort.parse(text).get()
        #expect(address == HostPort(host: host, port: port))
        #expect(address.isIPv6 == ipv6)
        // The description reads back as the same address, brackets and all.
        #expect(try HostPort.parse(address.description).get() == address)
    }

    @Test func description_bracketsIPv6() {
        #expect(HostPort(host: "::1", port: 4317).description == "[::1]:4317")
        #expect(HostPort(host: "node-07", port: 50051).description == "node-07:50051")
    }

    @Test func listenAddresses_takePortZeroAndEveryInterface() throws {
        #expect(try HostPort.parse("[::]:9400", for: .listen).get() == HostPort(host: "::", port: 9400))
        #expect(try HostPort.parse("[::1]:0", for: .listen).get() == HostPort(host: "::1", port: 0))
        #expect(try HostPort.parse(":4317", for: .listen).get() == HostPort(host: "0.0.0.0", port: 4317))
        #expect(try HostPort.parse("*:4317", for: .listen).get().host == "0.0.0.0")
        #expect(try HostPort.parse("localhost:1", for: .listen).get().bindHost == "127.0.0.1")
        // Connecting needs a host and a port from 1.
        #expect(throws: HostPortError.self) { try HostPort.parse(":4317").get() }
        #expect(throws: HostPortError.self) { try HostPort.parse("host:0").get() }
    }

    @Test func defaultPort_isTakenOnlyWhenNoneIsWritten() throws {
        #expect(try HostPort.parse("node-07", defaultPort: 80).get() == HostPort(host: "node-07", port: 80))
        #expect(try HostPort.parse("[::1]", defaultPort: 80).get() == HostPort(host: "::1", port: 80))
        #expect(try HostPort.parse("node-07:8000", defaultPort: 80).get().port == 8000)
    }

    @Test(arguments: [
        ("node-07", HostPortError.Problem.missingPort),
        ("node-07:", .missingPort),
        ("", .empty),
        ("node-07:http", .badPort("http")),
        ("node-07:99999", .portOutOfRange(99999, 1...65535)),
        ("node-07:0", .portOutOfRange(0, 1...65535)),
        (":50051", .emptyHost),
        ("[]:50051", .emptyHost),
        ("::1:80", .unbracketedIPv6(suggestion: "[::1]:80")),
        ("fe80::1", .unbracketedIPv6(suggestion: "[fe80::1]:PORT")),
        ("[::1:80", .unclosedBracket),
        ("[::1]80", .textAfterBracket("80")),
        ("my host:80", .badHost("my host"))
    ])
    func rejects(text: String, problem: HostPortError.Problem) {
        #expect(throws: HostPortError(text: text, problem: problem)) { try HostPort.parse(text).get() }
    }

    @Test func errors_sayWhatIsWrongAndHowToWriteIt() {
        let unbracketed = HostPortError(text: "::1:80", problem: .unbracketedIPv6(suggestion: "[::1]:80"))
        #expect(
            unbracketed.description == "'::1:80' is not HOST:PORT: an IPv6 address needs brackets around it: [::1]:80")
        #expect(
            "\(HostPortError(text: "h:99999", problem: .portOutOfRange(99999, 1...65535)))"
                == "'h:99999' is not HOST:PORT: port 99999 is out of range (1-65535)")
        #expect(HostPortError(text: "h", problem: .missingPort).reason.hasPrefix("the port is missing"))
    }
}
