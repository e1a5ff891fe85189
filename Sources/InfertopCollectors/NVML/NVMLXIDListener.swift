import Foundation
import Synchronization

/// Waits for NVML XID events on its own thread and keeps them until the next pass drains them.
///
/// `nvmlEventSetWait_v2` blocks, so it cannot run inside `collect`. The thread waits with a
/// timeout, so `stop` is noticed within one timeout; the buffer is bounded so a stalled agent
/// cannot grow it without limit.
final class NVMLXIDListener: Sendable {
    /// XIDs kept per GPU between drains; older ones are dropped first.
    static let capacityPerGPU = 256

    private struct State {
        var pending: [Int: [Int]] = [:]
        var errors: [String] = []
        var lastError: Int32?
        var stopping = false
        var finished = false
    }

    private let state = Mutex(State())
    private let library: NVMLLibrary
    private let eventSet: UInt
    private let indexByDevice: [UInt: Int]
    private let timeoutMilliseconds: UInt32

    private init(library: NVMLLibrary, eventSet: UInt, indexByDevice: [UInt: Int], timeoutMilliseconds: UInt32) {
        self.library = library
        self.eventSet = eventSet
        self.indexByDevice = indexByDevice
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Creates an event set, registers every GPU for XID events and starts the waiting thread.
    /// Returns nil when no GPU could be registered, with the reasons to report.
    static func start(
        library: NVMLLibrary, devices: [(index: Int, handle: UInt)],
        timeoutMilliseconds: UInt32
    ) -> (listener: NVMLXIDListener?, errors: [String]) {
        guard let create = library.eventSetCreate, let register = library.registerEvents,
            library.eventSetWait != nil
        else { return (nil, []) }
        var set: OpaquePointer?
        let rc = create(&set)
        guard rc == NVMLReturn.success, let set else {
            return (nil, ["nvml: nvmlEventSetCreate: \(library.describe(rc)); no XID events"])
        }
        var errors: [String] = []
        var registered: [UInt: Int] = [:]
        for device in devices {
            let rc = register(OpaquePointer(bitPattern: device.handle), NVMLConstant.eventXidCriticalError, set)
            if rc == NVMLReturn.success {
                registered[device.handle] = device.index
            } else if !NVMLReturn.isAbsent(rc) {
                errors.append("nvml gpu \(device.index): nvmlDeviceRegisterEvents: \(library.describe(rc))")
            }
        }
        guard !registered.isEmpty else {
            _ = library.eventSetFree?(set)
            return (nil, errors)
        }
        let listener = NVMLXIDListener(
            library: library, eventSet: UInt(bitPattern: set),
            indexByDevice: registered, timeoutMilliseconds: timeoutMilliseconds)
        Thread.detachNewThread { listener.run() }
        return (listener, errors)
    }

    /// XIDs per GPU index and listener errors since the last drain; empties the buffer.
    func drain() -> (xids: [Int: [Int]], errors: [String]) {
        state.withLock { state in
            defer {
                state.pending = [:]
                state.errors = []
            }
            return (state.pending, state.errors)
        }
    }

    /// Asks the thread to end and waits up to `seconds` for it; true when it has ended.
    @discardableResult
    func stop(waitingUpTo seconds: Double) -> Bool {
        state.withLock { $0.stopping = true }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if state.withLock({ $0.finished }) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return state.withLock { $0.finished }
    }

    private func run() {
        guard let wait = library.eventSetWait else { return }
        let set = OpaquePointer(bitPattern: eventSet)
        while !state.withLock({ $0.stopping }) {
            var data = NVMLEventData()
            let rc = withUnsafeMutableBytes(of: &data) { wait(set, $0.baseAddress, timeoutMilliseconds) }
            if rc == NVMLReturn.success {
                if data.eventType & NVMLConstant.eventXidCriticalError != 0 { record(data) }
            } else if rc != NVMLReturn.timeout {
                recordFailure(rc)
                Thread.sleep(forTimeInterval: Double(max(timeoutMilliseconds, 10)) / 1000)
            }
        }
        _ = library.eventSetFree?(set)
        state.withLock { $0.finished = true }
    }

    private func record(_ data: NVMLEventData) {
        let xid = Int(clamping: data.eventData)
        state.withLock { state in
            state.lastError = nil
            guard let index = indexByDevice[data.device] else {
                state.errors.append("nvml: XID \(xid) from an unknown device")
                return
            }
            var list = state.pending[index, default: []]
            list.append(xid)
            if list.count > Self.capacityPerGPU { list.removeFirst(list.count - Self.capacityPerGPU) }
            state.pending[index] = list
        }
    }

    /// Reports a wait failure once per distinct code in a row, so a lost GPU does not flood.
    private func recordFailure(_ code: Int32) {
        let text = "nvml: nvmlEventSetWait_v2: \(library.describe(code))"
        state.withLock { state in
            guard state.lastError != code else { return }
            state.lastError = code
            state.errors.append(text)
        }
    }
}
