import Foundation

// MARK: - Arguments

struct Options {
    var agents = 64
    var seconds = 20.0
    var warmup = 3.0
    var rate = 10.0
    var renderEach = false
    var subscribe: String?
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst()
    func value(_ name: String) -> String {
        guard let v = args.popFirst() else {
            FileHandle.standardError.write("\(name) needs a value\n".data(using: .utf8)!)
            exit(2)
        }
        return v
    }
    while let arg = args.popFirst() {
        switch arg {
        case "--agents": options.agents = Int(value(arg)) ?? options.agents
        case "--seconds": options.seconds = Double(value(arg)) ?? options.seconds
        case "--warmup": options.warmup = Double(value(arg)) ?? options.warmup
        case "--rate": options.rate = Double(value(arg)) ?? options.rate
        case "--render-each": options.renderEach = true
        case "--subscribe": options.subscribe = value(arg)
        case "-h", "--help":
            print(
                """
                usage: LatencyHarness [--agents 64] [--seconds 20] [--warmup 3] [--rate 10] [--render-each]
                       LatencyHarness --subscribe HOST:PORT [--seconds N]
                """)
            exit(0)
        default:
            FileHandle.standardError.write("unknown argument \(arg)\n".data(using: .utf8)!)
            exit(2)
        }
    }
    return options
}
