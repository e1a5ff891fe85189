import InfertopCore
import InfertopUI

/// Where the drawing loop's cluster comes from: each turn it folds what is new into the model.
///
/// A live dashboard drains its feed's mailbox (`LivePump`); a replay moves its playhead on
/// recorded time and carries out the replay keys (`ReplayPump`).
protocol DashboardPump: Sendable {
    /// Called once, on the fresh model, before the first frame.
    mutating func prepare(_ model: inout Model)
    /// Called every turn of the loop; true when the model changed.
    mutating func pump(_ model: inout Model) -> Bool
    /// Carries out a replay key or command (a live dashboard has none to carry out).
    mutating func perform(_ request: ReplayRequest, _ model: inout Model)
}

/// The live feed's updates, taken from the mailbox that its task posts to.
struct LivePump: DashboardPump {
    let mailbox: UpdateMailbox

    func prepare(_ model: inout Model) {}

    func pump(_ model: inout Model) -> Bool {
        let received = mailbox.drain()
        guard !received.isEmpty else { return false }
        _ = update(&model, .clusterBatch(received))
        return true
    }

    func perform(_ request: ReplayRequest, _ model: inout Model) {
        model.status = StatusMessage("replay keys work in a replay: infertop replay FILE", isError: true)
    }
}
