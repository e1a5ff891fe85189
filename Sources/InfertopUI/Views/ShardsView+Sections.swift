import InfertopCore

/// View 5's plan preview: per move the replica's GPUs BEFORE → AFTER and its steps, each step's
/// state taken from the operation carrying it out (steps are matched by their words).
struct PlanSection {
    let plan: RebalancePlan
    let operations: [OperationRecord]

    /// A title, a memory line, then two lines per move and one per unplaced replica.
    var height: Int { 2 + plan.moves.count * 2 + plan.unplaced.count }

    func render(glyphs g: Glyphs, area: Rect, into screen: inout Screen) {
        guard area.height > 0 else { return }
        let arrow = g.arrow
        let impact = plan.impact
        let count = plan.moves.count == 1 ? "1 move" : "\(plan.moves.count) moves"
        let title =
            "PLAN \(plan.goal)\(g.separator)\(count), \(Format.gib(impact.bytesToLoad)) GiB to load, "
            + "~\(Format.age(impact.estimatedSeconds))\(g.separator)BEFORE \(arrow) AFTER\(g.separator)Esc closes"
            + "\(g.separator)state \(plan.madeFrom)"
        let memory = GPUText.memoryChanges(impact.memory, arrow: arrow, capacity: false).joined(separator: g.separator)
        var lines: [(String, Style)] = [(title, Style(.accent, .bold)), ("  GiB " + memory, .dim)]
        let steps = Dictionary(operations.flatMap(\.steps).map { ($0.name, $0.state) }, uniquingKeysWith: { _, b in b })
        for move in plan.moves {
            let text =
                "  \(move.replica)  \(GPUText.words(move.fromGPUs)) \(arrow) \(GPUText.words(move.toGPUs))"
                + "  \(Format.gib(move.weightsBytes)) GiB from \(move.loadSource), ~\(Format.age(move.estimatedSeconds))"
            lines.append((text, .text))
            let chain = move.steps.map { step in
                StepGlyph.glyph(steps[step.description] ?? .pending, g) + StepGlyph.short(step)
            }.joined(separator: " ")
            lines.append(("  " + chain, .dim))
        }
        for unplaced in plan.unplaced { lines.append(("  not placed: " + unplaced.reason, Style(.crit))) }
        for (i, line) in lines.prefix(area.height).enumerated() {
            screen.put(line.0, x: area.x, y: area.y + i, width: area.width, style: line.1, glyphs: g)
        }
    }
}

/// View 5's operations: unfinished ones first with every step (state, elapsed, what it waits for),
/// then finished ones a line each, newest first.
struct OperationsSection {
    let records: [OperationRecord]
    let now: Double
    /// Only the current step of each unfinished operation.
    let compact: Bool

    init(_ records: [OperationRecord], now: Double, compact: Bool = false) {
        self.records = records.sorted { a, b in
            a.status.isFinished != b.status.isFinished ? !a.status.isFinished : a.createdAt > b.createdAt
        }
        self.now = now
        self.compact = compact
    }

    var height: Int { records.isEmpty ? 0 : 1 + records.reduce(0) { $0 + 1 + shownSteps($1).count } }

    /// Every step of an unfinished operation; a plan's many steps show only the current one (the
    /// plan above draws them all as a chain).
    func shownSteps(_ op: OperationRecord) -> [OperationStep] {
        guard !op.status.isFinished else { return [] }
        if case .applyPlan = op.kind {} else if !compact { return op.steps }
        return op.currentStep.map { [$0] } ?? []
    }

