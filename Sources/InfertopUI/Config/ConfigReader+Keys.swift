import InfertopTOML

extension ConfigReader {
    /// `[keys]` applied over the built-in keymap: known actions that no mutation runs, key names
    /// that name keys, and no key that would run two actions.
    func keymap(_ entries: [String: TOMLOneOrMany<String>]) throws -> Keymap {
        var remaps: [Action: [Key]] = [:]
        let bindable = Action.allCases.filter { !$0.isMutating }.map(\.rawValue).joined(separator: ", ")
        for name in document.locator.inFileOrder(Array(entries.keys), section: "keys") {
            guard let action = Action(rawValue: name) else {
                throw error("keys", name, "unknown action", hint: "the actions are \(bindable)")
            }
            guard !action.isMutating else {
                throw error(
                    "keys", name, "\(name) changes the cluster, so no key runs it",
                    hint: "type :\(name) in the dashboard instead")
            }
            let names = entries[name]?.elements ?? []
            guard !names.isEmpty else {
                throw error("keys", name, "has no key", hint: "every action keeps at least one key")
            }
            remaps[action] = try names.map { text in
                guard let key = Key(name: text) else {
                    let named = Key.namedKeys.map(\.name).joined(separator: ", ")
                    throw error(
                        "keys", name, "\"\(text)\" is not a key name",
                        hint: "write one character (\"q\", \"Q\"), F1-F12, ^C, or \(named)")
                }
                return key
            }
        }
        let keymap = Keymap.default.remapped(remaps)
        try checkClashes(keymap, rebound: Set(remaps.keys))
        return keymap
    }

    /// Throws for the clash whose later line comes first: of two rebound actions that collide,
    /// the one written second is the mistake.
    private func checkClashes(_ keymap: Keymap, rebound: Set<Action>) throws {
        func line(_ action: Action) -> Int { document.line(of: ["keys", action.rawValue]) ?? Int.max }
        let reported = keymap.clashes(rebound: rebound).map { clash in
            rebound.contains(clash.other) && line(clash.other) > line(clash.action)
                ? Keymap.Clash(action: clash.other, key: clash.key, other: clash.action) : clash
        }
        guard let first = reported.min(by: { line($0.action) < line($1.action) }) else { return }
        let help = keymap.bindings.first { $0.action == first.other }?.help ?? ""
        throw error(
            "keys", first.action.rawValue,
            "\"\(first.key.name)\" is already bound to \(first.other.rawValue) (\(help))",
            hint: "choose another key, or bind \(first.other.rawValue) to a different key in [keys]")
    }
}
