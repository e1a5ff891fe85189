import InfertopCore
import InfertopSim

let seed = UInt64(CommandLine.arguments.dropFirst().first ?? "7") ?? 7
let until = Double(CommandLine.arguments.dropFirst(2).first ?? "600") ?? 600
let sim = SimulatedCluster(config: SimulationConfig(seed: seed))
var state = ClusterState(topology: sim.topology, replicas: sim.replicas)
for inc in sim.currentIncidents { print("incident", inc.kind, inc.start, inc.expectedName, inc.replica!) }
var t = 0.0
while t < until {
    t += 1
    sim.advance(to: t)
    state.apply(sim.sample())
    if Int(t) % 10 == 0 || (Int(t) >= 60 && Int(t) <= 75) || (Int(t) >= 200 && Int(t) <= 212) || (Int(t) >= 330 && Int(t) <= 340) || (Int(t) >= 450 && Int(t) <= 462){
        let s = ClusterSummary(state)
        let top = Triage.rank(state).first
        var kvmax = 0.0
        for row in state.gpuSamples { for g in row { if let g { kvmax = max(kvmax, g.memory.kvUsage) } } }
        if let inc = sim.currentIncidents.first(where: { $0.isActive(at: t) }), let g = inc.gpu, let gs = state.sample(g), let r = inc.replica, let rs = state.replicaSamples[r] {
            print("   ", g, "kv", Int(gs.memory.kvUsage*100), "pre", Format.fixed(gs.preemptionsPerSecond, 1), "other", Format.gib(gs.memory.otherBytes), "run", rs.runningRequests, "wait", rs.waitingRequests, "ttft99", Format.duration(rs.ttftP99Seconds))
        }
        print(Int(t), "tok/s", Int(s.tokensPerSecond), "kv", Int(s.kvUsage*100), "kvmax", Int(kvmax*100), "ttft p99 med", Format.duration(s.ttftP99Median), "worst", Format.duration(s.ttftP99Worst), "itl", Format.duration(s.itlP99Median), Format.duration(s.itlP99Worst), "|", top?.reason ?? "-")
    }
}
for r in sim.replicas { if let s = state.replicaSamples[r.id] { print(r.id, r.layout, r.nodes.first!, "run", s.runningRequests, "wait", s.waitingRequests, "tok/s", Int(s.tokensPerSecond), "ttft", Format.duration(s.ttftP50Seconds), Format.duration(s.ttftP99Seconds), "itl", Format.duration(s.itlP50Seconds), Format.duration(s.itlP99Seconds), "step", Format.duration(s.stepSeconds), "floor", Format.duration(s.floorSeconds)) } }
