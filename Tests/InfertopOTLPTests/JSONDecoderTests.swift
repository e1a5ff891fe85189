import Foundation
import InfertopCore
import Testing

@testable import InfertopOTLP

/// One span in a request, with the given span JSON members.
func jsonRequest(spans: [String], resource: String = #"{"attributes":[]}"#) -> String {
    #"{"resourceSpans":[{"resource":\#(resource),"scopeSpans":[{"scope":{"name":"t"},"spans":[\#(spans.joined(separator: ","))]}]}]}"#
}

let goodSpanMembers =
    #""traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok","startTimeUnixNano":"1","endTimeUnixNano":"2""#

@Suite struct JSONDecoderTests {
    @Test func decodesTheExampleShapedFixture() throws {
        let result = try OTLPJSONDecoder.decode(try Fixture.bytes("trace.json"))
        #expect(result.rejectedSpans == 0)
        #expect(result.spans.count == 3)
        let request = result.spans[0]
        #expect(request.traceID.hex == "5b8efff798038103d269b633813fc60c")
        #expect(request.spanID.hex == "eee19b7ec3c1b174")
        #expect(request.parentSpanID?.hex == "eee19b7ec3c1b173")
        #expect(request.name == "llm_request")
        #expect(request.kind == .server)
        #expect(request.startNanos == 1_544_712_660_000_000_000)
        #expect(request.endNanos == 1_544_712_661_000_000_000)
        #expect(request.status == SpanStatus(code: .ok))
        #expect(request.node == NodeID("node-07"))
        #expect(request.service == "vllm")
        #expect(
            request.attributes == [
                SpanAttributeKey.requestID: .string("cmpl-7f3a"),
                SpanAttributeKey.promptTokens: .int(1024),
                SpanAttributeKey.completionTokens: .int(87),
                SpanAttributeKey.timeToFirstToken: .double(0.125),
                SpanAttributeKey.finishReasons: .string("[stop, length]"),
                "infertop.streaming": .bool(true),
                SpanAttributeKey.serviceInstance: .string("llama-405b/2"),
                SpanAttributeKey.gpus: .string("0-7")
            ])

        let prefill = result.spans[1]
        #expect(prefill.parentSpanID == request.spanID)  // uppercase and lowercase hex name the same ids
        #expect(prefill.traceID == request.traceID)
        #expect(prefill.kind == .internal)
        #expect(prefill.startNanos == 1_544_712_660_100_000_000)  // a number, not a string
        #expect(prefill.status == SpanStatus(code: .error, message: "KV cache exhausted"))
        #expect(prefill.attributes[SpanAttributeKey.serviceInstance] == .string("llama-405b/3"))  // span wins
        #expect(prefill.attributes["infertop.kv"] == .string("{blocks=12}"))
        #expect(prefill.attributes["infertop.digest"] == .string("deadbeef"))
        #expect(prefill.attributes[SpanAttributeKey.requestModel] == .string("meta-llama/Llama-3.1-405B"))

