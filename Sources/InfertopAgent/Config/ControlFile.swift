import InfertopTOML

/// `[control]` as TOML writes it, decoded before its values are checked and converted into
/// `ControlSettings`.
struct ControlFile: TOMLTableShape {
    var executor: TOMLOneOrMany<String>
    var journal: String?, audit: String?, scontrol: String?, cluster: String?
    /// `max_unavailable`, and `[control.min_available]`: model = replicas.
    var maxUnavailable: Int?, minAvailable: [String: Int]?
    var command: CommandFile?, router: RouterFile?

    enum CodingKeys: String, TOMLKeys {
        case executor, journal, audit, scontrol, cluster, maxUnavailable, minAvailable, command, router
    }

    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] {
        [.command: CommandFile.self, .router: RouterFile.self]
    }
}

/// `[control.command]`: the `command` executor's templates.
struct CommandFile: TOMLTableShape {
    var cordon: String?, uncordon: String?, drain: String?, drained: String?, cancelDrain: String?
    var timeoutSeconds: TOMLNumber?

    enum CodingKeys: String, TOMLKeys { case cordon, uncordon, drain, drained, cancelDrain, timeoutSeconds }

    /// The templates written, by key.
    var templates: [String: String] {
        ["cordon": cordon, "uncordon": uncordon, "drain": drain, "drained": drained, "cancel_drain": cancelDrain]
            .compactMapValues { $0 }
    }
}

/// `[control.router]`: the router the `router` executor drives.
struct RouterFile: TOMLTableShape {
    var url: String
    var adminKey: String?, adminKeyFile: String?
    var timeoutSeconds: TOMLNumber?, settleSeconds: TOMLNumber?
    var workers: [WorkerFile]?

    enum CodingKeys: String, TOMLKeys { case url, adminKey, adminKeyFile, timeoutSeconds, settleSeconds, workers }

    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] { [.workers: WorkerFile.self] }

    /// One `[[control.router.workers]]` table.
    struct WorkerFile: TOMLTableShape {
        var replica: String, url: String
        var node: String?

        enum CodingKeys: String, TOMLKeys { case replica, url, node }
    }
}
