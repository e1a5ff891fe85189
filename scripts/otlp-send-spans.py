#!/usr/bin/env python3
"""otlp-send-spans: send N vLLM-like spans to an OTLP/HTTP endpoint with the OpenTelemetry SDK.

Used by scripts/measure-agent.sh (SPANS=N) to fill an agent's span storage the way an engine
does: the SDK's BatchSpanProcessor (batches of 512) and its OTLP/HTTP protobuf exporter. Each
request is one `llm_request` SERVER span with vLLM's gen_ai.* attributes (DATASOURCES.md §5),
under a router span of the same trace, so half the spans are engine spans.

  scripts/otlp-send-spans.py --endpoint http://127.0.0.1:4318/v1/traces --spans 48000

Needs opentelemetry-sdk and opentelemetry-exporter-otlp-proto-http (scripts/install-deps.sh).
Prints how many spans it sent and whether the exporter reported a failure.
"""
import argparse
import random
import sys
import time

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExportResult


class CountingExporter(OTLPSpanExporter):
    """The OTLP/HTTP exporter, counting what it exported and what failed."""

    sent = 0
    failed = 0

    def export(self, spans):
        result = super().export(spans)
        if result == SpanExportResult.SUCCESS:
            CountingExporter.sent += len(spans)
        else:
            CountingExporter.failed += len(spans)
        return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4318/v1/traces")
    parser.add_argument("--spans", type=int, default=48000)
    parser.add_argument("--host", default="node-01")
    args = parser.parse_args()

    resource = Resource.create({"service.name": "vllm", "host.name": args.host, "service.instance.id": "llama-405b/0"})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(
        BatchSpanProcessor(CountingExporter(endpoint=args.endpoint), max_queue_size=args.spans + 1024,
                           max_export_batch_size=512, schedule_delay_millis=200))
    tracer = provider.get_tracer("vllm.tracing")
    rng = random.Random(7)
    for i in range(args.spans // 2):
        with tracer.start_as_current_span("router", kind=trace.SpanKind.SERVER) as router:
            router.set_attribute("http.route", "/v1/chat/completions")
            with tracer.start_as_current_span("llm_request", kind=trace.SpanKind.SERVER) as span:
                queue, prefill, decode = rng.uniform(0, 0.2), rng.uniform(0.02, 0.3), rng.uniform(0.5, 4)
                span.set_attribute("gen_ai.request.id", f"cmpl-{i:08x}{rng.getrandbits(64):016x}")
                span.set_attribute("gen_ai.response.model", "llama-405b")
                span.set_attribute("gen_ai.usage.prompt_tokens", rng.randint(100, 4000))
                span.set_attribute("gen_ai.usage.completion_tokens", rng.randint(10, 1000))
                span.set_attribute("gen_ai.latency.time_in_queue", queue)
                span.set_attribute("gen_ai.latency.time_to_first_token", queue + prefill)
                span.set_attribute("gen_ai.latency.time_in_model_prefill", prefill)
                span.set_attribute("gen_ai.latency.time_in_model_decode", decode)
                span.set_attribute("gen_ai.latency.time_in_model_inference", prefill + decode)
                span.set_attribute("gen_ai.latency.e2e", queue + prefill + decode)
                span.set_attribute("gen_ai.response.finish_reasons", '["stop"]')
        if i % 2000 == 1999:
            time.sleep(0.05)  # stay under the agent's ingest rate limit
    provider.force_flush()
    provider.shutdown()
    print(f"sent {CountingExporter.sent} spans, {CountingExporter.failed} failed")
    return 0 if CountingExporter.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
