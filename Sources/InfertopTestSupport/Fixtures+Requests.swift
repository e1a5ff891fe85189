import InfertopCore
import InfertopUI

extension Fixtures {
    /// The simulated cluster (seed 7) at a virtual time with seeded request traffic over every
    /// replica, the hero trace (`RequestFixtures.heroTrace`), and node-03's agent reporting its
    /// span storage full, shown in view 4.
    ///
    /// The store is emptied before the fixture spans go in, so these screens do not move when the
    /// simulator's own spans change.
    public static func requestsModel(
        at time: Double = 70, nodes: Int = 17, size: Size, glyphs: Glyphs = .unicode, depth: ColorDepth = .full,
        requests: Int = 600
    ) -> Model {
        var model = Fixtures.model(at: time, nodes: nodes, size: size, glyphs: glyphs, depth: depth)
        guard var state = model.live else { return model }
        state.requests = RequestStore()
        state.spanStorage = [:]
        _ = update(&model, .cluster(.snapshot(state, sequence: 0)))
        let spans =
            RequestFixtures.traffic(state, count: requests, endingAt: time - 0.5)
            + RequestFixtures.heroTrace(endingAt: time - 0.4)
        let storage: [NodeID: SpanStorageStatus] = [
            "node-03": SpanStorageStatus(stored: 4096, capacity: 4096, accepted: 91_340, dropped: 1_204),
            "node-05": SpanStorageStatus(stored: 210, capacity: 4096, accepted: 210, dropped: 0)
        ]
        _ = update(&model, .cluster(.delta(RequestFixtures.delta(state, spans: spans, storage: storage))))
        model.view = .requests
        return model
    }
}
