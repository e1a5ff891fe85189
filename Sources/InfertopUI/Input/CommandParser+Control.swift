import InfertopCore

// MARK: - The commands that change the cluster: cordon, uncordon, drain, rebalance, cancel

extension CommandParser {
    /// The verbs parsed here, as typed.
    static let controlVerbs: Set<String> = ["cordon", "uncordon", "drain", "rebalance", "cancel"]

    /// Parses `drain node-07 node-08 --reason "kv full" --force --evacuate` and its siblings.
    ///
    /// Quotes (double or single) group words; `--reason=text` works too. Each error is one
    /// sentence naming what was wrong, for the status line.
    static func parseControl(_ text: String) -> Result<Command, CommandError> {
        let words: [String]
        switch tokenize(text) {
        case .success(let w): words = w
        case .failure(let error): return .failure(error)
        }
        guard let verb = words.first?.lowercased() else { return fail("empty command") }
        var options = ControlOptions()
        if case .failure(let error) = options.read(Array(words.dropFirst()), verb: verb) { return .failure(error) }
        switch verb {
        case "cordon", "uncordon":
            if let flag = options.flags.first { return fail("\(verb) takes no \(flag): it names nodes and a --reason") }
            let nodes = options.words.map { NodeID($0) }
            return .success(
                .control(
                    verb == "cordon"
                        ? .cordon(nodes: nodes, reason: options.reason)
                        : .uncordon(nodes: nodes, reason: options.reason)))
        case "drain":
            if let flag = options.flags.first(where: { $0 != "--evacuate" && $0 != "--force" }) {
                return fail("drain takes no \(flag): use --reason \"...\", --evacuate and --force")
            }
            guard !options.reason.allSatisfy(\.isWhitespace) else {
                return fail("drain needs --reason \"...\": the journal keeps why")
            }
            return .success(
                .control(
                    .drain(
                        nodes: options.words.map { NodeID($0) }, reason: options.reason,
                        evacuate: options.flags.contains("--evacuate"), force: options.flags.contains("--force"))))
        case "rebalance":
            return rebalance(options).map { .control(.rebalance($0, reason: options.reason)) }
        default:
            guard options.words.count == 1, let id = options.words.first, options.flags.isEmpty else {
                return fail("cancel needs one operation id, e.g. :cancel op-3 (6 lists them)")
            }
            return .success(.control(.cancel(OperationID(id), reason: options.reason)))
        }
    }

    private static func rebalance(_ options: ControlOptions) -> Result<RebalanceTarget, CommandError> {
        let usage = "rebalance needs one of --relieve NODE:GPU, --evacuate NODE or --move MODEL/N"
        guard options.flags.count == 1, let flag = options.flags.first else { return fail(usage) }
        guard options.words.count <= 1 else {
            return fail("rebalance \(flag) takes one subject, not \(options.words.joined(separator: " "))")
        }
        guard ["--relieve", "--evacuate", "--move"].contains(flag) else {
            return fail("rebalance takes no \(flag): \(usage)")
        }
        // No subject: the selection or the marks decide (see rebalanceDialog).
        guard let subject = options.words.first else {
            switch flag {
            case "--relieve": return .success(.relieve(nil))
            case "--evacuate": return .success(.evacuate(nil))
            default: return .success(.move(nil))
            }
        }
        switch RebalanceGoal.parse(flag: flag, subject: subject) {
        case .failure(let error): return fail(error.description)
        case .success(.relieve(let gpu)): return .success(.relieve(gpu))
        case .success(.evacuate(let node)): return .success(.evacuate(node))
        case .success(.move(let replica)): return .success(.move(replica))
        }
    }

    /// Words split on blanks, with quoted runs kept whole (quotes removed).
    static func tokenize(_ text: String) -> Result<[String], CommandError> {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if let q = quote { return fail("a quote (\(q)) is not closed: end the text with \(q)") }
        if inWord { words.append(current) }
        return .success(words)
    }

    static func fail<T>(_ text: String) -> Result<T, CommandError> { .failure(CommandError(description: text)) }
}

/// The words and flags after a control verb, with `--reason`'s text taken out.
private struct ControlOptions {
    var words: [String] = []
    var flags: [String] = []
    var reason = ""

    mutating func read(_ items: [String], verb: String) -> Result<Void, CommandError> {
        var i = 0
        while i < items.count {
            let item = items[i]
            i += 1
            if item.lowercased().hasPrefix("--reason=") {
                reason = String(item.dropFirst("--reason=".count))
            } else if item.lowercased() == "--reason" {
                guard i < items.count, !items[i].hasPrefix("--") else {
                    return CommandParser.fail("--reason needs text after it, in quotes: --reason \"kv full\"")
                }
                reason = items[i]
                i += 1
            } else if item.hasPrefix("-") {
                let flag = item.lowercased()
                if flags.contains(flag) { return CommandParser.fail("\(verb) has \(flag) twice") }
                flags.append(flag)
            } else {
                words.append(item)
            }
        }
        return .success(())
    }
}
