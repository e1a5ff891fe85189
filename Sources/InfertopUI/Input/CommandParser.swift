/// What a `:` command line asks for.
public enum Command: Sendable, Hashable {
    case action(Action)
    case view(ViewKind)
    case node(String)
    case sort(MemorySort)
    case filter(String)
    /// A command that changes the cluster; `update` checks it and asks for confirmation.
    case control(ControlCommand)
    /// `:goto 02:14:30`, `:goto 90`, `:speed 4`: only a replay runs them.
    case replay(ReplayRequest)
    /// Switch to the built-in theme of that name; with no name, list them.
    case theme(String?)
}

/// An error in a `:` command, in words for the status line.
public struct CommandError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
}

/// Parses the `:` command line into a `Command` (k9s-style: `:q`, `:view memory`, `:node node-07`).
///
/// The commands that change the cluster are parsed in `CommandParser+Control.swift`.
public enum CommandParser {
    static let viewNames = "overview, memory, interconnect, requests, shards or events"

    /// The view a name or number calls up (`:memory`, `:2`, `:view mem`).
    static func view(named name: String) -> ViewKind? {
        switch name {
        case "overview", "1": .overview
        case "memory", "mem", "2": .memory
        case "interconnect", "links", "3": .interconnect
        case "requests", "req", "4": .requests
        case "shards", "5": .shards
        case "events", "audit", "journal", "6": .events
        default: nil
        }
    }

    public static func parse(_ text: String) -> Result<Command, CommandError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(CommandError(description: "empty command")) }
        let rest = Array(words.dropFirst())
        if controlVerbs.contains(verb) { return parseControl(text) }
        if let kind = view(named: verb) { return .success(.view(kind)) }
        switch verb {
        case "q", "quit", "exit", "q!": return .success(.action(.quit))
        case "help", "h": return .success(.action(.help))
        case "pause", "resume": return .success(.action(.pause))
        case "view", "v":
            guard let name = rest.first?.lowercased() else {
                return .failure(CommandError(description: "view needs a name: \(viewNames)"))
            }
            guard let kind = view(named: name) else {
                return .failure(CommandError(description: "unknown view '\(name)': use \(viewNames)"))
            }
            return .success(.view(kind))
        case "node", "n":
            guard let name = rest.first else {
                return .failure(CommandError(description: "node needs a name, e.g. :node node-07"))
            }
            return .success(.node(name))
        case "sort":
            guard let key = rest.first?.lowercased(), let sort = MemorySort(rawValue: key) else {
                let keys = MemorySort.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(CommandError(description: "sort needs one of: \(keys)"))
            }
            return .success(.sort(sort))
        case "filter", "f":
            return .success(.filter(rest.joined(separator: " ")))
        case "goto":
            guard let when = rest.first else {
                return .failure(
                    CommandError(description: "goto needs a time: :goto 02:14:30 (clock) or :goto 90 (seconds)"))
            }
            return ReplayTarget.parse(when).map { .replay(.jump(to: $0)) }
        case "speed":
            guard let text = rest.first, let speed = Double(text.hasSuffix("x") ? String(text.dropLast()) : text),
                ReplayStatus.speeds.contains(speed)
            else { return .failure(CommandError(description: "speed needs a number from 1/16 to 64, e.g. :speed 4")) }
            return .success(.replay(.setSpeed(speed)))
        case "theme", "colors", "colours":
            guard rest.count <= 1 else {
                return .failure(
                    CommandError(description: "theme takes one name, e.g. :theme light (:theme lists them)"))
            }
            return .success(.theme(rest.first))
        default:
            return .failure(CommandError(description: "unknown command '\(verb)': try :help"))
        }
    }
}
