import InfertopCore

/// Facts that reach `update`: a key, a new size, a cluster update, what the agents say of operations.
public enum Msg: Sendable {
    case key(Key)
    case resized(Size)
    case cluster(ClusterUpdate)
    /// Everything that arrived between two frames, culprits ranked on feed time (`CulpritCadence`).
    case clusterBatch([ClusterUpdate])
    /// A replay's shortcut for a batch: the state the updates up to `sequence` made (its merger
    /// already applied them), and whether culprits rank now (`Model.ranksCulprits(after:)` said so
    /// for the last of them).
    case clusterState(ClusterState, sequence: UInt64, rankCulprits: Bool)
    /// The agents' journal: every operation they know, with its steps (replaces the list).
    case operationsUpdated([OperationRecord])
    /// The agents' audit log: every control call, refused ones too (replaces the list).
    case auditUpdated([AuditRecord])
    /// The answer to a `.control` effect: the journal entry the agent wrote, or why there is none.
    case controlFinished(OperationID, Result<OperationRecord, ControlFailure>)
    /// Where the replay now stands (its runner moved the playhead, the speed, play or pause).
    case replayMoved(ReplayStatus)
}

/// Verbs `update` asks the runner to carry out.
public enum Effect: Sendable, Hashable {
    case quit
    /// Draw with this theme from now on: re-resolve every colour and redraw the whole screen.
    case theme(Theme)
    /// Send one control call to the agents and answer with `Msg.controlFinished`.
    case control(ControlRequest)
    /// Move, pause or speed up a replay (`infertop replay`).
    case replay(ReplayRequest)

    /// Whether carrying it out changes the cluster; read-only mode lets none through.
    public var isMutating: Bool {
        if case .control = self { return true }
        return false
    }
}
