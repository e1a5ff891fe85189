/// `[control.command]`: the shell commands the `command` executor runs for each node action.
///
/// ```toml
/// [control]
/// executor = "command"
/// [control.command]
/// cordon = "kubectl cordon {node}"
/// uncordon = "kubectl uncordon {node}"
/// drain = "systemctl stop vllm@{replica}"          # once per replica on the node
/// drained = "! systemctl is-active --quiet vllm@{replica}"   # exit 0 = drained
/// cancel_drain = "systemctl start vllm@{replica}"
/// timeout_seconds = 60
/// ```
///
/// A template that names `{replica}` or `{model}` runs once per replica on the node, the others
/// once. Every value put in a placeholder is quoted for the shell (`'...'`), so a placeholder is
/// written bare: never inside quotes, after a backslash, or as `${...}`. A missing template means
/// that step has nothing to do here.
public struct CommandSettings: Sendable, Hashable {
    public var cordon: CommandTemplate?
    public var uncordon: CommandTemplate?
    public var drain: CommandTemplate?
    /// A check: exit 0 when the node is drained; otherwise still draining (a number it prints is
    /// taken as the requests still in flight).
    public var drained: CommandTemplate?
    public var cancelDrain: CommandTemplate?
    /// How long one command may run before it is killed and its step fails.
    public var timeoutSeconds = 60.0

    public init() {}

    /// Whether any template is set.
    public var isEmpty: Bool { [cordon, uncordon, drain, drained, cancelDrain].allSatisfy { $0 == nil } }

    /// The TOML key of each template, with the placeholders it may name.
    static var keys:
        [(
            key: String, allowed: Set<CommandTemplate.Placeholder>,
            path: WritableKeyPath<CommandSettings, CommandTemplate?>
        )]
    {
        [
            ("cordon", [.node, .replica, .model, .reason, .operator], \.cordon),
            ("uncordon", [.node, .replica, .model], \.uncordon),
            ("drain", [.node, .replica, .model, .reason, .operator], \.drain),
            ("drained", [.node, .replica, .model], \.drained),
            ("cancel_drain", [.node, .replica, .model], \.cancelDrain)
        ]
    }
}

/// A shell command with placeholders, checked when the config is read.
public struct CommandTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Placeholder: String, Sendable, Hashable, CaseIterable {
        case node, replica, model, reason, `operator`
    }

    enum Part: Sendable, Hashable {
        case text(String)
        case value(Placeholder)
    }

    /// The template as written in the config.
    public let text: String
    let parts: [Part]

    public var description: String { text }

    /// Whether it runs once per replica on the node (it names `{replica}` or `{model}`).
    public var perReplica: Bool { parts.contains { $0 == .value(.replica) || $0 == .value(.model) } }

    /// Reads `text`; the error is a sentence saying what to write instead.
    public init(_ text: String, allowed: Set<Placeholder>) throws(TemplateError) {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw TemplateError("is empty; leave the key out when the step has nothing to do")
        }
        self.text = text
        parts = try Self.parse(Array(text), allowed: allowed)
    }

    /// The command for `/bin/sh -c`, each value single-quoted so that nothing in it is shell syntax.
    public func render(_ values: [Placeholder: String]) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .value(let placeholder): Self.quoted(values[placeholder] ?? "")
            }
        }.joined()
    }

    /// `'it'\''s'`: a single-quoted shell word holding exactly `value` (NUL cannot be in an argument).
    public static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Splits the template into text and placeholders, following the shell's quoting well enough
    /// to refuse a placeholder where a quoted value could end the surrounding quotes.
    private static func parse(_ chars: [Character], allowed: Set<Placeholder>) throws(TemplateError) -> [Part] {
        enum Quote { case none, single, double }
        var parts: [Part] = []
        var text = ""
        var quote = Quote.none
        var i = 0
        let known = Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
        while i < chars.count {
            let c = chars[i]
            // `${name}` is the shell's own expansion: copied through, never a placeholder.
            if c == "$", quote != .single, i + 1 < chars.count, chars[i + 1] == "{" {
                let end = chars[(i + 1)...].firstIndex(of: "}") ?? chars.count - 1
                text += String(chars[i...end])
                i = end + 1
                continue
            }
            // A `{word}` in quotes that names no placeholder is the command's own text (`awk '{print}'`).
            if c == "{", let (name, end) = placeholderName(chars, at: i),
                quote == .none || Placeholder(rawValue: name) != nil
            {
                guard let placeholder = Placeholder(rawValue: name) else {
                    throw TemplateError("has an unknown placeholder {\(name)} (known: \(known))")
                }
                guard quote == .none else {
                    throw TemplateError(
                        "puts {\(name)} inside quotes: write it bare, infertop quotes every value for the shell itself")
                }
                guard allowed.contains(placeholder) else {
                    let names = Placeholder.allCases.filter { allowed.contains($0) }.map { "{\($0.rawValue)}" }
                    throw TemplateError("cannot use {\(name)} here (this step knows \(names.joined(separator: ", ")))")
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.value(placeholder))
                i = end + 1
                continue
            }
            text.append(c)
            switch (quote, c) {
            case (.none, "'"): quote = .single
            case (.none, "\""): quote = .double
            case (.single, "'"), (.double, "\""): quote = .none
            case (.none, "\\"), (.double, "\\"):
                // The next character is escaped: copied as it is, never a placeholder.
                if i + 1 < chars.count {
                    text.append(chars[i + 1])
                    i += 1
                }
            default: break
            }
            i += 1
        }
        guard quote == .none else { throw TemplateError("has an unclosed \(quote == .single ? "'" : "\"") quote") }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// `{name}` of lowercase letters and `_` starting at `start`: the name and the index of `}`.
    private static func placeholderName(_ chars: [Character], at start: Int) -> (String, Int)? {
        var name = ""
        var i = start + 1
        while i < chars.count, chars[i] == "_" || ("a"..."z").contains(chars[i]) {
            name.append(chars[i])
            i += 1
        }
        guard !name.isEmpty, i < chars.count, chars[i] == "}" else { return nil }
        return (name, i)
    }
}

/// Why a command template cannot be used, as the end of a sentence about its key.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