    func render(glyphs g: Glyphs, area: Rect, into screen: inout Screen) {
        guard area.height > 0 else { return }
        let running = records.filter { !$0.status.isFinished }.count
        var lines: [[(String, Style)]] = [
            [
                (
                    "OPERATIONS \(running) unfinished, \(records.count - running) finished\(g.separator)"
                        + ":cancel OP stops one\(g.separator)6 lists the audit", Style(.dim, .bold)
                )
            ]
        ]
        let longest = records.flatMap(shownSteps).map { Text.width($0.name) }.max() ?? 0
        let nameWidth = min(longest, max(24, area.width - 40))
        for op in records {
            var what = op.kind.description
            if case .applyPlan = op.kind {} else { what += " " + op.targets.map(\.name).joined(separator: " ") }
            let role: StyleRole = op.status.isFinished ? (op.status == .succeeded ? .ok : .crit) : .warn
            let end = op.status.isFinished ? (op.steps.compactMap(\.endedAt).max() ?? op.createdAt) : now
            let done = op.steps.filter { $0.state == .done }.count
            let progress = op.steps.isEmpty ? "" : ", \(done)/\(op.steps.count) steps"
            lines.append([
                ("\(op.id) ", Style(.text, .bold)), (what, .text),
                ("\(g.separator)\(op.status) \(StepGlyph.elapsed(end - op.createdAt))\(progress)", Style(role, .bold)),
                ("\(g.separator)\(op.requestedBy): \(op.reason.isEmpty ? "no reason given" : op.reason)", .dim)
            ])
            for step in shownSteps(op) {
                let elapsed = step.startedAt.map { StepGlyph.elapsed((step.endedAt ?? now) - $0) } ?? ""
                lines.append([
                    ("  \(StepGlyph.glyph(step.state, g)) ", Style(StepGlyph.role(step.state), .bold)),
                    (Text.fit(step.name, nameWidth, ellipsis: g.ellipsis), step.state == .pending ? .dim : .text),
                    (" " + Text.fit(elapsed, 6, alignRight: true) + "  ", .dim),
                    (step.detail, Style(StepGlyph.role(step.state)))
                ])
            }
        }
        for (i, pieces) in lines.prefix(area.height).enumerated() {
            var x = area.x
            for piece in pieces where x < area.maxX {
                x = screen.put(
                    piece.0, x: x, y: area.y + i, width: min(Text.width(piece.0), area.maxX - x),
                    style: piece.1, glyphs: g)
            }
        }
        if lines.count > area.height, area.height > 0 {
            let more = " +\(lines.count - area.height) lines "
            screen.put(more, x: area.maxX - Text.width(more), y: area.maxY - 1, style: Style(.dim, .bold))
        }
    }
}

/// How a step's state and a plan step read in one or two characters.
enum StepGlyph {
    static func glyph(_ state: StepState, _ g: Glyphs) -> String {
        switch state {
        case .done: g.isUnicode ? "✓" : "+"
        case .running: g.isUnicode ? "▶" : ">"
        case .waiting: g.isUnicode ? "◷" : "~"
        case .pending: g.isUnicode ? "·" : "."
        case .failed: g.isUnicode ? "✕" : "x"
        case .skipped: "-"
        }
    }

    static func role(_ state: StepState) -> StyleRole {
        switch state {
        case .done: .ok
        case .running: .accent
        case .waiting: .warn
        case .pending, .skipped: .dim
        case .failed: .crit
        }
    }

    /// `300ms`, `29s`, `3m04s`: an elapsed time as short as it reads well.
    static func elapsed(_ seconds: Double) -> String {
        let s = max(0, seconds)
        return s < 60 ? Format.duration(s) : Format.age(s)
    }

    /// `load`, `+router`: a plan step in a word, for the one-line chain under each move.
    static func short(_ step: MoveStep) -> String {
        switch step {
        case .shiftTraffic: "shift"
        case .reserve: "reserve"
        case .launchAndLoad: "load"
        case .waitReady: "ready"
        case .addToRouter: "+router"
        case .removeFromRouter: "-router"
        case .waitInFlight: "drain"
        case .stop: "stop"
        case .confirmFreed: "freed"
        case .restoreTraffic: "restore"
        }
    }
}
