import Benchmark
import InfertopCore
import InfertopSim

// The shard planner (issue 11): one plan over a whole simulated fleet, from the dashboard's
// state. Targets: under 100 ms at 1,024 GPUs, under 1 s at 8,192.
//
// Setup simulates `SimulationConfig(seed: 7, nodes: N)` to t = 60 s and builds the planner's
// input from that `ClusterState` (`RebalanceInput(state)`), outside the measured region. Each
// iteration plans, alternately, the evacuation of a node in the middle of the fleet (every
// replica on it placed elsewhere) and the relief of its first GPU.

/// The planner's input for a simulated fleet, and the goals the iterations alternate.
final class PlannerFixture {
    let input: RebalanceInput
    let goals: [RebalanceGoal]
    private var next = 0

    init(nodes: Int) {
        let state = SimulatedCluster(config: SimulationConfig(seed: 7, nodes: nodes, gpusPerNode: 8)).run(to: 60)
        input = RebalanceInput(state)
        let node = state.topology.nodes[nodes / 2]
        goals = [.evacuate(node.id), .relieve(node.gpus[0].id)]
    }

    func nextGoal() -> RebalanceGoal {
        defer { next = (next + 1) % goals.count }
        return goals[next]
    }
}

func plannerBenchmarks() {
    for (name, nodes) in [("rebalance plan 1024 GPUs", 128), ("rebalance plan 8192 GPUs", 1024)] {
        Benchmark(name, configuration: .init(maxDuration: .seconds(nodes > 128 ? 10 : 3))) { benchmark, fixture in
            let goal = fixture.nextGoal()
            let plan = measured(benchmark) { RebalancePlanner(fixture.input).plan(goal) }
            guard case .success = plan else { fatalError("\(name): the planner refused \(goal): \(plan)") }
        } setup: {
            PlannerFixture(nodes: nodes)
        }
    }
}
