/// The moments of one finished request, ordered (arrival ≤ scheduled ≤ first token ≤ finish),
/// and vLLM's latency phases from them: queue = scheduled − arrival, prefill = first token −
/// scheduled, decode = last token − first token, inference = last token − scheduled.
///
/// A phase the request never reached lasts zero, and the time it waited counts as queue.
struct Timeline {
    let arrival: Double
    let scheduled: Double?
    let firstToken: Double?
    let finish: Double

    init(_ finished: FinishedRequest) {
        let request = finished.request
        arrival = request.arrival
        finish = max(finished.finishedAt, arrival)
        let (start, end) = (arrival, finish)
        let scheduled = request.scheduledAt.map { min(max($0, start), end) }
        self.scheduled = scheduled
        // A first token due after the request was lost never came.
        if let scheduled, let first = request.firstTokenAt, first <= finish {
            firstToken = max(first, scheduled)
        } else {
            firstToken = nil
        }
    }

    var queue: Double { (scheduled ?? finish) - arrival }
    var prefill: Double { scheduled.map { (firstToken ?? finish) - $0 } ?? 0 }
    var decode: Double { firstToken.map { finish - $0 } ?? 0 }
    var inference: Double { scheduled.map { finish - $0 } ?? 0 }
}