        let route = result.spans[2]
        #expect(route.parentSpanID == nil)  // "" is a root
        #expect(route.service == "router")
        #expect(route.node == nil)
        #expect(route.kind == .client)
        #expect(route.attributes.isEmpty)
    }

    @Test func fixtureDecodesTheSameAsProtobuf() throws {
        let fromJSON = try OTLPJSONDecoder.decode(try Fixture.bytes("trace.json"))
        let again = try OTLPProtobufDecoder.decode(OTLPEncoder.protobuf(fromJSON.spans))
        #expect(Set(again.spans.map(\.spanID)) == Set(fromJSON.spans.map(\.spanID)))
        for span in fromJSON.spans { #expect(again.spans.first { $0.spanID == span.spanID } == span) }
    }

    @Test func encoderRoundTripIsLossless() throws {
        let spans = SampleSpans.make(count: 200, nodes: 3)
        let result = try OTLPJSONDecoder.decode(OTLPEncoder.json(spans))
        #expect(result.rejectedSpans == 0)
        #expect(result.spans.count == spans.count)
        let byID = Dictionary(uniqueKeysWithValues: result.spans.map { ($0.spanID, $0) })
        for span in spans { #expect(byID[span.spanID] == span) }
        // The JSON is JSON by Foundation's reading too.
        #expect(try JSONSerialization.jsonObject(with: Data(OTLPEncoder.json(spans))) is [String: Any])
    }

    @Test func integersAsStringsOrNumbersAndSnakeCase() throws {
        let json = jsonRequest(spans: [
            #"{"trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"EEE19B7EC3C1B174","parent_span_id":"EEE19B7EC3C1B173","name":"a","kind":"SPAN_KIND_CONSUMER","start_time_unix_nano":18446744073709551615,"end_time_unix_nano":"18446744073709551615","attributes":[{"key":"n","value":{"int_value":-9223372036854775808}},{"key":"s","value":{"intValue":"9223372036854775807"}},{"key":"e","value":{"intValue":1e3}},{"key":"d","value":{"doubleValue":"Infinity"}},{"key":"d2","value":{"double_value":2}},{"key":"esc","value":{"stringValue":"a\"b\\c\u00e9\ud83d\ude00"}}],"status":{"code":"STATUS_CODE_ERROR"}}"#
        ])
        let result = try OTLPJSONDecoder.decode(json)
        #expect(result.rejectionMessage == nil)
        let span = try #require(result.spans.first)
        #expect(span.startNanos == UInt64.max)
        #expect(span.endNanos == UInt64.max)
        #expect(span.kind == .consumer)
        #expect(span.status.code == .error)
        #expect(span.attributes["n"] == .int(.min))
        #expect(span.attributes["s"] == .int(.max))
        #expect(span.attributes["e"] == .int(1000))
        #expect(span.attributes["d"] == .double(.infinity))
        #expect(span.attributes["d2"] == .double(2))
        #expect(span.attributes["esc"] == .string("a\"b\\cé😀"))
    }

    @Test func unknownFieldsAndNullsAreIgnored() throws {
        let json = #"""
            {"futureTopLevel": [1, {"x": null}], "resourceSpans": [
              {"schemaUrl": "https://opentelemetry.io/schemas/1.21.0", "resource": null, "extra": true,
               "scopeSpans": [{"scope": {"name": "x", "unknown": {}}, "spans": [
                 {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "parentSpanId": null,
                  "name": null, "kind": null, "startTimeUnixNano": null, "endTimeUnixNano": "5",
                  "traceState": "k=v", "flags": 257, "droppedLinksCount": 0, "status": null, "attributes": null,
                  "newThing": {"a": [true, false, null, -1.5e-3]}}
               ]}]}
            ]}
            """#
        let result = try OTLPJSONDecoder.decode(json)
        let span = try #require(result.spans.first)
        #expect(result.spans.count == 1)
        #expect(span.name == "")
        #expect(span.kind == .unspecified)
        #expect(span.parentSpanID == nil)
        #expect(span.endNanos == 5)
    }

    @Test func resourceAfterScopeSpansStillApplies() throws {
        let json =
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{\#(goodSpanMembers)}]}],"resource":{"attributes":[{"key":"host.name","value":{"stringValue":"node-9"}}]}}]}"#
        let span = try #require(try OTLPJSONDecoder.decode(json).spans.first)
        #expect(span.node == NodeID("node-9"))
        #expect(span.name == "ok")
    }

    @Test func badSpansAreRejectedWithTheirPlace() throws {
        let json = jsonRequest(spans: [
            "{\(goodSpanMembers)}",
            #"{"traceId":"xyz","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1","endTimeUnixNano":"2"}"#,
            #"{"traceId":"00000000000000000000000000000000","spanId":"eee19b7ec3c1b174"}"#,
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b1"}"#,
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000000"}"#,
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"zz"}"#,
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"9","endTimeUnixNano":"2"}"#,
            // Wrong types deep inside a span reject it alone; parsing goes on after it.
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","attributes":[{"key":"a","value":{"intValue":"abc"}},{"key":"b","value":{"stringValue":"fine"}}]}"#,
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":5}"#,
            #""not a span""#,
            "{\(goodSpanMembers)}"
        ])
        let result = try OTLPJSONDecoder.decode(json)
        #expect(result.spans.count == 2)
        #expect(result.rejectedSpans == 9)
        #expect(
            result.rejectionMessage
                == #"resourceSpans[0].scopeSpans[0].spans[1].traceId: expected 32 hex digits, got "xyz""#)

        // Each reason on its own.
        func reason(_ span: String) throws -> String? {
            try OTLPJSONDecoder.decode(jsonRequest(spans: [span])).rejectionMessage
        }
        let at = "resourceSpans[0].scopeSpans[0].spans[0]"
        #expect(
            try reason(
                #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","attributes":[{"key":"a","value":{"intValue":"abc"}}]}"#
            )
                == "\(at).attributes[0].value.intValue: expected a 64-bit integer, got abc")
        #expect(
            try reason(#"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":5}"#)
                == "\(at).name: expected a string, got a number")
        #expect(try reason(#"{"spanId":"eee19b7ec3c1b174"}"#) == "\(at).traceId: missing (expected 32 hex digits)")
        #expect(
            try reason(#"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000000"}"#)
                == "\(at).spanId: all zeros (invalid)")
        #expect(
            try reason(
                #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"9","endTimeUnixNano":"2"}"#
            )
                == "\(at).endTimeUnixNano: 2 is before startTimeUnixNano 9")
    }

    @Test func structuralGarbageFailsTheRequest() throws {
        func failure(_ text: String) -> String? {
            do {
                _ = try OTLPJSONDecoder.decode(text)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(failure("") == "invalid JSON: the body is empty")
        #expect(failure("not json") == "invalid JSON at byte 0: unexpected character 'n', expected a value")
        #expect(failure("[]") == "expected an ExportTraceServiceRequest object, got an array")
        #expect(failure(#"{"resourceSpans": {}}"#) == "resourceSpans: expected an array, got an object")
        #expect(
            failure(#"{"resourceSpans": [{"scopeSpans": "x"}]}"#)
                == "resourceSpans[0].scopeSpans: expected an array, got a string")
        #expect(
            failure(#"{"resourceSpans": [{"scopeSpans": [{"spans": 3}]}]}"#)
                == "resourceSpans[0].scopeSpans[0].spans: expected an array, got a number")
        #expect(
            failure(#"{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "x"]}]}]}"#)?.contains(
                "invalid JSON at byte") == true)
        #expect(failure(#"{"resourceSpans": []} trailing"#)?.contains("after the end of the request") == true)
        #expect(failure(#"{"resourceSpans": [}"#) != nil)
        #expect(failure(#"{"a": "unterminated}"#)?.contains("unterminated string") == true)
        // Deep nesting is refused, not a stack overflow.
        #expect(failure(#"{"x":"# + String(repeating: "[", count: 10_000))?.contains("nested deeper than 64") == true)
        #expect(failure(#"{"x": "\q"}"#)?.contains("bad escape") == true)
        #expect(failure(#"{"x": 01}"#)?.contains("leading zero") == true)
        // A resource attribute of the wrong type is outside any span: the request fails.
        #expect(
            failure(#"{"resourceSpans":[{"resource":{"attributes":[{"key":"a","value":{"boolValue":"yes"}}]}}]}"#)
                == "resourceSpans[0].resource.attributes[0].value.boolValue: expected true or false, got a string")
    }

    @Test func emptyObjectIsAnEmptyRequest() throws {
        #expect(try OTLPJSONDecoder.decode("{}") == OTLPDecodeResult())
        #expect(try OTLPJSONDecoder.decode(#" {"resourceSpans": []} "#) == OTLPDecodeResult())
    }
}
