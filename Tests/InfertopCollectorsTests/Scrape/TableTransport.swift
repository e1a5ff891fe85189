import InfertopCollectors
import Synchronization

/// An `HTTPTransport` that answers from what the test set, with no network: a reply, or an error.
final class TableTransport: HTTPTransport {
    enum Answer: Sendable {
        case reply(HTTPTransportResponse)
        case fail(HTTPTransportError)
    }

    private let state: Mutex<(answer: Answer, requests: [HTTPTransportRequest])>

    init(_ answer: Answer) { state = Mutex((answer, [])) }

    /// A 200 with `body`.
    static func ok(_ body: String) -> TableTransport {
        TableTransport(.reply(.init(status: 200, body: Array(body.utf8))))
    }

    func set(_ answer: Answer) { state.withLock { $0.answer = answer } }

    var requests: [HTTPTransportRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse {
        let answer = state.withLock { s -> Answer in
            s.requests.append(request)
            return s.answer
        }
        switch answer {
        case .reply(let response): return response
        case .fail(let error): throw error
        }
    }
}
