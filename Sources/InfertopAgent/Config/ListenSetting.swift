import Foundation
import InfertopCore

/// A listener as a flag or the config file sets it (`--otlp-grpc`, `[otlp] http_listen`): an
/// address to listen on, or `off`.
public enum ListenSetting: Sendable, Hashable {
    case off
    case on(HostPort)

    /// The address; nil when off.
    public var address: HostPort? {
        if case .on(let address) = self { return address }
        return nil
    }

    /// Reads `off`, or `HOST:PORT` as a listen address (port 0 and `:PORT` allowed).
    public static func parse(_ text: String) -> Result<ListenSetting, HostPortError> {
        if text.trimmingCharacters(in: .whitespaces) == "off" { return .success(.off) }
        return HostPort.parse(text, for: .listen).map { .on($0) }
    }
}
