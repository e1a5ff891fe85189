import InfertopOTLP
import Logging

/// Runs the agent's OTLP receiver for as long as the task lives, logging where it listens.
public enum TraceReceiverRunner {
    /// The receiver for these settings, or nil when both listeners are off.
    public static func receiver(_ settings: OTLPSettings, sink: some OTLPSpanSink) -> OTLPReceiver? {
        guard settings.grpcListen != nil || settings.httpListen != nil else { return nil }
        var config = OTLPReceiverConfig()
        config.grpcAddress = settings.grpcListen?.description
        config.httpAddress = settings.httpListen?.description
        config.maxBodyBytes = settings.maxBodyBytes
        return OTLPReceiver(config: config, sink: sink)
    }

    /// Starts the receiver, then waits until cancelled and stops it. A receiver that cannot
    /// start (its port taken, say by an OpenTelemetry Collector on the node) is logged and left
    /// off: GPU metrics matter more than traces, so the agent goes on without it.
    public static func run(_ receiver: OTLPReceiver, logger: Logger) async throws {
        do {
            let (grpcPort, httpPort) = try await receiver.start()
            if let grpcPort { logger.info("receiving OTLP/gRPC traces", metadata: ["port": "\(grpcPort)"]) }
            if let httpPort {
                logger.info("receiving OTLP/HTTP traces", metadata: ["port": "\(httpPort)", "path": "/v1/traces"])
            }
        } catch {
            logger.error("traces are off", metadata: ["error": "\(error)"])
        }
        let (stopped, continuation) = AsyncStream.makeStream(of: Void.self)
        await withTaskCancellationHandler {
            for await _ in stopped {}
        } onCancel: {
            continuation.finish()
        }
        await receiver.stop()
    }
}
