import InfertopCollectors
import Testing

@Suite struct PrometheusResultTests {
    @Test func aVectorDecodes_valuesAreStrings_NaNIsNaN() throws {
        let body =
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"DCGM_FI_DEV_FB_USED","Hostname":"node-01","gpu":"1"},"value":[1795721936.934,"62672"]},{"metric":{},"value":[1795721936.934,"NaN"]}]}}"#
        let (series, time) = try PrometheusResultDecoder.vector(Array(body.utf8))
        #expect(series.count == 2 && time == 1795721936.934)
        #expect(series[0].labels["Hostname"] == "node-01" && series[0].value == 62672)
        #expect(series[1].labels.isEmpty && series[1].value.isNaN)
    }

    @Test func errorsNameWhatPrometheusSaid() {
        let body =
            #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:7: parse error: unclosed left parenthesis"}"#
        #expect(
            throws: PrometheusAPIError.query(
                errorType: "bad_data",
                message: "invalid parameter \"query\": 1:7: parse error: unclosed left parenthesis")
        ) {
            try PrometheusResultDecoder.vector(Array(body.utf8))
        }
        #expect(throws: PrometheusAPIError.self) {
            try PrometheusResultDecoder.vector(Array("404 page not found".utf8))
        }
    }

    @Test func aMatrixDecodes() throws {
        let body =
            #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"a:1"},"values":[[1,"0.5"],[2,"0.75"]]}]}}"#
        let matrix = try PrometheusResultDecoder.matrix(Array(body.utf8))
        #expect(matrix.first?.values == [0.5, 0.75] && matrix.first?.labels["instance"] == "a:1")
    }
}

@Suite struct PrometheusOptionsParsingTests {
    @Test func matchersGoIntoEverySelector() throws {
        let m = try PrometheusMatch(#"{cluster="a", region=~"eu.*"}"#)
        #expect(m.selector("DCGM_FI_DEV_FB_USED") == #"DCGM_FI_DEV_FB_USED{cluster="a",region=~"eu.*"}"#)
        #expect(m.selector(anyOf: ["a", "b"]) == #"{__name__=~"a|b",cluster="a",region=~"eu.*"}"#)
        #expect(PrometheusMatch.all.selector("up") == "up")
        for family in PrometheusFamily.allCases { #expect(family.promql(m).contains(#"cluster="a""#), "\(family)") }
    }

    @Test(arguments: [#"{cluster="a""#, #"{cluster=a}"#, #"{cluster="a}"#, "{{x=\"1\"}}"])
    func badMatchersAreRefusedWithTheReason(text: String) {
        #expect(throws: PrometheusServerError.self) { try PrometheusMatch(text) }
    }

    @Test func serverURLs() throws {
        #expect(try PrometheusServer(url: "http://prom:9090/").baseURL == "http://prom:9090")
        #expect(
            try PrometheusServer(url: "https://mimir.example/prometheus/api/v1").baseURL
                == "https://mimir.example/prometheus")
        #expect(throws: PrometheusServerError.self) { try PrometheusServer(url: "prom:9090") }
        #expect(throws: PrometheusServerError.self) { try PrometheusServer(url: "http://") }
        #expect(
            PrometheusServer.basic(user: "Aladdin", password: "open sesame\n") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        #expect(PrometheusServer.bearer(" abc \n") == "Bearer abc")
    }
}
