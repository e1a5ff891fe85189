/// One step of a make-before-break move, as data an executor (or the simulator) carries out.
///
/// A copy of a replica is named by the replica and the GPUs it sits on, because the old and the new
/// copy exist side by side between `launchAndLoad` and `stop`.
public enum MoveStep: Hashable, Sendable, CustomStringConvertible {
    /// Relieve only: the router stops sending new requests to the copy; its peers take the traffic.
    case shiftTraffic(off: ReplicaID, on: [GPUID])
    /// Claim the target memory so no other plan places onto it.
    case reserve([GPUID])
    case launchAndLoad(ReplicaID, on: [GPUID], from: LoadSource)
    case waitReady(ReplicaID, on: [GPUID])
    case addToRouter(ReplicaID, on: [GPUID])
    case removeFromRouter(ReplicaID, on: [GPUID])
    /// Wait until the engine reports no request in flight on the copy (the router cannot tell).
    case waitInFlight(ReplicaID, on: [GPUID])
    case stop(ReplicaID, on: [GPUID])
    /// Check the samples show the memory of the stopped copy freed.
    case confirmFreed([GPUID])
    /// Relieve only: the moved replica gets its normal share of traffic back on its new GPUs.
    case restoreTraffic(to: ReplicaID, on: [GPUID])

    public var description: String {
        switch self {
        case .shiftTraffic(let replica, let gpus): "shift traffic off \(replica) on \(Self.words(gpus)) to its peers"
        case .reserve(let gpus): "reserve \(Self.words(gpus))"
        case .launchAndLoad(let replica, let gpus, let source):
            "launch \(replica) on \(Self.words(gpus)), loading from \(source)"
        case .waitReady(let replica, let gpus): "wait for \(replica) on \(Self.words(gpus)) to be ready"
        case .addToRouter(let replica, let gpus): "add \(replica) on \(Self.words(gpus)) to the router"
        case .removeFromRouter(let replica, let gpus): "remove \(replica) on \(Self.words(gpus)) from the router"
        case .waitInFlight(let replica, let gpus): "wait for requests in flight on \(replica) on \(Self.words(gpus))"
        case .stop(let replica, let gpus): "stop \(replica) on \(Self.words(gpus))"
        case .confirmFreed(let gpus): "confirm memory freed on \(Self.words(gpus))"
        case .restoreTraffic(let replica, let gpus): "restore traffic to \(replica) on \(Self.words(gpus))"
        }
    }

    static func words(_ gpus: [GPUID]) -> String { GPURanges.words(gpus) }
}
