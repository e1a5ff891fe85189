import Foundation
import GRPCCore
import GRPCProtobuf
import InfertopCore
import SwiftProtobuf
import Testing

@testable import InfertopOTLP

let protobufType = ("Content-Type", "application/x-protobuf")
let jsonType = ("Content-Type", "application/json; charset=utf-8")

@Suite struct HTTPReceiverTests {
    @Test func acceptsProtobufAndAnswersInProtobuf() async throws {
        try await withHTTPReceiver { receiver, sink, connection in
            let spans = SampleSpans.make(count: 50)
            let response = try connection.request(headers: [protobufType], body: OTLPEncoder.protobuf(spans))
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/x-protobuf")
            let reply = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(
                serializedBytes: response.body)
            #expect(!reply.hasPartialSuccess)  // full success leaves it unset
            #expect(Set(sink.spans.map(\.spanID)) == Set(spans.map(\.spanID)))
            #expect(receiver.stats.requestsOK == 1)
            #expect(receiver.stats.spansAccepted == 50)
        }
    }

    @Test func acceptsJSONPlainAndGzippedOnOneKeptAliveConnection() async throws {
        try await withHTTPReceiver { receiver, sink, connection in
            let json = OTLPEncoder.json(SampleSpans.make(count: 10))
            let plain = try connection.request(headers: [jsonType], body: json)
            #expect(plain.status == 200)
            #expect(plain.headers["content-type"] == "application/json")
            #expect(plain.text == "{}")
            let gzipped = try connection.request(
                headers: [jsonType, ("Content-Encoding", "gzip")], body: StoredGzip.compress(json))
            #expect(gzipped.status == 200)
            // The fixture, gzipped, on the same connection.
            let fixture = try connection.request(
                headers: [("Content-Type", "application/json"), ("Content-Encoding", "GZIP")],
                body: StoredGzip.compress(try Fixture.bytes("trace.json")))
            #expect(fixture.status == 200)
            #expect(sink.spans.count == 23)
            #expect(sink.spans.contains { $0.name == "prefill" && $0.node == NodeID("node-07") })
            #expect(receiver.stats.requestsOK == 3)
        }
    }

