/// Rebinding actions to other keys, as the config file's `[keys]` section asks, and finding the
/// clashes that would make a key do two things.
extension Keymap {
    /// The keys `[keys]` replaces for an action: those of its global binding, else of its first.
    /// A view's extra keys for the same action (Backspace closing the waterfall) stay.
    public func primaryKeys(of action: Action) -> [Key] {
        (bindings.first { $0.action == action && $0.context == .global } ?? bindings.first { $0.action == action })?
            .keys
            ?? []
    }

    /// How help and status lines name the key of an action: `p`, or `?` for help.
    public func keyLabel(for action: Action) -> String {
        primaryKeys(of: action).first?.description ?? ":\(action.rawValue)"
    }

    /// The keymap with each action's primary keys replaced, in every binding of that action.
    public func remapped(_ remaps: [Action: [Key]]) -> Keymap {
        let rebound = bindings.map { binding -> KeyBinding in
            guard let new = remaps[binding.action] else { return binding }
            let old = primaryKeys(of: binding.action)
            var keys: [Key] = []
            var inserted = false
            for key in binding.keys {
                if old.contains(key) {
                    if !inserted { keys += new }
                    inserted = true
                } else {
                    keys.append(key)
                }
            }
            if !inserted { keys = new + keys }
            var unique: [Key] = []
            for key in keys where !unique.contains(key) { unique.append(key) }
            return KeyBinding(unique, binding.action, binding.help, context: binding.context, hint: binding.hint)
        }
        return Keymap(bindings: rebound, commands: commands)
    }

    /// A key that would run two actions where both apply.
    public struct Clash: Sendable, Hashable {
        /// The rebound action whose key clashes.
        public var action: Action
        public var key: Key
        /// The action the key already runs there.
        public var other: Action
    }

    /// Clashes made by rebinding `rebound`: a key of a rebound action that another action also
    /// has in the same view, or where either binding applies everywhere. Overlaps the built-in
    /// keymap already has by design (Enter closes the waterfall, opens a node elsewhere) are not
    /// clashes.
    public func clashes(rebound: Set<Action>, base: Keymap = .default) -> [Clash] {
        var found: [Clash] = []
        for a in bindings where rebound.contains(a.action) {
            for key in a.keys {
                for b in bindings where b.action != a.action && b.keys.contains(key) {
                    guard a.context == b.context || a.context == .global || b.context == .global else { continue }
                    let builtIn =
                        base.bindings.contains {
                            $0.action == a.action && $0.context == a.context && $0.keys.contains(key)
                        }
                        && base.bindings.contains {
                            $0.action == b.action && $0.context == b.context && $0.keys.contains(key)
                        }
                    let clash = Clash(action: a.action, key: key, other: b.action)
                    if !builtIn, !found.contains(clash) { found.append(clash) }
                }
            }
        }
        return found
    }
}
