/// A plan's steps are journaled with the operation, so a restarted agent carries out exactly the
/// plan it accepted: each step as its kind, replica, GPUs and load source, in operator words
/// (`node-10:6`, `llama-405b/5`, `peer llama-405b/0`).
extension MoveStep: Codable {
    private enum Kind: String, Codable {
        case shiftTraffic, reserve, launchAndLoad, waitReady, addToRouter, removeFromRouter, waitInFlight, stop
        case confirmFreed, restoreTraffic
    }

    private enum Key: String, CodingKey { case step, replica, gpus, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let gpus = try c.decode([String].self, forKey: .gpus).map { text in
            guard let gpu = GPUID(operatorWords: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .gpus, in: c, debugDescription: "'\(text)' is not NODE:GPU")
            }
            return gpu
        }
        func replica() throws -> ReplicaID {
            let text = try c.decode(String.self, forKey: .replica)
            guard let id = ReplicaResolver.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .replica, in: c, debugDescription: "'\(text)' is not MODEL/N")
            }
            return id
        }
        switch try c.decode(Kind.self, forKey: .step) {
        case .shiftTraffic: self = .shiftTraffic(off: try replica(), on: gpus)
        case .reserve: self = .reserve(gpus)
        case .launchAndLoad:
            let source = try c.decode(String.self, forKey: .source)
            guard let load = LoadSource(words: source) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .source, in: c, debugDescription: "'\(source)' is no load source")
            }
            self = .launchAndLoad(try replica(), on: gpus, from: load)
        case .waitReady: self = .waitReady(try replica(), on: gpus)
        case .addToRouter: self = .addToRouter(try replica(), on: gpus)
        case .removeFromRouter: self = .removeFromRouter(try replica(), on: gpus)
        case .waitInFlight: self = .waitInFlight(try replica(), on: gpus)
        case .stop: self = .stop(try replica(), on: gpus)
        case .confirmFreed: self = .confirmFreed(gpus)
        case .restoreTraffic: self = .restoreTraffic(to: try replica(), on: gpus)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let (kind, replica, gpus): (Kind, ReplicaID?, [GPUID])
        switch self {
        case .shiftTraffic(let r, let g): (kind, replica, gpus) = (.shiftTraffic, r, g)
        case .reserve(let g): (kind, replica, gpus) = (.reserve, nil, g)
        case .launchAndLoad(let r, let g, let source):
            (kind, replica, gpus) = (.launchAndLoad, r, g)
            try c.encode(source.description, forKey: .source)
        case .waitReady(let r, let g): (kind, replica, gpus) = (.waitReady, r, g)
        case .addToRouter(let r, let g): (kind, replica, gpus) = (.addToRouter, r, g)
        case .removeFromRouter(let r, let g): (kind, replica, gpus) = (.removeFromRouter, r, g)
        case .waitInFlight(let r, let g): (kind, replica, gpus) = (.waitInFlight, r, g)
        case .stop(let r, let g): (kind, replica, gpus) = (.stop, r, g)
        case .confirmFreed(let g): (kind, replica, gpus) = (.confirmFreed, nil, g)
        case .restoreTraffic(let r, let g): (kind, replica, gpus) = (.restoreTraffic, r, g)
        }
        try c.encode(kind, forKey: .step)
        try c.encodeIfPresent(replica?.description, forKey: .replica)
        try c.encode(gpus.map { "\($0.node.name):\($0.index)" }, forKey: .gpus)
    }
}

extension LoadSource {
    /// Reads `storage` or `peer llama-405b/0`, as `description` writes them.
    public init?(words: String) {
        if words == "storage" {
            self = .storage
        } else if words.hasPrefix("peer "), let peer = ReplicaResolver.parse(String(words.dropFirst(5))) {
            self = .peer(peer)
        } else {
            return nil
        }
    }
}

extension RebalanceGoal {
    /// The flag and subject an operator types for this goal (`--relieve`, `node-10:6`), which
    /// `parse(flag:subject:)` reads back: how the goal travels to the coordinator.
    public var operatorWords: (flag: String, subject: String) {
        switch self {
        case .relieve(let gpu): ("--relieve", "\(gpu.node.name):\(gpu.index)")
        case .evacuate(let node): ("--evacuate", node.name)
        case .move(let replica): ("--move", replica.description)
        }
    }
}
