import InfertopWire
import Testing

/// The cluster file the dashboard, `infertop ctl` and a coordinating agent read: agents with
/// names and tokens, the controller by name or address, and mistakes named by file, line and key.
@Suite struct ClusterFileTests {
    static let text = """
        controller = "head"

        [[agents]]
        name = "head"
        address = "10.0.0.7:50051"
        token = "t0"

        [[agents]]
        address = "10.0.0.8:50051"
        tls = true
        """

    @Test func agentsAndTheController_byNameOrAddress() throws {
        let file = try ClusterFile.parse(Self.text, path: "c.toml")
        #expect(file.agents.map(\.description) == ["10.0.0.7:50051", "10.0.0.8:50051"])
        #expect(file.agents[0].token == "t0" && file.agents[1].tls)
        #expect(file.controller?.name == "head")
        let byAddress = try ClusterFile.parse(
            Self.text.replacingOccurrences(of: "controller = \"head\"", with: "controller = \"10.0.0.8:50051\""),
            path: "c.toml")
        #expect(byAddress.controller?.description == "10.0.0.8:50051")
        let none = try ClusterFile.parse(
            Self.text.replacingOccurrences(of: "controller = \"head\"", with: ""), path: "c.toml")
        #expect(none.controller == nil)
    }

    @Test func mistakes_nameTheFileLineAndKey() {
        func error(_ text: String) -> String {
            do {
                _ = try ClusterFile.parse(text, path: "c.toml")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let unknownController = error(
            Self.text.replacingOccurrences(of: "controller = \"head\"", with: "controller = \"node-99\""))
        #expect(unknownController.hasPrefix("c.toml:1: key 'controller'"), "\(unknownController)")
        #expect(
            unknownController.contains("head") && unknownController.contains("10.0.0.8:50051"), "\(unknownController)")
        let unknownKey = error("agent = 1\n" + Self.text)
        #expect(unknownKey.hasPrefix("c.toml:1: key 'agent'"), "\(unknownKey)")
        let noAddress = error("[[agents]]\nname = \"x\"\n")
        #expect(noAddress.hasPrefix("c.toml:1: key 'address'"), "\(noAddress)")
        let badAddress = error("[[agents]]\naddress = \"nowhere\"\n")
        #expect(badAddress.hasPrefix("c.toml:2: key 'address'"), "\(badAddress)")
        let secondBad = error("[[agents]]\naddress = \"10.0.0.1:1\"\n\n[[agents]]\naddress = \"nowhere\"\n")
        #expect(secondBad.hasPrefix("c.toml:5: key 'address'"), "the second agent's line: \(secondBad)")
        let secondMissing = error("[[agents]]\naddress = \"10.0.0.1:1\"\n[[agents]]\nname = \"x\"\n")
        #expect(secondMissing.hasPrefix("c.toml:3: key 'address'"), "the second [[agents]] header: \(secondMissing)")
        #expect(error("").contains("no [[agents]]"))
    }
}
