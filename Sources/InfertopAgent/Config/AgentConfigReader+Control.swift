import InfertopCore

extension AgentConfigReader {
    /// `[control]`: the executors and their tables, the journal, and the safety rules.
    func control(_ values: ControlFile) throws -> ControlSettings {
        var settings = ControlSettings()
        settings.executors = try executors(values.executor.elements)
        settings.command = try command(values.command, executors: settings.executors)
        settings.router = try router(values.router, executors: settings.executors)
        settings.journalPath = values.journal ?? settings.journalPath
        settings.auditPath = values.audit ?? settings.auditPath
        settings.scontrol = values.scontrol ?? settings.scontrol
        settings.clusterPath = values.cluster
        if let count = values.maxUnavailable {
            guard count >= 1 else { throw fail(["control", "max_unavailable"]) }
            settings.rules.maxUnavailable = count
        }
        for (model, count) in values.minAvailable ?? [:] {
            guard count >= 0 else { throw fail(["control", "min_available", model]) }
            settings.rules.minAvailable[model] = count
        }
        return settings
    }

    /// `executor = "slurm"` or `executor = ["router", "slurm"]`: known names, none twice.
    private func executors(_ names: [String]) throws -> [ControlSettings.Executor] {
        let keys = ["control", "executor"]
        let known = ControlSettings.Executor.known
        guard !names.isEmpty else { throw fail(keys, "names no executor (known: \(known))") }
        var executors: [ControlSettings.Executor] = []
        for name in names {
            guard let executor = ControlSettings.Executor(rawValue: name) else {
                throw fail(keys, "'\(name)' is not an executor (known: \(known))")
            }
            guard !executors.contains(executor) else { throw fail(keys, "names '\(name)' twice") }
            executors.append(executor)
        }
        if executors.contains(.simulator), executors.count > 1 {
            throw fail(keys, "\"simulator\" carries every step out itself and cannot be combined with others")
        }
        return executors
    }

    /// `[control.command]`: needed with `executor = "command"` and refused without it, so that no
    /// template is silently ignored.
    private func command(_ values: CommandFile?, executors: [ControlSettings.Executor]) throws -> CommandSettings {
        let keys = ["control", "command"]
        guard let values else {
            guard executors.contains(.command) else { return CommandSettings() }
            throw fail(
                ["control", "executor"],
                "\"command\" needs a [control.command] table of templates, e.g. drain = \"systemctl stop vllm@{replica}\""
            )
        }
        guard executors.contains(.command) else {
            throw fail(keys, "is set but [control] executor does not name \"command\": add it, or remove the table")
        }
        var settings = CommandSettings()
        for (key, allowed, path) in CommandSettings.keys {
            guard let text = values.templates[key] else { continue }
            do {
                settings[keyPath: path] = try CommandTemplate(text, allowed: allowed)
            } catch {
                throw fail(keys + [key], "the command \(error)")
            }
        }
        settings.timeoutSeconds =
            try seconds(values.timeoutSeconds, keys + ["timeout_seconds"], in: 1...86_400) ?? settings.timeoutSeconds
        guard !settings.isEmpty else {
            throw fail(
                keys, "names no command: set at least one of \(CommandSettings.keys.map(\.key).joined(separator: ", "))"
            )
        }
        return settings
    }

    /// `[control.router]`: required when `executors` holds `router`.
    private func router(_ values: RouterFile?, executors: [ControlSettings.Executor]) throws -> RouterSettings {
        let keys = ["control", "router"]
        var settings = RouterSettings()
        guard let values else {
            guard executors.contains(.router) else { return settings }
            throw fail(keys, "executor \"router\" needs [control.router] url = \"http://ROUTER:PORT\"")
        }
        guard Self.isHTTPURL(values.url) else { throw fail(keys + ["url"]) }
        settings.url = Self.withoutTrailingSlash(values.url)
        if values.adminKey?.isEmpty == true { throw fail(keys + ["admin_key"]) }
        if values.adminKeyFile?.isEmpty == true { throw fail(keys + ["admin_key_file"]) }
        if values.adminKey != nil && values.adminKeyFile != nil {
            throw fail(keys + ["admin_key_file"], "give admin_key or admin_key_file, not both")
        }
        (settings.adminKey, settings.adminKeyFile) = (values.adminKey, values.adminKeyFile)
        settings.timeoutSeconds =
            try seconds(values.timeoutSeconds, keys + ["timeout_seconds"], in: 0.1...300) ?? settings.timeoutSeconds
        settings.settleSeconds =
            try seconds(values.settleSeconds, keys + ["settle_seconds"], in: 1...3600) ?? settings.settleSeconds
        for (index, entry) in (values.workers ?? []).enumerated() {
            let worker = try self.worker(entry, index)
            guard !settings.workers.contains(where: { $0.url == worker.url }) else {
                throw fail(keys + ["workers", "url"], occurrence: index, "\(worker.url) is listed twice")
            }
            settings.workers.append(worker)
        }
        return settings
    }

    /// One `[[control.router.workers]]`.
    private func worker(_ values: RouterFile.WorkerFile, _ index: Int) throws -> RouterWorker {
        let keys = ["control", "router", "workers"]
        guard let replica = ReplicaResolver.parse(values.replica) else {
            throw fail(keys + ["replica"], occurrence: index)
        }
        guard Self.isHTTPURL(values.url) else { throw fail(keys + ["url"], occurrence: index) }
        if values.node?.isEmpty == true { throw fail(keys + ["node"], occurrence: index) }
        return RouterWorker(
            replica: replica, url: Self.withoutTrailingSlash(values.url), node: values.node.map { NodeID($0) })
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("http://") && lower.count > 7) || (lower.hasPrefix("https://") && lower.count > 8)
    }

    private static func withoutTrailingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
