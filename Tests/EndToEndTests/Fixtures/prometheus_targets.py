#!/usr/bin/env python3
"""Stand-in dcgm-exporter + vLLM + node_exporter (InfiniBand) targets for many GPU nodes from one process (standard library only).

GET /nodes/<node>/metrics answers what dcgm-exporter (8 GPUs by default, `Hostname` label) and one
vLLM engine on that node would expose. Prometheus scrapes every node as its own target on the same
port (`__metrics_path__` per target), so one process stands for a whole fleet; start a second
process for a node the test kills. Values are fixed per node and GPU (the test checks them):

    DCGM_FI_DEV_FB_USED  = 40960 + 1024 * ((3 * n + gpu) % 30) MiB   (n: the node's number)
    DCGM_FI_DEV_FB_FREE  = 81559 - used
    vllm:kv_cache_usage_perc = ((7 * n) % 90 + 5) / 100

Counters (tokens, requests, TTFT buckets) grow with time so rate() and histogram_quantile() give
values. SIGTERM or SIGINT: exit 0. Usage: prometheus_targets.py --nodes node-001,node-002 --port 0 --port-file F
"""
import argparse
import http.server
import re
import signal
import socketserver
import sys
import threading
import time

BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0]


def number(node):
    digits = re.sub(r"\D", "", node)
    return int(digits) if digits else 0


def used_mib(n, gpu):
    return 40960 + 1024 * ((3 * n + gpu) % 30)


def kv_usage(n):
    return ((7 * n) % 90 + 5) / 100


def page(node, gpus, model, started):
    n = number(node)
    elapsed = max(0.0, time.monotonic() - started)
    out = []
    dcgm = [
        ("DCGM_FI_DEV_FB_USED", "gauge", lambda g: used_mib(n, g)),
        ("DCGM_FI_DEV_FB_FREE", "gauge", lambda g: 81559 - used_mib(n, g)),
        ("DCGM_FI_DEV_GPU_UTIL", "gauge", lambda g: 80 + (n + g) % 20),
        ("DCGM_FI_DEV_POWER_USAGE", "gauge", lambda g: 500 + (n * 8 + g) % 150),
        ("DCGM_FI_DEV_GPU_TEMP", "gauge", lambda g: 60 + (n + 2 * g) % 20),
        ("DCGM_FI_DEV_SM_CLOCK", "gauge", lambda g: 1980),
        ("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", "gauge", lambda g: 0),
        ("DCGM_FI_PROF_NVLINK_TX_BYTES", "gauge", lambda g: 1.0e10 + n * 1e7),
        ("DCGM_FI_PROF_NVLINK_RX_BYTES", "gauge", lambda g: 1.1e10 + n * 1e7),
    ]
    for name, kind, value in dcgm:
        out.append(f"# TYPE {name} {kind}")
        for g in range(gpus):
            labels = (f'gpu="{g}",UUID="GPU-{n:04d}{g:04d}-0000-0000-0000-000000000000",pci_bus_id="00000000:{g + 7:02X}:00.0",'
                      f'device="nvidia{g}",modelName="NVIDIA H100 80GB HBM3",Hostname="{node}",DCGM_FI_DRIVER_VERSION="550.54.15"')
            out.append(f"{name}{{{labels}}} {value(g)}")
    # node_exporter's InfiniBand collector (no host label: Prometheus's `instance` names the node).
    for name, kind, value in (
        ("node_infiniband_port_data_transmitted_bytes_total", "counter", 4.0e9 * elapsed),
        ("node_infiniband_port_data_received_bytes_total", "counter", 3.5e9 * elapsed),
        ("node_infiniband_rate_bytes_per_second", "gauge", 5.0e10),
    ):
        out.append(f"# TYPE {name} {kind}")
        for port in range(2):
            out.append(f'{name}{{device="mlx5_{port}",port="1"}} {value}')
    engine = f'engine="0",model_name="{model}"'
    out.append("# TYPE vllm:num_requests_running gauge")
    out.append(f"vllm:num_requests_running{{{engine}}} {10 + n % 7}.0")
    out.append("# TYPE vllm:num_requests_waiting gauge")
    out.append(f"vllm:num_requests_waiting{{{engine}}} {n % 4}.0")
    out.append("# TYPE vllm:kv_cache_usage_perc gauge")
    out.append(f"vllm:kv_cache_usage_perc{{{engine}}} {kv_usage(n)}")
    requests = 4.0 * elapsed
    out.append("# TYPE vllm:prompt_tokens_total counter")
    out.append(f"vllm:prompt_tokens_total{{{engine}}} {requests * 900.0}")
    out.append("# TYPE vllm:generation_tokens_total counter")
    out.append(f"vllm:generation_tokens_total{{{engine}}} {requests * 250.0}")
    out.append("# TYPE vllm:request_success_total counter")
    out.append(f'vllm:request_success_total{{{engine},finished_reason="stop"}} {requests}')
    for family, median in (("vllm:time_to_first_token_seconds", 0.08), ("vllm:inter_token_latency_seconds", 0.02)):
        out.append(f"# TYPE {family} histogram")
        for le in BUCKETS:
            share = 0.0 if le < median / 4 else min(1.0, le / (2 * median))
            out.append(f'{family}_bucket{{{engine},le="{le}"}} {requests * share}')
        out.append(f'{family}_bucket{{{engine},le="+Inf"}} {requests}')
        out.append(f"{family}_count{{{engine}}} {requests}")
        out.append(f"{family}_sum{{{engine}}} {requests * median}")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", required=True, help="comma-separated node names")
    parser.add_argument("--gpus", type=int, default=8)
    parser.add_argument("--model", default="llama-70b")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    nodes = set(args.nodes.split(","))
    started = time.monotonic()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            match = re.fullmatch(r"/nodes/([^/]+)/metrics", self.path.split("?")[0])
            if not match or match.group(1) not in nodes:
                self.send_error(404, "no such node")
                return
            body = page(match.group(1), args.gpus, args.model, started).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server((args.host, args.port), Handler)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        import os
        os.replace(args.port_file + ".tmp", args.port_file)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
