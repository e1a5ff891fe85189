#!/usr/bin/env python3
"""Sends one request-shaped trace to an infertop agent with the real OpenTelemetry Python SDK.

usage: otlp_send.py grpc|http ENDPOINT NODE

A router SERVER span with a vLLM-shaped `llm_request` child (the attribute names and units of
vLLM's tracing) on NODE. Prints the trace id (32 hex digits) on stdout once the exporter has
sent it and the receiver answered.
"""
import sys
import time

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult


def exporter(kind, endpoint):
    if kind == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        return OTLPSpanExporter(endpoint=endpoint, insecure=True, timeout=10)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    return OTLPSpanExporter(endpoint=endpoint + "/v1/traces", timeout=10)


class Checked:
    """Wraps the exporter so that a refused export fails this script."""

    def __init__(self, inner):
        self.inner = inner
        self.results = []

    def export(self, spans):
        result = self.inner.export(spans)
        self.results.append(result)
        return result

    def shutdown(self):
        self.inner.shutdown()

    def force_flush(self, timeout_millis=30000):
        return True


def main():
    kind, endpoint, node = sys.argv[1], sys.argv[2], sys.argv[3]
    checked = Checked(exporter(kind, endpoint))
    provider = TracerProvider(resource=Resource.create({"service.name": "vllm", "host.name": node}))
    provider.add_span_processor(SimpleSpanProcessor(checked))
    tracer = provider.get_tracer("otlp_send")
    start = time.time_ns() - 1_000_000_000
    with tracer.start_as_current_span("router", kind=trace.SpanKind.SERVER, start_time=start, end_on_exit=False) as root:
        trace_id = root.get_span_context().trace_id
        span = tracer.start_span("llm_request", kind=trace.SpanKind.SERVER, start_time=start + 2_000_000)
        span.set_attributes({
            "gen_ai.request.id": "otel-sdk-" + kind,
            "gen_ai.response.model": "llama-8b",
            "gen_ai.usage.prompt_tokens": 812,
            "gen_ai.usage.completion_tokens": 64,
            "gen_ai.latency.time_in_queue": 0.120,
            "gen_ai.latency.time_to_first_token": 0.180,
            "gen_ai.latency.time_in_model_prefill": 0.060,
            "gen_ai.latency.time_in_model_decode": 0.630,
            "gen_ai.latency.time_in_model_inference": 0.690,
            "gen_ai.latency.e2e": 0.810,
        })
        span.end(end_time=start + 2_000_000 + 810_000_000)
        root.end(end_time=start + 815_000_000)
    provider.shutdown()
    if not checked.results or any(r != SpanExportResult.SUCCESS for r in checked.results):
        print("export failed: %r" % checked.results, file=sys.stderr)
        sys.exit(1)
    print("%032x" % trace_id)


if __name__ == "__main__":
    main()
