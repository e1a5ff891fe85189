import ArgumentParser
import Foundation
import InfertopAgent
import InfertopCollectors
import InfertopCore

/// `--prometheus URL` and its credentials: the dashboard reads a Prometheus-compatible server
/// (Prometheus, Thanos, Mimir, VictoriaMetrics) where dcgm-exporter and the engines are scraped.
struct PrometheusOptions: ParsableArguments {
    @Option(
        help: "Read GPUs and engines from this Prometheus (http[s]://HOST:PORT[/prefix]), alone or beside --agents.")
    var prometheus: String?

    @Option(name: .customLong("prometheus-token-file"), help: "Send the bearer token in this file to --prometheus.")
    var tokenFile: String?

    @Option(
        name: .customLong("prometheus-user"),
        help: "Basic-auth user for --prometheus (with --prometheus-password-file).")
    var user: String?

    @Option(
        name: .customLong("prometheus-password-file"),
        help: "Basic-auth password for --prometheus, read from this file.")
    var passwordFile: String?

    @Option(name: .customLong("prometheus-ca"), help: "Trust this CA (PEM) for an https --prometheus.")
    var caFile: String?

    @Option(
        name: .customLong("prometheus-match"),
        help: ArgumentHelp(
            "Label matchers put into every query, to pick one fleet: '{cluster=\"a\"}'.", valueName: "matchers"))
    var match: String?

    @Option(
        name: .customLong("prometheus-refresh"), help: "Seconds between Prometheus refreshes (0.5 to 60, default 2).")
    var refresh: Double = 2

    mutating func validate() throws {
        let named = [tokenFile, user, passwordFile, caFile, match].contains { $0 != nil }
        guard let prometheus else {
            if named { throw ValidationError("--prometheus-* options need --prometheus URL") }
            return
        }
        do {
            _ = try PrometheusServer(url: prometheus)
        } catch {
            throw ValidationError("--prometheus: \(error)")
        }
        do {
            _ = try match.map { try PrometheusMatch($0) }
        } catch {
            throw ValidationError("--prometheus-match: \(error)")
        }
        if tokenFile != nil, user != nil {
            throw ValidationError("say --prometheus-token-file or --prometheus-user, not both")
        }
        if (user == nil) != (passwordFile == nil) {
            throw ValidationError("--prometheus-user and --prometheus-password-file go together")
        }
        for (flag, path) in [
            ("--prometheus-token-file", tokenFile), ("--prometheus-password-file", passwordFile),
            ("--prometheus-ca", caFile)
        ] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw ValidationError("\(flag): cannot read \(path)")
            }
        }
        guard refresh.isFinite, (0.5...60).contains(refresh) else {
            throw ValidationError("--prometheus-refresh must be from 0.5 to 60 seconds, got \(refresh)")
        }
    }

    /// The fleet source the options describe, or nil without `--prometheus`.
    /// - Throws: `UsageFailure` when a credential or CA file cannot be used.
    func fleet() throws -> PrometheusFleet? {
        guard let prometheus else { return nil }
        var authorization: String?
        do {
            if let tokenFile {
                authorization = PrometheusServer.bearer(try String(contentsOfFile: tokenFile, encoding: .utf8))
            }
            if let user, let passwordFile {
                authorization = PrometheusServer.basic(
                    user: user, password: try String(contentsOfFile: passwordFile, encoding: .utf8))
            }
        } catch {
            throw UsageFailure(message: "--prometheus credentials: \(error.localizedDescription)")
        }
        let client: AsyncHTTPTransport
        do {
            client = AsyncHTTPTransport(client: try AsyncHTTPTransport.client(caFile: caFile))
        } catch {
            throw UsageFailure(message: "--prometheus-ca: \(caFile ?? ""): not a PEM certificate (\(error))")
        }
        let server = try PrometheusServer(url: prometheus, authorization: authorization)
        var fleet = PrometheusFleet(
            client: PrometheusClient(server: server, transport: client, timeout: max(1, min(10, refresh * 2))),
            match: try match.map { try PrometheusMatch($0) } ?? .all)
        fleet.interval = .milliseconds(Int64(refresh * 1000))
        return fleet
    }
}
