import Testing

@testable import InfertopCore

/// The culprit line holds: a passing KV burst that leads the ranking for one refresh never takes
/// it (seen on seeds 202 and 303 during the straggler and the degraded link); a challenger that
/// keeps the lead takes it after the hold; a culprit that is gone gives way at once.
@Suite struct CulpritHeadlineTests {
    let straggler = Culprit(
        subject: .gpu(GPUID(node: "node-03", index: 5)), kind: .straggler, severity: .crit, score: 60,
        reason: "node-03 gpu5: thermal throttle", replica: nil)
    let burst = Culprit(
        subject: .gpu(GPUID(node: "node-11", index: 2)), kind: .kvPressure, severity: .crit, score: 64,
        reason: "node-11 gpu2: KV cache 97%", replica: nil)

    @Test func aOneRefreshBurst_neverTakesTheLine() {
        var h = CulpritHeadline()
        var tops: [CulpritSubject?] = []
        for t in 0..<20 {
            let ranked = t == 7 ? [burst, straggler] : [straggler, burst]
            tops.append(h.update(ranked, time: Double(t), spanNanos: 0).first?.subject)
        }
        #expect(tops.allSatisfy { $0 == straggler.subject })
    }

    @Test func aChallengerThatKeepsTheLead_takesItAfterTheHold() {
        var h = CulpritHeadline(holdSeconds: 5)
        _ = h.update([straggler, burst], time: 0, spanNanos: 0)
        var changedAt: Double?
        for t in 1...12 {
            let top = h.update([burst, straggler], time: Double(t), spanNanos: 0).first?.subject
            if top == burst.subject, changedAt == nil { changedAt = Double(t) }
        }
        #expect(changedAt == 6)
    }

    @Test func aCulpritThatIsGone_givesWayAtOnce() {
        var h = CulpritHeadline()
        _ = h.update([straggler, burst], time: 0, spanNanos: 0)
        #expect(h.update([burst], time: 1, spanNanos: 0).first?.subject == burst.subject)
    }

    @Test func onsets_markWhenEachCulpritWasFirstSeen() {
        var h = CulpritHeadline()
        _ = h.update([straggler], time: 0, spanNanos: 100)
        _ = h.update([straggler, burst], time: 4, spanNanos: 500)
        #expect(h.onsets[straggler.subject]?.predatesFirstState == true)
        #expect(h.onsets[burst.subject] == CulpritHeadline.Onset(time: 4, spanNanos: 500, predatesFirstState: false))
        _ = h.update([straggler], time: 5, spanNanos: 600)
        _ = h.update([straggler, burst], time: 9, spanNanos: 900)
        #expect(h.onsets[burst.subject]?.spanNanos == 900, "a new run starts a new onset")
    }
}