    @Test func malformedBodyIs400AndTheServerGoesOn() async throws {
        try await withReceiver(grpc: false) { receiver, sink, port in
            let connection = try RawHTTPConnection(port: port)
            let bad = try connection.request(headers: [jsonType], body: Array(#"{"resourceSpans": {}}"#.utf8))
            #expect(bad.status == 400)
            let status = try JSONSerialization.jsonObject(with: Data(bad.body)) as? [String: Any]
            #expect(status?["code"] as? Int == 3)
            #expect(status?["message"] as? String == "resourceSpans: expected an array, got an object")

            let badProto = try connection.request(headers: [protobufType], body: [0x0A, 0x05, 0x01])
            #expect(badProto.status == 400)
            let rpcStatus = try GoogleRPCStatus(serializedBytes: badProto.body)
            #expect(rpcStatus.code == .invalidArgument)
            #expect(rpcStatus.message.contains("malformed protobuf"))

            // Corrupt gzip: 400, and that connection is closed; a new one works.
            let corrupt = try connection.request(
                headers: [jsonType, ("Content-Encoding", "gzip")], body: [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8])
            #expect(corrupt.status == 400)
            #expect(corrupt.text.contains("malformed gzip body"))

            let again = try RawHTTPConnection(port: port)
            let good = try again.request(
                headers: [protobufType], body: OTLPEncoder.protobuf(SampleSpans.make(count: 3)))
            #expect(good.status == 200)
            #expect(sink.spans.count == 3)
            #expect(receiver.stats.requestsBad == 3)
            #expect(receiver.stats.requestsOK == 1)
        }
    }

    @Test func keepsTheConnectionAfterA400() async throws {
        try await withHTTPReceiver { receiver, sink, connection throws in
            #expect(try connection.request(headers: [jsonType], body: Array("nope".utf8)).status == 400)
            #expect(
                try connection.request(headers: [jsonType], body: OTLPEncoder.json(SampleSpans.make(count: 2))).status
                    == 200)
            #expect(sink.spans.count == 2)
        }
    }

    @Test func unsupportedTypesEncodingsPathsAndMethods() async throws {
        try await withHTTPReceiver { receiver, sink, connection in
            let body = OTLPEncoder.json(SampleSpans.make(count: 1))

            let type = try connection.request(headers: [("Content-Type", "text/plain")], body: body)
            #expect(type.status == 415)
            #expect(type.text.contains("unsupported Content-Type \\\"text/plain\\\""))
            let noType = try connection.request(headers: [], body: body)
            #expect(noType.status == 415)

            let encoding = try connection.request(headers: [jsonType, ("Content-Encoding", "br")], body: body)
            #expect(encoding.status == 415)
            #expect(encoding.text.contains("Content-Encoding"))
            let deflate = try connection.request(
                headers: [protobufType, ("Content-Encoding", "deflate")], body: [1, 2, 3])
            #expect(deflate.status == 415)
            #expect(deflate.headers["content-type"] == "application/x-protobuf")
            #expect(try GoogleRPCStatus(serializedBytes: deflate.body).message.contains("Content-Encoding"))

            let path = try connection.request(path: "/v1/metrics", headers: [jsonType], body: body)
            #expect(path.status == 404)
            let method = try connection.request("GET", headers: [], body: [])
            #expect(method.status == 405)
            #expect(method.headers["allow"] == "POST")
            let put = try connection.request("PUT", headers: [jsonType], body: body)
            #expect(put.status == 405)

            // All on one connection, which is still good.
            #expect(try connection.request(headers: [jsonType], body: body).status == 200)
            #expect(try connection.request(path: "/v1/traces?x=1", headers: [jsonType], body: body).status == 200)
            #expect(sink.spans.count == 2)
            #expect(receiver.stats.requestsUnsupported == 7)
        }
    }

    @Test func answers100ContinueThenTheRequest() async throws {
        try await withHTTPReceiver { receiver, sink, connection in
            let body = OTLPEncoder.protobuf(SampleSpans.make(count: 3))
            try connection.send(
                "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                    + "Expect: 100-continue\r\nContent-Length: \(body.count)\r\n\r\n")
            #expect(try connection.readResponse().status == 100)
            try connection.send(body)
            #expect(try connection.readResponse().status == 200)
            #expect(sink.spans.count == 3)
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        let limit = 64 * 1024
        try await withReceiver(grpc: false, maxBodyBytes: limit) { receiver, sink, port in

            // Announced too large: refused before any body is read.
            let announced = try RawHTTPConnection(port: port)
            try announced.send(
                "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(limit + 1)\r\n\r\n"
            )
            let early = try announced.readResponse()
            #expect(early.status == 413)
            #expect(early.headers["connection"] == "close")
            #expect(try announced.readsEndOfFile())

            // Streamed (chunked) past the limit.
            let chunked = try RawHTTPConnection(port: port)
            var request = Array(
                "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .utf8)
            for _ in 0..<5 {
                request += Array("4000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x4000) + Array("\r\n".utf8)
            }
            try chunked.send(request)
            let streamed = try chunked.readResponse()
            #expect(streamed.status == 413)
            #expect(
                try GoogleRPCStatus(serializedBytes: streamed.body).message.contains("over the limit of 65536 bytes"))

            // Small as sent, too large once gunzipped.
            let bomb = try RawHTTPConnection(port: port)
            let inflated = try bomb.request(
                headers: [jsonType, ("Content-Encoding", "gzip")], body: try Fixture.bytes("spaces-5MiB.json.gz"))
            #expect(inflated.status == 413)

            #expect(receiver.stats.requestsTooLarge == 3)
            #expect(sink.calls == 0)
            // And the server still serves.
            let after = try RawHTTPConnection(port: port)
            #expect(
                try after.request(headers: [jsonType], body: OTLPEncoder.json(SampleSpans.make(count: 1))).status == 200
            )
        }
    }

    @Test func gzipOverTheDefaultLimitIs413() async throws {
        try await withHTTPReceiver { receiver, sink, connection in
            let response = try connection.request(
                headers: [jsonType, ("Content-Encoding", "gzip")], body: try Fixture.bytes("spaces-5MiB.json.gz"))
            #expect(response.status == 413)
        }
    }

    @Test func overloadedSinkGets429WithRetryAfter() async throws {
        try await withHTTPReceiver(sink: RecordingSink(admission: .overloaded(retryAfterSeconds: 7))) {
            receiver, sink, connection in
            let response = try connection.request(
                headers: [jsonType], body: OTLPEncoder.json(SampleSpans.make(count: 4)))
            #expect(response.status == 429)
            #expect(response.headers["retry-after"] == "7")
            #expect(response.text.contains("\"code\":14"))
            #expect(receiver.stats.requestsOverloaded == 1)
            #expect(receiver.stats.spansAccepted == 0)
            // Keep-alive survives a 429.
            #expect(try connection.request(headers: [jsonType], body: OTLPEncoder.json([])).status == 429)
        }
    }

    @Test func partialSuccessCarriesTheCount() async throws {
        try await withHTTPReceiver { receiver, sink, connection in
            let json = jsonRequest(spans: [
                "{\(goodSpanMembers)}",
                #"{"traceId":"xyz","spanId":"eee19b7ec3c1b174"}"#,
                #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000000"}"#
            ])
            let response = try connection.request(headers: [jsonType], body: Array(json.utf8))
            #expect(response.status == 200)
            let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let partial = body?["partialSuccess"] as? [String: Any]
            #expect(partial?["rejectedSpans"] as? String == "2")
            #expect((partial?["errorMessage"] as? String)?.contains("spans[1].traceId") == true)
            #expect(sink.spans.count == 1)
            #expect(sink.rejected == 2)

            // The same in protobuf.
            var bad = pbSpan(trace: [1])
            bad.name = "bad"
            let request = pbRequest([pbSpan(), bad])
            let proto = try connection.request(headers: [protobufType], body: try request.serializedBytes())
            let reply = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(
                serializedBytes: proto.body)
            #expect(reply.partialSuccess.rejectedSpans == 1)
            #expect(
                reply.partialSuccess.errorMessage
                    == "resourceSpans[0].scopeSpans[0].spans[1].traceId: expected 16 bytes, got 1")
            #expect(receiver.stats.spansRejected == 3)
            #expect(receiver.stats.spansAccepted == 2)
        }
    }

    @Test func bindFailureNamesTheAddressAndTheFix() async throws {
        let sink = RecordingSink()
        let (first, grpcPort, httpPort) = try await startReceiver(sink: sink)
        let taken = [
            (OTLPReceiverConfig(grpcAddress: nil, httpAddress: "127.0.0.1:\(httpPort)"), "OTLP/HTTP", httpPort),
            (OTLPReceiverConfig(grpcAddress: "127.0.0.1:\(grpcPort)"), "OTLP/gRPC", grpcPort)
        ]
        for (config, what, port) in taken {
            let flag = what == "OTLP/HTTP" ? "--otlp-http" : "--otlp-grpc"
            let refused = await #expect(throws: (any Error).self, "bound a port already in use") {
                try await OTLPReceiver(config: config, sink: sink).start()
            }
            #expect(
                refused.map { "\($0)" } == "cannot listen for \(what) on 127.0.0.1:\(port): address already in use; "
                    + "choose another with \(flag) HOST:PORT or turn it off with \(flag) off")
        }
        let malformed = OTLPReceiver(config: OTLPReceiverConfig(httpAddress: "nowhere"), sink: sink)
        let refused = await #expect(throws: OTLPReceiverError.self) { try await malformed.start() }
        #expect(
            refused.map {
                "\($0)".hasPrefix("cannot listen for OTLP/HTTP on \"nowhere\": not HOST:PORT (the port is missing")
            } == true,
            "\(String(describing: refused))")
        await first.stop()
    }
}
