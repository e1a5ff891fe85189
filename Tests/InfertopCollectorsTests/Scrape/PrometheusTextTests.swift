import InfertopCollectors
import Testing

@Suite("Prometheus text format parser")
struct PrometheusTextTests {
    @Test func helpTypeAndColonNames() {
        let doc = PrometheusText.parse(
            """
            # HELP vllm:num_requests_running Number of requests\\nin batches, a \\\\ backslash.
            # TYPE vllm:num_requests_running gauge
            # just a comment
            vllm:num_requests_running{model_name="m",engine="0"} 3.0
            """)
        #expect(doc.errors.isEmpty)
        #expect(doc.types["vllm:num_requests_running"] == .gauge)
        #expect(doc.help["vllm:num_requests_running"] == "Number of requests\nin batches, a \\ backslash.")
        #expect(
            doc.samples == [
                PrometheusSample(
                    name: "vllm:num_requests_running", labels: ["model_name": "m", "engine": "0"], value: 3)
            ])
    }

    @Test func labelEscapes() {
        let doc = PrometheusText.parse(#"m{a="quote \" here",b="back \\ slash",c="new\nline",d=""} 1"#)
        #expect(doc.errors.isEmpty)
        #expect(doc.samples.first?.labels == ["a": "quote \" here", "b": "back \\ slash", "c": "new\nline", "d": ""])
    }

    @Test func specialValuesAndTimestamps() throws {
        let doc = PrometheusText.parse(
            """
            a NaN
            b +Inf
            c -Inf
            d 1.5e-3 1700000000000
            e -0 -5
            f\t42\t
            g 0x10
            """)
        #expect(doc.errors.isEmpty)
        try #require(doc.samples.count == 7)
        let values = Dictionary(uniqueKeysWithValues: doc.samples.map { ($0.name, $0.value) })
        #expect(values["a"]?.isNaN == true)
        #expect(values["b"] == .infinity)
        #expect(values["c"] == -.infinity)
        #expect(values["d"] == 0.0015)
        #expect(values["f"] == 42)
        #expect(values["g"] == 16)
        #expect(doc.samples[3].timestampMilliseconds == 1_700_000_000_000)
        #expect(doc.samples[4].timestampMilliseconds == -5)
    }

    @Test func rejectsWordsSwiftWouldAccept() {
        for word in ["nan", "inf", "infinity", "Infinity", "+inf", "abc", ""] {
            #expect(PrometheusText.parse("m \(word)").errors.count == 1, "\(word)")
        }
    }

    @Test func valueRightAfterLabelsButNotAfterName() {
        #expect(PrometheusText.parse(#"m{a="1"}3"#).samples.first?.value == 3)
        #expect(PrometheusText.parse("m-3").errors.first?.message.contains("after metric name") == true)
    }

    @Test func crlfLineEndsAndBlankLines() {
        let doc = PrometheusText.parse("a 1\r\n\r\n  \r\nb 2\r\n")
        #expect(doc.errors.isEmpty)
        #expect(doc.samples.map(\.value) == [1, 2])
    }

    @Test func histogramGroupsBucketsByLabels() {
        let doc = PrometheusText.parse(
            """
            # TYPE h histogram
            h_bucket{le="0.5",x="a"} 1
            h_bucket{le="+Inf",x="a"} 3
            h_bucket{le="1",x="a"} 2
            h_sum{x="a"} 2.5
            h_count{x="a"} 3
            h_bucket{le="+Inf",x="b"} 0
            h_created{x="a"} 1.7e9
            """)
        let histograms = doc.histograms(named: "h")
        #expect(histograms.count == 2)
        #expect(histograms[0].labels == ["x": "a"])
        #expect(histograms[0].buckets.map(\.upperBound) == [0.5, 1, .infinity])
        #expect(histograms[0].buckets.map(\.cumulativeCount) == [1, 2, 3])
        #expect(histograms[0].sum == 2.5 && histograms[0].count == 3)
        #expect(histograms[1].observations == 0)
    }

    @Test func malformedLinesAreReportedWithLineNumbersAndGoodLinesStillParse() throws {
        let doc = try MetricsFixtures.document("malformed.txt")
        #expect(doc.errors.map(\.line) == [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16])
        #expect(doc.errors.first?.message.contains("invalid value") == true)
        #expect(doc.errors.first { $0.line == 9 }?.message.contains("escape") == true)
        #expect(doc.errors.first { $0.line == 8 }?.message.contains("duplicate") == true)
        #expect(doc.errors.first { $0.line == 6 }?.message.contains("countr") == true)
        #expect(
            doc.samples.map(\.name) == [
                "vllm:num_requests_running", "vllm:prompt_tokens_total", "vllm:with_timestamp",
                "vllm:generation_tokens_total", "vllm:spaced"
            ])
        #expect(doc.samples.last?.labels == ["a": "1", "b": "2"])
        #expect(doc.samples.last?.value == -.infinity)
        #expect(doc.errors[0].description.hasPrefix("line 4: "))
    }

    @Test(arguments: [
        "dcgm-exporter-hostname.txt", "dcgm-exporter-Hostname.txt", "vllm.txt", "vllm-10s-later.txt",
        "sglang.txt", "tensorrt-llm.txt"
    ])
    func capturedPagesParseCleanly(name: String) throws {
        let doc = try MetricsFixtures.document(name)
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.samples.count > 50)
    }
}
