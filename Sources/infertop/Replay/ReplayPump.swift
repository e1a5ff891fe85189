import InfertopCore
import InfertopReplay
import InfertopUI
import InfertopWire

/// Drives a replay: the playhead moves with real time times the speed while playing; space,
/// left/right, `[` `]`, `:goto` and `:speed` move it. Reaching the end (or the damage) pauses.
struct ReplayPump: DashboardPump {
    private var timeline: ReplayTimeline
    private var status: ReplayStatus
    private var lastTurn = ContinuousClock.now

    init(recording: Recording, startAt position: Double, speed: Double) {
        timeline = ReplayTimeline(recording: recording)
        status = ReplayStatus(
            position: position, length: recording.length, speed: speed, isPlaying: true,
            startUnixTime: recording.unixTime(at: 0), cut: timeline.damage.map { Format.clock($0.readableSeconds) })
    }

    mutating func prepare(_ model: inout Model) {
        model.readOnlyReason = ReadOnlyReason.replay
        if let damage = timeline.damage { model.status = StatusMessage(damage.sentence, isError: true) }
        moveTo(status.position, &model)
        lastTurn = ContinuousClock.now
    }

    mutating func pump(_ model: inout Model) -> Bool {
        let now = ContinuousClock.now
        defer { lastTurn = now }
        guard status.isPlaying else { return false }
        let elapsed = now - lastTurn
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        moveTo(status.position + seconds * status.speed, &model)
        return true
    }

    mutating func perform(_ request: ReplayRequest, _ model: inout Model) {
        switch request {
        case .togglePlay:
            if !status.isPlaying && status.position >= status.length { status.position = 0 }
            status.isPlaying.toggle()
            lastTurn = ContinuousClock.now
        case .step(let by):
            moveTo(status.position + by, &model)
        case .jump(to: let target):
            switch target.position(startUnixTime: status.startUnixTime, length: status.length) {
            case .success(let position): moveTo(position, &model)
            case .failure(let error): model.status = StatusMessage(error.description, isError: true)
            }
        case .speed(let times):
            status.speed = min(
                max(status.speed * times, ReplayStatus.speeds.lowerBound), ReplayStatus.speeds.upperBound)
        case .setSpeed(let speed):
            status.speed = min(max(speed, ReplayStatus.speeds.lowerBound), ReplayStatus.speeds.upperBound)
        }
        _ = update(&model, .replayMoved(status))
    }

    /// Moves the playhead (clamped to the recording) and the model with it; pauses at the end.
    private mutating func moveTo(_ position: Double, _ model: inout Model) {
        status.position = min(max(0, position), status.length)
        timeline.move(&model, to: status.position)
        if status.isPlaying && status.position >= status.length {
            status.isPlaying = false
            model.status = StatusMessage(
                timeline.damage.map { "end of what can be read: \($0.sentence)" }
                    ?? "end of the recording: space plays it again",
                isError: timeline.damage != nil)
        }
        _ = update(&model, .replayMoved(status))
    }
}
