#!/usr/bin/env python3
"""A stand-in SGLang engine worker behind the real sglang-router, for the router executor's test.

usage: router_worker.py --name w1 --log FILE --port-file FILE [--delay SECONDS]

Standard library only. Listens on a free loopback port (written to --port-file once it listens),
answers what sglang-router 0.3.2 asks of a worker, and logs every request as one JSON line:
  {"ts": 1700000000.1, "worker": "w1", "event": "request", "method": "POST", "path": "/generate",
   "rid": "x-request-id or -", "auth": "Bearer ..."}
  {"ts": ..., "worker": "w1", "event": "done", "path": "/generate", "rid": "...", "status": 200}

  GET  /health, /health_generate        200
  GET  /server_info, /model_info, /get_server_info, /get_model_info, /v1/models
                                        model facts (served_model_name only: no model_path, so
                                        the router loads no tokenizer and downloads nothing)
  GET  /get_load                        [{"dp_rank": 0, "num_reqs": N, "num_waiting_reqs": 0,
                                          "num_tokens": 10 N}], N = generations in flight
  GET  /metrics                         sglang:num_running_reqs, sglang:num_queue_reqs
  POST /generate, /v1/completions, /v1/chat/completions
                                        waits the delay, then answers 200 JSON
  POST /_fake/delay?secs=S              the delay for generations from now on (test control)
"""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

MODEL = "fake-model"
GENERATE = {"/generate", "/v1/completions", "/v1/chat/completions"}
state = {"delay": 0.0, "inflight": 0}
lock = threading.Lock()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    state["delay"] = args.delay
    log = open(args.log, "a", buffering=1)

    def write(event, **fields):
        line = json.dumps(dict(ts=time.time(), worker=args.name, event=event, **fields))
        with lock:
            log.write(line + "\n")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def reply(self, status, body, kind="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Fake-Worker", args.name)
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self):
            url = urlparse(self.path)
            path = url.path
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            rid = self.headers.get("X-Request-Id") or "-"
            write("request", method=self.command, path=path, rid=rid, auth=self.headers.get("Authorization") or "")
            status = 200
            if path in GENERATE and self.command == "POST":
                with lock:
                    state["inflight"] += 1
                    delay = state["delay"]
                try:
                    time.sleep(delay)
                    text = "stand-in answer from " + args.name
                    if path == "/generate":
                        body = {"text": text, "meta_info": {"id": rid, "finish_reason": {"type": "stop"}}}
                    else:
                        body = {"id": rid, "object": "text_completion", "model": MODEL,
                                "choices": [{"index": 0, "text": text, "finish_reason": "stop"}]}
                    self.reply(200, body)
                finally:
                    with lock:
                        state["inflight"] -= 1
            elif path in ("/health", "/health_generate"):
                self.reply(200, b"", "text/plain")
            elif path in ("/server_info", "/get_server_info"):
                self.reply(200, {"served_model_name": MODEL, "dp_size": 1, "tp_size": 1})
            elif path in ("/model_info", "/get_model_info"):
                self.reply(200, {"served_model_name": MODEL, "is_generation": True})
            elif path == "/v1/models":
                self.reply(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "stand-in"}]})
            elif path == "/get_load":
                with lock:
                    n = state["inflight"]
                self.reply(200, [{"dp_rank": 0, "num_reqs": n, "num_waiting_reqs": 0, "num_tokens": 10 * n}])
            elif path == "/metrics":
                with lock:
                    n = state["inflight"]
                text = ("# TYPE sglang:num_running_reqs gauge\n"
                        'sglang:num_running_reqs{model_name="%s"} %d\n'
                        "# TYPE sglang:num_queue_reqs gauge\n"
                        'sglang:num_queue_reqs{model_name="%s"} 0\n') % (MODEL, n, MODEL)
                self.reply(200, text.encode(), "text/plain; version=0.0.4")
            elif path == "/flush_cache":
                self.reply(200, b"", "text/plain")
            elif path == "/_fake/delay":
                with lock:
                    state["delay"] = float(parse_qs(url.query).get("secs", ["0"])[0])
                self.reply(200, {"delay": state["delay"]})
            else:
                status = 404
                self.reply(404, b"", "text/plain")
            write("done", path=path, rid=rid, status=status)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(temporary, args.port_file)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
