import GRPCCore
import GRPCNIOTransportHTTP2

extension AgentEndpoint {
    /// An HTTP/2 transport to the agent, with TLS and its CA when the endpoint asks for them.
    ///
    /// A 1 MiB receive window (not gRPC's 8 MiB): what an agent holds for a dashboard that
    /// stalls (a suspended laptop) stays small; past it the agent coalesces.
    public func transport() throws -> HTTP2ClientTransport.Posix {
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if tls {
            let ca = caPath
            security = .tls { config in
                if let ca { config.trustRoots = .certificates([.file(path: ca, format: .pem)]) }
            }
        } else {
            security = .plaintext
        }
        // Address literals get their own targets: TLS must not send an IP address as SNI.
        let target: any ResolvableTarget
        if Resolver.isIPv4(host) {
            target = .ipv4(address: host, port: port)
        } else if address.isIPv6 {
            target = .ipv6(address: host, port: port)
        } else {
            target = .dns(host: host, port: port)
        }
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.http2.targetWindowSize = 1 << 20
        return try HTTP2ClientTransport.Posix(target: target, transportSecurity: security, config: config)
    }

    /// The token as gRPC metadata, when the endpoint has one.
    public var authorization: Metadata {
        var metadata: Metadata = [:]
        if let token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        return metadata
    }
}
